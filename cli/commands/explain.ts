/**
 * @module cli/commands/explain
 * `logbeam explain <pipeline>`: the pipeline's primitive steps and how they connect, as text, Mermaid or SVG.
 * Nothing is read or written; built-in and declarative pipelines get placeholder input and output when none are given.
 */
import * as t from 'io-ts';
import { declarationOf } from '../../pipelines/params/pipeline-declaration.js';
import { builtinPipelineNames } from '../../pipelines/registry.js';
import { EXIT, UsageError } from '../errors.js';
import { viewGraph } from '../explain/graph-view.js';
import { renderMermaid } from '../explain/render-mermaid.js';
import { renderSvg } from '../explain/render-svg.js';
import { renderText } from '../explain/render-text.js';
import { decodeFlags, oneOf, parseFlags } from '../flags.js';
import { resolvePipeline } from '../resolve-pipeline.js';
import { PIPELINE_FLAGS, PIPELINE_FLAGS_HELP, pipelineOptionsFromFlags } from '../run-options.js';
import { buildPipeline } from './run.js';

export const EXPLAIN_HELP = `Usage: logbeam explain <pipeline> [--format text|mermaid|svg] [pipeline options]

Shows the pipeline's steps (labels as in run summaries and metrics) and how they connect.
<pipeline> is a built-in (${builtinPipelineNames().join(', ')}), a .ts/.js module or a .yaml/.json file.

Options:
  --format <f>       text (default), mermaid (paste into Markdown), or svg (a standalone drawing laid out
                     with ELK: one box per step with a short unique name and what it does; the same
                     drawing as in 'logbeam run --report')
  -h, --help         this help

${PIPELINE_FLAGS_HELP}

Example: logbeam explain alb --format svg > alb.svg`;

const Flags = t.partial({ format: oneOf(['text', 'mermaid', 'svg'] as const) });

export async function explainCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags('explain', args, { ...PIPELINE_FLAGS, format: { type: 'string', short: 'f' } }, 1);
  if (values['help'] === true) {
    process.stdout.write(`${EXPLAIN_HELP}\n`);
    return EXIT.ok;
  }
  const reference = positionals[0];
  if (reference === undefined) throw new UsageError('missing the pipeline to explain', 'explain');
  const flags = decodeFlags('explain', Flags, { format: values['format'] });
  const resolved = await resolvePipeline(reference);
  const declaration = declarationOf(resolved.definition);
  const options = pipelineOptionsFromFlags(
    'explain',
    values,
    declaration === undefined ? undefined : { pipeline: resolved.title, declaration, requireAll: false },
  );
  const placeholders: Record<string, unknown> =
    resolved.kind !== 'module' ? { input: options.input ?? '<input>', output: options.output ?? '<output>' } : {};
  // Explaining needs no data: parameters a run would require or read from the input get their declared placeholder.
  for (const [key, spec] of Object.entries(declaration?.params ?? {})) {
    if (options[key] !== undefined) continue;
    const value = spec.placeholder ?? (spec.required === true ? `<${key}>` : undefined);
    const decoded = value === undefined ? undefined : spec.codec.decode(value);
    if (decoded !== undefined && decoded._tag === 'Right') placeholders[key] = decoded.right;
  }
  const pipeline = buildPipeline(resolved, { ...options, ...placeholders });
  const steps = viewGraph(pipeline);
  const format = flags.format ?? 'text';
  const text =
    format === 'mermaid'
      ? renderMermaid(steps)
      : format === 'svg'
        ? await renderSvg(steps, resolved.title)
        : renderText(steps, resolved.title);
  process.stdout.write(text);
  return EXIT.ok;
}
