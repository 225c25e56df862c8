/**
 * @module cli/commands/validate
 * `logbeam validate <pipeline.yaml>...`: checks declarative pipeline files exactly as `logbeam run` does
 * before running (structure, expressions, every field against the schema flowing into its step, types),
 * without reading any data. Prints every problem and exits 2 when a file is invalid; otherwise prints a short
 * summary per file (its steps, and the columns each write step produces) and exits 0.
 */
import { extname } from 'node:path';
import { loadDeclarativeSpec } from '../../pipelines/declarative/load-spec.js';
import { checkedShapes } from '../../pipelines/declarative/schema-check.js';
import { InvalidSpecError, type DeclarativeSpec } from '../../pipelines/declarative/spec.js';
import type { Shape } from '../../pipelines/declarative/shape.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { parseFlags } from '../flags.js';

export const VALIDATE_HELP = `Usage: logbeam validate <pipeline.yaml>... [options]

Checks declarative pipeline files (.yaml, .yml, .json) without reading any data: keys and values, step
inputs, expressions, and every field name against the schema of the records flowing into its step (the log
format's schema, then the fields each step produces), with operand and argument types. This is the check
'logbeam run' makes before it starts.

Options:
  --json        print the result as JSON on stdout
  -h, --help    this help

Exit codes: 0 every file is valid, 2 a file is invalid (every problem is listed, each with its key path,
e.g. steps[2].config.where), 1 a file cannot be read.
Example: logbeam validate samples/pipelines/alb-hourly-errors.yaml`;

const SPEC_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** One line per step, and the columns of what each write step writes. */
function summary(path: string, spec: DeclarativeSpec, shapes: ReadonlyMap<string, Shape>): string[] {
  const tests = spec.tests === undefined ? '' : `, ${spec.tests.length} test(s) (logbeam test runs them)`;
  const lines = [`${path}: valid${spec.name === undefined ? '' : ` (${spec.name})`}, ${spec.steps.length} steps${tests}`];
  for (const step of spec.steps) {
    const detail = step.type === 'read' || step.type === 'parse' ? ` ${step.config.format}` : '';
    if (step.type !== 'write') {
      lines.push(`  ${step.name}: ${step.type}${detail}`);
      continue;
    }
    const input = typeof step.input === 'string' ? shapes.get(step.input) : undefined;
    const columns =
      input === undefined
        ? ''
        : input.open
          ? ' (columns from the input file header)'
          : `: ${input.schema.fields.map((f) => `${f.name} ${f.type}`).join(', ')}`;
    lines.push(`  ${step.name}: write ${step.config.format}${columns}`);
  }
  return lines;
}

export async function validateCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags('validate', args, { json: { type: 'boolean' } }, Infinity);
  if (values['help'] === true) {
    process.stdout.write(`${VALIDATE_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('name the pipeline file(s) to check, e.g. logbeam validate pipeline.yaml', 'validate');
  const results: Array<{ file: string; valid: boolean; problems: readonly string[] }> = [];
  const text: string[] = [];
  for (const path of positionals) {
    if (!SPEC_EXTENSIONS.has(extname(path).toLowerCase()))
      throw new UsageError(`${path}: validate checks declarative pipeline files (.yaml, .yml, .json)`, 'validate');
    try {
      const spec = await loadDeclarativeSpec(path);
      text.push(...summary(path, spec, checkedShapes(spec)));
      results.push({ file: path, valid: true, problems: [] });
    } catch (error) {
      if (error instanceof InvalidSpecError) {
        text.push(`${path}: invalid, ${error.problems.length} problem(s):`, error.message);
        results.push({ file: path, valid: false, problems: error.problems });
      } else if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new UsageError(`pipeline file ${path} does not exist`, 'validate');
      else throw new CliError(`cannot read the pipeline file ${path}: ${(error as Error).message}`, undefined, { cause: error });
    }
  }
  const valid = results.every((result) => result.valid);
  if (values['json'] === true) process.stdout.write(`${JSON.stringify({ valid, files: results }, null, 2)}\n`);
  else (valid ? process.stdout : process.stderr).write(`${text.join('\n')}\n`);
  return valid ? EXIT.ok : EXIT.usage;
}
