/**
 * @module cli/commands/run
 * `logbeam run <pipeline>`: builds the pipeline from flags, then lists what it would do (`--dry-run`) or runs
 * it on the direct runner (or a portable job service) with progress on stderr and a summary on stdout.
 * Exit codes: 0 success, 3 success with a reject rate above `--max-reject-rate`, 1 failure, 2 bad usage.
 */
import * as t from 'io-ts';
import type { Pipeline } from '../../core/pipeline.js';
import type { RunResult } from '../../core/metrics.js';
import { logTypeName } from '../../pipelines/log-formats.js';
import { builtinPipelineNames } from '../../pipelines/registry.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { decodeAll, decodeFlags, NonEmptyString, oneOf, parseFlags, PositiveIntFromString, RatioFromString } from '../flags.js';
import { createProgressDisplay, formatBytes } from '../progress.js';
import { runFailure } from '../run-failure.js';
import { resolvePipeline, type ResolvedPipeline } from '../resolve-pipeline.js';
import { PIPELINE_FLAGS, PIPELINE_FLAGS_HELP, pipelineOptionsFromFlags } from '../run-options.js';
import { formatSummary, summarise } from '../summary.js';

export const RUN_HELP = `Usage: logbeam run <pipeline> [options]

<pipeline> is a built-in pipeline (${builtinPipelineNames().join(', ')}),
a module exporting a definePipeline(...) definition (my-pipeline.ts, my-pipeline.js, or file.ts#exportName),
or a declarative pipeline file (.yaml, .yml, .json).

${PIPELINE_FLAGS_HELP}

Run options:
  --runner <direct|portable>   where to run (default direct: this machine, worker threads)
  --job-endpoint <host:port>   portable runner: the Beam job service (e.g. localhost:8099 for Flink)
  --workers <n>                worker threads for the direct runner (default: all cores);
                               engine parallelism for the portable runner
  --memory-mb <n>              direct runner: memory for group-by and combine state before it spills to disk
                               (default 256)
  --dry-run                    list the inputs it would read and the outputs it would write, then stop
  --max-reject-rate <ratio>    exit 3 when more than this fraction of records is rejected (e.g. 0.01)
  --json                       print the summary as JSON on stdout (progress stays on stderr)
  --no-progress                no progress display
  -v, --verbose                stack traces on errors
  -h, --help                   this help

Exit codes: 0 success, 3 success but too many rejects, 1 failure, 2 bad arguments.
Example: logbeam run alb --input samples/alb --output out/alb`;

const RunFlags = t.partial({
  runner: oneOf(['direct', 'portable'] as const),
  jobEndpoint: NonEmptyString,
  workers: PositiveIntFromString,
  memoryMb: PositiveIntFromString,
  maxRejectRate: RatioFromString,
  dryRun: t.boolean,
  json: t.boolean,
  noProgress: t.boolean,
});

/** Builds `resolved` with `options`; a build error is the user's configuration, so it becomes a CliError. */
export function buildPipeline(resolved: ResolvedPipeline, options: Record<string, unknown>): Pipeline {
  try {
    return resolved.definition.create({ ...resolved.baseOptions, ...options } as never).pipeline;
  } catch (error) {
    throw new CliError(`cannot build pipeline ${resolved.title}: ${(error as Error).message}`, 'check the options passed (logbeam run --help)', { cause: error });
  }
}

async function dryRun(pipeline: Pipeline, title: string, json: boolean): Promise<number> {
  const signal = new AbortController().signal;
  const inputs: Array<{ step: string; source: string; files: Array<{ uri: string; sizeBytes: number }> }> = [];
  for (const node of pipeline.nodes) {
    if (node.spec.kind !== 'read') continue;
    const splits = await node.spec.source.listSplits({ signal });
    inputs.push({ step: node.label, source: node.spec.source.description, files: splits.map((split) => ({ uri: split.id, sizeBytes: split.sizeBytes })) });
  }
  const outputs = pipeline.nodes.filter((node) => node.spec.kind === 'write').map((node) => ({ step: node.label, sink: node.spec.kind === 'write' ? node.spec.sink.description : '' }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ pipeline: title, dryRun: true, inputs, outputs }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [`Dry run of ${title}: nothing is read or written.`, 'Would read:'];
  for (const input of inputs) {
    const total = input.files.reduce((sum, file) => sum + file.sizeBytes, 0);
    lines.push(`  ${input.step} (${input.source}): ${input.files.length} file(s), ${formatBytes(total)}`);
    for (const file of input.files) lines.push(`    ${file.uri}  ${formatBytes(file.sizeBytes)}`);
  }
  lines.push('Would write:');
  for (const output of outputs) lines.push(`  ${output.step}: ${output.sink}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

async function runPortable(pipeline: Pipeline, options: { jobEndpoint: string | undefined; parallelism: number | undefined; verbose: boolean; signal: AbortSignal }): Promise<RunResult> {
  if (options.jobEndpoint === undefined) throw new UsageError('--runner portable needs --job-endpoint <host:port> (the Beam job service, e.g. localhost:8099)', 'run');
  // Loaded only when asked for: the portable runner brings gRPC and Beam's protos.
  const { runPortable: run } = await import('../../runners/portable/portable-runner.js');
  return run(pipeline, {
    jobEndpoint: options.jobEndpoint,
    signal: options.signal,
    ...(options.parallelism === undefined ? {} : { parallelism: options.parallelism }),
    ...(options.verbose ? { onMessage: (importance: string, text: string) => process.stderr.write(`[${importance}] ${text}\n`) } : {}),
  });
}

export async function runCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'run',
    args,
    { ...PIPELINE_FLAGS, runner: { type: 'string' }, 'job-endpoint': { type: 'string' }, workers: { type: 'string' }, 'memory-mb': { type: 'string' }, 'max-reject-rate': { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, 'no-progress': { type: 'boolean' } },
    1,
  );
  if (values['help'] === true) {
    process.stdout.write(`${RUN_HELP}\n`);
    return EXIT.ok;
  }
  const reference = positionals[0];
  if (reference === undefined) throw new UsageError(`missing the pipeline; one of ${builtinPipelineNames().join(', ')}, or a path to a .ts/.js/.yaml/.json pipeline`, 'run');
  const [options, flags] = decodeAll(
    'run',
    () => pipelineOptionsFromFlags('run', values),
    () => decodeFlags('run', RunFlags, { runner: values['runner'], jobEndpoint: values['job-endpoint'], workers: values['workers'], memoryMb: values['memory-mb'], maxRejectRate: values['max-reject-rate'], dryRun: values['dry-run'], json: values['json'], noProgress: values['no-progress'] }),
  );
  if (flags.jobEndpoint !== undefined && flags.runner !== 'portable') throw new UsageError('--job-endpoint is only used with --runner portable', 'run');
  const resolved = await resolvePipeline(reference);
  if (resolved.kind === 'builtin' && logTypeName(reference) !== undefined) {
    const missing = [options.input === undefined ? '--input <path|s3://...>' : undefined, options.output === undefined ? '--output <dir|s3://...>' : undefined].filter((flag) => flag !== undefined);
    if (missing.length > 0) throw new UsageError(`pipeline ${reference} needs ${missing.join(' and ')}`, 'run');
  }
  const pipeline = buildPipeline(resolved, options);
  if (flags.dryRun === true) return dryRun(pipeline, resolved.title, flags.json === true);

  const controller = new AbortController();
  const onSignal = (): void => {
    process.stderr.write('\nlogbeam: interrupted; aborting the run (staged output is removed)\n');
    controller.abort(new Error('interrupted'));
  };
  process.once('SIGINT', onSignal);
  const progress = flags.noProgress === true || (flags.json === true && !process.stderr.isTTY) ? undefined : createProgressDisplay(process.stderr);
  let result: RunResult;
  try {
    result =
      flags.runner === 'portable'
        ? await runPortable(pipeline, { jobEndpoint: flags.jobEndpoint, parallelism: flags.workers, verbose: values['verbose'] === true, signal: controller.signal })
        : await runDirect(pipeline, { signal: controller.signal, ...(flags.workers === undefined ? {} : { workers: flags.workers }), ...(flags.memoryMb === undefined ? {} : { memoryBudgetBytes: flags.memoryMb * 1024 * 1024 }), ...(progress === undefined ? {} : { onProgress: progress.onProgress }) });
  } catch (error) {
    progress?.done();
    if (controller.signal.aborted) return 130;
    if (error instanceof UsageError || error instanceof CliError) throw error;
    throw runFailure(resolved.title, error);
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
  progress?.done();
  const summary = summarise(resolved.title, result, flags.maxRejectRate);
  process.stdout.write(flags.json === true ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  if (summary.exitCode === EXIT.tooManyRejects) process.stderr.write(`logbeam: ${(summary.rejectRate * 100).toFixed(2)}% of records were rejected, above --max-reject-rate ${flags.maxRejectRate}; see the dead-letter output\n`);
  return summary.exitCode;
}
