/**
 * @module cli/commands/run
 * `logbeam run <pipeline>`: builds the pipeline from flags, then lists what it would do (`--dry-run`) or runs
 * it on the direct runner (or a portable job service) with progress on stderr and a summary on stdout.
 * Exit codes: 0 success, 3 success with a reject rate above `--max-reject-rate`, 4 every record rejected,
 * 1 failure, 2 bad usage, 130 / 143 stopped by SIGINT / SIGTERM (after cleaning up: staged output removed,
 * locks released; a second signal exits at once).
 */
import { stat, writeFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import * as t from 'io-ts';
import type { Pipeline } from '../../core/pipeline.js';
import type { RunResult } from '../../core/metrics.js';
import { LOG_FORMATS, logTypeName } from '../../pipelines/log-formats.js';
import { declarationOf, type PipelineDeclaration } from '../../pipelines/params/pipeline-declaration.js';
import { builtinPipelineDescription, builtinPipelineNames, loadBuiltinPipeline } from '../../pipelines/registry.js';
import { pipelineHelp } from '../pipeline-help.js';
import { rewoundInputs } from '../../io/bookmarks/bookmark-admin.js';
import { EmptyInputError, listInputs } from '../../io/sources/list-inputs.js';
import { LogFileSource } from '../../io/sources/log-file-source.js';
import { sniffInput } from '../../io/sources/sniff-input.js';
import { joinUri } from '../../io/storage/uri.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import type { Progress } from '../../runners/direct/run-context.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, runTargetFromFlags, type RunTarget } from '../cluster-flags.js';
import { decodeAll, decodeFlags, NonEmptyString, parseFlags, PositiveIntFromString, RatioFromString, UrlFromString } from '../flags.js';
import { markerGate } from '../when-marker.js';
import { WATCH_FLAGS, WATCH_FLAGS_HELP, watchFlagsFrom } from '../watch/watch-flags.js';
import { createProgressDisplay, formatBytes } from '../progress.js';
import { runFailure } from '../run-failure.js';
import { namesBuiltinPipeline, resolvePipeline, type ResolvedPipeline } from '../resolve-pipeline.js';
import { requireUnbundled } from '../bundled.js';
import { PIPELINE_FLAGS, PIPELINE_FLAGS_HELP, pipelineOptionsFromFlags, type PipelineOptionsFromFlags } from '../run-options.js';
import { formatSummary, summarise, type RunSummary } from '../summary.js';
import { buildRunData, writeRunManifest } from '../report/build-run-data.js';
import { RunRecorder } from '../report/run-recorder.js';

export const RUN_HELP = `Usage: logbeam run <pipeline> [options]

<pipeline> is a built-in pipeline (${builtinPipelineNames().join(', ')};
'logbeam run <name> --help' lists its parameters and output columns),
a module exporting a definePipeline(...) definition (my-pipeline.ts, my-pipeline.js, or file.ts#exportName),
or a declarative pipeline file (.yaml, .yml, .json).

${PIPELINE_FLAGS_HELP}

Run options:
${CLUSTER_FLAGS_HELP}
  --workers <n>                worker threads for the direct runner (default: all cores);
                               engine parallelism for portable/flink/spark
  --memory-mb <n>              direct runner: memory for group-by and combine state before it spills to disk
                               (default 256)
  --dry-run                    list the inputs it would read and the outputs it would write, then stop;
                               exits 1 where the run would fail (no input file, output exists with
                               fail-if-exists, a lock held by another run, a rewound bookmark in append mode)
  --max-reject-rate <ratio>    exit 3 when more than this fraction of records is rejected (e.g. 0.01)
  --json                       print the summary as JSON on stdout (progress stays on stderr)
  --report <file.html>         also write the run report: one self-contained HTML file (no network needed to
                               view it) with the pipeline graph and per-step counts, throughput over time,
                               rejects by reason with sample lines, partitions written, time per phase and
                               peak memory. Every run records the same data in <output>/_runs/<runId>.json
  --no-progress                no progress display (on --runner flink|spark|portable, progress is the engine's
                               metrics plus the counters of bundles still running, which logbeam's harnesses
                               push to this CLI: live even on Flink, which updates metrics only per bundle)
  --profile <name>             settings from a profile of ./logbeam.yaml (or --config <file>): S3, workers,
                               memory; its output_root and bookmark_root make --output and --bookmark default
                               to <root>/<pipeline name> (logbeam config --help)
  -v, --verbose                stack traces on errors
  -h, --help                   this help

${WATCH_FLAGS_HELP}

Glue Data Catalog:
  --catalog <db[.table]>       after the commit (and after each --watch cycle), create or update the Glue table
                               of the s3:// output (columns as 'logbeam ddl') and add the partitions the run
                               wrote; the database must exist. Default table: <type>_logs or the pipeline's.
                               When this fails the data stays committed: exit 5, with the 'logbeam catalog
                               register' command that registers it
  --glue-endpoint <url>        Glue API endpoint (default: AWS's; AWS_ENDPOINT_URL_GLUE works too); the
                               region is --s3-region or the AWS environment's

Signals: SIGINT (Ctrl-C) or SIGTERM stop the run before its commit: staged output is removed and the
output and bookmark locks are released, then logbeam exits 130 (SIGINT) or 143 (SIGTERM). A second signal
exits at once without cleaning up; the locks left then are taken over by the next run on the same host.

Exit codes: 0 success, 1 failure, 2 bad arguments, 3 success but too many rejects (--max-reject-rate),
  4 every record was rejected (the input is not what the pipeline reads; the message says what it looks like),
  5 the run committed but --catalog registration failed, 75 --when-marker: the marker is not there yet,
  130 interrupted (SIGINT), 143 terminated (SIGTERM).
Example: logbeam run alb --input samples/alb --output out/alb`;

const RunFlags = t.partial({
  workers: PositiveIntFromString,
  memoryMb: PositiveIntFromString,
  maxRejectRate: RatioFromString,
  dryRun: t.boolean,
  json: t.boolean,
  noProgress: t.boolean,
  catalog: NonEmptyString,
  glueEndpoint: UrlFromString,
  whenMarker: NonEmptyString,
  report: NonEmptyString,
});

/** Builds `resolved` with `options`; a build error is the user's configuration, so it becomes a CliError. */
export function buildPipeline(resolved: ResolvedPipeline, options: Record<string, unknown>): Pipeline {
  try {
    // The options' type is the pipeline's own; the pipeline's declared parameters check them at run time.
    return resolved.definition.create({ ...resolved.baseOptions, ...options } as never).pipeline;
  } catch (error) {
    throw new CliError(
      `cannot build pipeline ${resolved.title}: ${(error as Error).message}`,
      'check the options passed (logbeam run --help)',
      { cause: error },
    );
  }
}

/**
 * Lists what a run would read and write, and fails (exit 1, every problem listed) where the run would: an input
 * that matches no file, an output that exists in fail-if-exists mode, a lock another run holds. Changes nothing.
 */
async function dryRun(pipeline: Pipeline, title: string, json: boolean): Promise<number> {
  const signal = new AbortController().signal;
  const problems: string[] = [];
  for (const node of pipeline.nodes) {
    if (node.spec.kind !== 'write' || node.spec.sink.check === undefined) continue;
    await node.spec.sink
      .check()
      .catch((error: unknown) => problems.push(`${node.label}: ${error instanceof Error ? error.message : String(error)}`));
  }
  const inputs: Array<{
    step: string;
    source: string;
    files: Array<{ uri: string; sizeBytes: number }>;
    skipped: Array<{ uri: string; reason: string }>;
  }> = [];
  for (const node of pipeline.nodes) {
    if (node.spec.kind !== 'read') continue;
    const source = node.spec.source;
    const skipped: Array<{ uri: string; reason: string }> = [];
    const skipInput = (uri: string, reason: string): void => {
      skipped.push({ uri, reason });
    };
    const splits = await source.listSplits({ signal, dryRun: true, skipInput }).catch((error: unknown) => {
      problems.push(`${node.label}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    });
    inputs.push({
      step: node.label,
      source: source.description,
      files: splits.map((split) => ({ uri: split.id, sizeBytes: split.sizeBytes })),
      skipped,
    });
  }
  if (problems.length > 0)
    throw new CliError(
      `dry run of ${title}: the run would fail:\n  ${problems.join('\n  ')}`,
      'fix the problems above (or pass --allow-empty for an empty input); nothing was read or written',
    );
  const outputs = pipeline.nodes
    .filter((node) => node.spec.kind === 'write')
    .map((node) => ({ step: node.label, sink: node.spec.kind === 'write' ? node.spec.sink.description : '' }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ pipeline: title, dryRun: true, inputs, outputs }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [`Dry run of ${title}: nothing is read or written.`, 'Would read:'];
  for (const input of inputs) {
    const total = input.files.reduce((sum, file) => sum + file.sizeBytes, 0);
    lines.push(`  ${input.step} (${input.source}): ${input.files.length} file(s), ${formatBytes(total)}`);
    for (const file of input.files) lines.push(`    ${file.uri}  ${formatBytes(file.sizeBytes)}`);
    if (input.skipped.length > 0) lines.push(`  ${input.step}: would skip ${input.skipped.length} file(s), not read:`);
    for (const file of input.skipped) lines.push(`    ${file.uri}  (${file.reason})`);
  }
  lines.push('Would write:');
  for (const output of outputs) lines.push(`  ${output.step}: ${output.sink}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** The declaration of built-in pipeline `reference`, or `undefined` for anything else. */
async function builtinDeclaration(reference: string): Promise<{ name: string; declaration: PipelineDeclaration } | undefined> {
  const name = builtinPipelineNames().find(
    (known) => known === reference || known === reference.replace(/-/g, '_') || known === reference.replace(/_/g, '-'),
  );
  const definition = name === undefined ? undefined : await loadBuiltinPipeline(name);
  const declaration = definition === undefined ? undefined : declarationOf(definition);
  return name === undefined || declaration === undefined ? undefined : { name, declaration };
}

/**
 * The options a pipeline reads from its input before it is built (csv: the header's columns); `undefined` when
 * the input matches no file and `--allow-empty` says that is expected (there is nothing to build the run from).
 */
async function prepareOptions(
  prepare: NonNullable<PipelineDeclaration['prepare']>,
  options: PipelineOptionsFromFlags,
  title: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await prepare(options);
  } catch (error) {
    const empty = findCause(error, EmptyInputError);
    if (empty !== undefined && options.allowEmpty !== true)
      throw new CliError(empty.message, 'check the path, or pass --allow-empty when an empty input is expected', { cause: error });
    if (empty !== undefined) return undefined;
    throw new CliError(
      `cannot prepare pipeline ${title}: ${(error as Error).message}`,
      `check --input, or pass the options it needs explicitly (logbeam run ${title} --help)`,
      { cause: error },
    );
  }
}

/**
 * A rerun after `bookmark rewind` or `bookmark reset` re-reads inputs whose rows are already in the output: appending would write
 * them twice, so it must replace the partitions it rewrites.
 */
async function refuseAppendAfterRewind(bookmark: string, options: PipelineOptionsFromFlags): Promise<void> {
  const rewound = Object.keys(await rewoundInputs(bookmark, options.s3 === undefined ? {} : { s3: options.s3 }));
  if (rewound.length === 0) return;
  throw new CliError(
    `bookmark ${bookmark} was rewound or reset: ${rewound.length} input(s) it forgot will be read again, and their rows are already in the output; appending would duplicate them`,
    'rerun with --write-mode overwrite-partitions (the partitions the rerun writes replace the old ones; into a new or emptied output it writes what an append would)',
  );
}

/** The first error of `type` in the cause chain of `error`. */
function findCause<E extends Error>(error: unknown, type: new (...args: never[]) => E): E | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++)
    if (current instanceof type) return current;
  return undefined;
}

/** What a bookmark run that read nothing says: how many inputs the bookmark had already seen. */
async function nothingNewMessage(options: PipelineOptionsFromFlags): Promise<string> {
  const listed =
    options.input === undefined
      ? undefined
      : await listInputs(options.input, {
          ...(options.since === undefined ? {} : { since: options.since }),
          ...(options.until === undefined ? {} : { until: options.until }),
          ...(options.s3 === undefined ? {} : { s3: options.s3 }),
        }).catch(() => undefined);
  return `0 new files${listed === undefined ? '' : `; ${listed.length} already processed`} (bookmark ${options.bookmark})\n`;
}

/** Why a run whose reads rejected every record failed, and what the input looks like when that can be told. */
async function allRejectedMessage(
  summary: RunSummary,
  pipeline: Pipeline,
  options: PipelineOptionsFromFlags,
  logPipeline: boolean,
): Promise<string> {
  const lines = [
    `logbeam: ${summary.allRejected.join(', ')} rejected every record it read (${summary.rejected} rejected of ${summary.recordsRead}); the output holds no rows from it`,
  ];
  for (const label of summary.allRejected) {
    const node = pipeline.nodes.find((candidate) => candidate.label === `${label}/Read`);
    const source = node?.spec.kind === 'read' && node.spec.source instanceof LogFileSource ? node.spec.source : undefined;
    if (source === undefined) continue;
    const sniffed = await sniffInput(source.inputs, options.s3 === undefined ? {} : { s3: options.s3 });
    if (
      sniffed !== undefined &&
      sniffed.type === source.formatName &&
      options.formatOptions?.envelope !== undefined &&
      sniffed.envelope === undefined
    )
      lines.push(
        `${label}: the input is ${sniffed.label}, not CloudWatch Logs subscription envelopes (${sniffed.uri}): run without --envelope cloudwatch`,
      );
    if (sniffed === undefined || sniffed.type === source.formatName) continue;
    // Another built-in only helps when the pipeline is the plain one for its log type.
    lines.push(
      `${label} reads ${source.formatName}, but the input looks like ${sniffed.label} (${sniffed.uri})${logPipeline ? `: try \`logbeam run ${sniffed.type}\`` : ''}`,
    );
  }
  lines.push(
    `The dead letters say why each record was rejected (${options.deadLetter ?? (options.output === undefined ? '<output>/_dead_letter' : joinUri(options.output, '_dead_letter'))}).`,
  );
  return `${lines.join('\n')}\n`;
}

/** Fails fast (before the run) when `--report` names a file that cannot be written: a missing directory, S3. */
async function checkReportPath(report: string): Promise<void> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(report))
    throw new UsageError(`--report ${report}: the report is written to a local file; give a path such as report.html`, 'run');
  const directory = dirname(resolvePath(report));
  const found = await stat(directory).catch(() => undefined);
  if (found?.isDirectory() !== true)
    throw new UsageError(`--report ${report}: directory ${directory} does not exist; create it or choose another path`, 'run');
  if ((await stat(report).catch(() => undefined))?.isDirectory() === true)
    throw new UsageError(`--report ${report} is a directory; give a file name such as ${report.replace(/\/$/, '')}/report.html`, 'run');
}

/**
 * Records the finished run: its run manifest under each output (a failure to write it is reported, not fatal:
 * the output is committed) and, with `--report`, the HTML report (a failure there fails the command).
 */
async function recordRun(
  pipeline: Pipeline,
  summary: RunSummary,
  result: RunResult,
  recorder: RunRecorder,
  options: { runner: string; s3: PipelineOptionsFromFlags['s3']; report: string | undefined },
): Promise<void> {
  let built: Awaited<ReturnType<typeof buildRunData>>;
  try {
    built = await buildRunData(pipeline, summary, result, recorder, options);
  } catch (error) {
    const message = `the run's output is committed, but its run data could not be gathered: ${(error as Error).message}`;
    if (options.report !== undefined) throw new CliError(message, 'rerun with --verbose and report the error', { cause: error });
    process.stderr.write(`logbeam: warning: ${message}\n`);
    return;
  }
  const { data, manifestLocations } = built;
  await writeRunManifest(data, manifestLocations, options.s3).catch((error: unknown) =>
    process.stderr.write(
      `logbeam: warning: the run's output is committed, but its run manifest (_runs/${data.runId}.json) could not be written: ${(error as Error).message}\n`,
    ),
  );
  if (options.report === undefined) return;
  try {
    // Loaded only for --report: the graph layout (elkjs) costs about half a second of start-up to every run.
    const { renderReport } = await import('../report/render-report.js');
    await writeFile(options.report, await renderReport(data));
  } catch (error) {
    throw new CliError(
      `the run's output is committed, but its report could not be written to ${options.report}: ${(error as Error).message}`,
      'check the path and free space; the same data is in the run manifest under each output (_runs/<runId>.json)',
      { cause: error },
    );
  }
  process.stderr.write(`logbeam: report written to ${options.report}\n`);
}

async function runPortable(
  pipeline: Pipeline,
  target: Exclude<RunTarget, { runner: 'direct' }>,
  options: { parallelism: number | undefined; verbose: boolean; signal: AbortSignal; onProgress?: (progress: Progress) => void },
): Promise<RunResult> {
  // Loaded only when asked for: the portable runner brings gRPC and Beam's protos.
  const { runPortable: run } = await import('../../runners/portable/portable-runner.js');
  const { NO_FILES_TO_STAGE, flinkSupportJar } = await import('../../runners/portable/flink-job-server.js');
  // A job server that cannot load the class --ship-no-jars names refuses the job at Run with a bare INTERNAL.
  const noJarsRefused = (error: unknown): never => {
    if (target.shipNoJars === true && error instanceof Error && error.message.startsWith('Run failed:'))
      throw new CliError(
        `the job server at ${target.jobEndpoint} refused the job (${error.message}); with --ship-no-jars it must load logbeam.NoFilesToStage (its log then says ClassNotFoundException: logbeam.NoFilesToStage)`,
        `add ${flinkSupportJar()} to the job server's class path (fetch-beam.sh builds it), or run without --ship-no-jars`,
        { cause: error },
      );
    throw error;
  };
  return run(pipeline, {
    ...(target.shipNoJars === true ? { pipelineOptions: NO_FILES_TO_STAGE } : {}),
    ...(target.jobEndpoint === undefined ? {} : { jobEndpoint: target.jobEndpoint }),
    ...(target.engine === undefined ? {} : { engine: target.engine }),
    ...(target.workerPool === undefined ? {} : { workerPoolEndpoint: target.workerPool }),
    ...(target.leaseEndpoints === undefined ? {} : { leaseEndpoints: target.leaseEndpoints }),
    signal: options.signal,
    onSubmitted: (jobId, endpoint) =>
      process.stderr.write(
        `logbeam: submitted job ${jobId} to ${endpoint}${target.jobEndpoint === undefined ? ' (a job server this run started and stops)' : ` ('logbeam job status|cancel ${jobId} --job-endpoint ${endpoint}' re-attaches)`}
`,
      ),
    ...(options.parallelism === undefined ? {} : { parallelism: options.parallelism }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.verbose ? { onMessage: (importance: string, text: string) => process.stderr.write(`[${importance}] ${text}\n`) } : {}),
  }).catch(noJarsRefused);
}

export async function runCommand(args: readonly string[]): Promise<number> {
  const { values, positionals, profile } = parseFlags(
    'run',
    args,
    {
      ...PIPELINE_FLAGS,
      runner: { type: 'string' },
      ...CLUSTER_FLAGS,
      workers: { type: 'string' },
      'memory-mb': { type: 'string' },
      'max-reject-rate': { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      catalog: { type: 'string' },
      'glue-endpoint': { type: 'string' },
      'when-marker': { type: 'string' },
      ...WATCH_FLAGS,
      report: { type: 'string' },
    },
    1,
  );
  if (values['help'] === true) {
    const declared = positionals[0] === undefined ? undefined : await builtinDeclaration(positionals[0]);
    process.stdout.write(
      declared === undefined
        ? `${RUN_HELP}\n`
        : pipelineHelp(declared.name, builtinPipelineDescription(declared.name), declared.declaration),
    );
    return EXIT.ok;
  }
  const reference = positionals[0];
  if (reference === undefined)
    throw new UsageError(
      `missing the pipeline; one of ${builtinPipelineNames().join(', ')}, or a path to a .ts/.js/.yaml/.json pipeline`,
      'run',
    );
  if (!namesBuiltinPipeline(reference)) requireUnbundled(`${reference} is not a built-in pipeline`);
  const resolved = await resolvePipeline(reference);
  const declaration = declarationOf(resolved.definition);
  const [[options, flags], target] = decodeAll(
    'run',
    () =>
      decodeAll(
        'run',
        () =>
          pipelineOptionsFromFlags(
            'run',
            values,
            declaration === undefined ? undefined : { pipeline: resolved.title, declaration, requireAll: true },
            { profile, pipelineName: resolved.title },
          ),
        () =>
          decodeFlags('run', RunFlags, {
            workers: values['workers'],
            memoryMb: values['memory-mb'],
            maxRejectRate: values['max-reject-rate'],
            dryRun: values['dry-run'],
            json: values['json'],
            noProgress: values['no-progress'],
            catalog: values['catalog'],
            glueEndpoint: values['glue-endpoint'],
            whenMarker: values['when-marker'],
            report: values['report'],
          }),
      ),
    () => runTargetFromFlags('run', values),
  );
  if (target.runner !== 'direct') requireUnbundled(`the ${target.runner} runner`);
  const watch = watchFlagsFrom(values);
  if (flags.report !== undefined) await checkReportPath(flags.report);
  if (resolved.kind === 'builtin' && logTypeName(reference) !== undefined) {
    const missing = [
      options.input === undefined ? '--input <path|s3://...>' : undefined,
      options.output === undefined ? '--output <dir|s3://...>' : undefined,
    ].filter((flag) => flag !== undefined);
    if (missing.length > 0) throw new UsageError(`pipeline ${reference} needs ${missing.join(' and ')}`, 'run');
  }
  if (options.formatOptions?.envelope !== undefined) {
    const type = resolved.kind === 'builtin' ? logTypeName(reference) : undefined;
    if (type === undefined)
      throw new UsageError(
        `--envelope is read by the per-log-type pipelines (logbeam run vpc_flow, cloudtrail, ...); a YAML/JSON pipeline sets envelope: cloudwatch on its read step`,
        'run',
      );
    if (LOG_FORMATS[type].framing === 'csv-records')
      throw new UsageError(
        `${type} is not delivered through CloudWatch Logs; --envelope cloudwatch reads line formats and CloudTrail`,
        'run',
      );
  }
  if (options.bookmark !== undefined && (options.writeMode ?? 'append') === 'append')
    await refuseAppendAfterRewind(options.bookmark, options);
  const fromInput = declaration?.prepare === undefined ? {} : await prepareOptions(declaration.prepare, options, resolved.title);
  if (fromInput === undefined) {
    // csv with --allow-empty and no file: no header to take the columns from, and nothing to read or write.
    const message = `${resolved.title}: the input matches no file (--allow-empty): nothing read, nothing written`;
    process.stdout.write(
      flags.json === true
        ? `${JSON.stringify({ status: 'ok', pipeline: resolved.title, filesRead: 0, recordsRead: 0, nothingToRead: true, message })}\n`
        : `${message}\n`,
    );
    return EXIT.ok;
  }
  const prepared: PipelineOptionsFromFlags = { ...options, ...fromInput };
  if (flags.whenMarker !== undefined) {
    if (declaration?.params['whenMarker'] === undefined)
      throw new UsageError(`--when-marker: pipeline ${resolved.title} has no completion marker (audit-csv has)`, 'run');
    if (options.bookmark === undefined)
      throw new UsageError('--when-marker needs --bookmark (it records which markers were loaded)', 'run');
    prepared['whenMarker'] = flags.whenMarker;
  }
  if (flags.glueEndpoint !== undefined && flags.catalog === undefined)
    throw new UsageError('--glue-endpoint is only used with --catalog', 'run');
  // The catalog code reaches the Parquet sink (through the tables' schemas): loaded only for --catalog.
  const catalog =
    flags.catalog === undefined
      ? undefined
      : await (await import('../run-catalog.js')).catalogTarget(flags.catalog, resolved.title, prepared, flags.glueEndpoint);
  if (watch !== undefined) {
    if (flags.dryRun === true) throw new UsageError('--dry-run and --watch cannot be combined', 'run');
    if (options.bookmark === undefined)
      throw new UsageError(
        '--watch needs --bookmark <path|s3://...>: the bookmark is what lets each cycle read only the files that arrived since the last one',
        'run',
      );
    const { watchRun } = await import('../watch/watch-run.js');
    return watchRun({
      resolved,
      options: prepared,
      watch,
      json: flags.json === true,
      noProgress: flags.noProgress === true,
      maxRejectRate: flags.maxRejectRate,
      execution: executionOf(flags, target, values['verbose'] === true),
      ...(catalog === undefined ? {} : { catalog }),
    });
  }
  const pipeline = buildPipeline(resolved, prepared);
  if (flags.dryRun === true) return dryRun(pipeline, resolved.title, flags.json === true);
  const gate = await markerGate(prepared);
  if (gate !== undefined) {
    (gate.status === 'waiting' ? process.stderr : process.stdout).write(`${gate.message}\n`);
    return gate.exitCode;
  }

  const controller = new AbortController();
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    const code = signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
    if (stoppedBy !== undefined) {
      process.stderr.write(
        `logbeam: second ${signal}; exiting at once (exit ${code}) without cleaning up; the next run on this host takes over the locks left behind\n`,
      );
      process.exit(code);
    }
    stoppedBy = signal;
    process.stderr.write(
      `\nlogbeam: ${signal} received; stopping the run: removing staged output and releasing locks (send ${signal} again to exit at once)\n`,
    );
    controller.abort(new Error(`stopped by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress =
    flags.noProgress === true || (flags.json === true && !process.stderr.isTTY) ? undefined : createProgressDisplay(process.stderr);
  const recorder = new RunRecorder(pipeline.nodes.map((node) => node.label));
  const onProgress = (snapshot: Progress): void => {
    recorder.onProgress(snapshot);
    progress?.onProgress(snapshot);
  };
  let result: RunResult;
  try {
    result = await executePipeline(pipeline, executionOf(flags, target, values['verbose'] === true), controller.signal, { onProgress });
  } catch (error) {
    progress?.done();
    if (stoppedBy !== undefined) {
      const code = stoppedBy === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
      const also = error === controller.signal.reason ? '' : ` (it ended with: ${(error as Error).message})`;
      process.stderr.write(
        `logbeam: run of ${resolved.title} stopped by ${stoppedBy} (exit ${code}): its staged output was removed and its locks released${also}; run again to process the same inputs\n`,
      );
      return code;
    }
    throw failureOf(resolved.title, error);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (stoppedBy !== undefined)
    process.stderr.write(`logbeam: ${stoppedBy} arrived during the commit, which completed; the run's output is published\n`);
  progress?.done();
  if (target.runner !== 'direct' && flags.maxRejectRate !== undefined && result.steps.length === 0)
    throw new CliError(
      `run of ${resolved.title} committed its output, but --max-reject-rate cannot be checked: the engine reported no step counts (logbeam's harnesses report them as Beam metrics, which this engine's job service did not return)`,
      'check the dead-letter output for rejects, or run without --max-reject-rate on a remote cluster',
    );
  const summary = summarise(resolved.title, result, flags.maxRejectRate);
  process.stdout.write(flags.json === true ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  await recordRun(pipeline, summary, result, recorder, { runner: target.runner, s3: options.s3, report: flags.report });
  if (flags.json !== true && options.bookmark !== undefined && summary.filesRead === 0)
    process.stdout.write(await nothingNewMessage(options));
  if (summary.status === 'all-rejected')
    process.stderr.write(
      await allRejectedMessage(summary, pipeline, options, resolved.kind === 'builtin' && logTypeName(resolved.title) !== undefined),
    );
  else if (summary.exitCode === EXIT.tooManyRejects)
    process.stderr.write(
      `logbeam: ${(summary.rejectRate * 100).toFixed(2)}% of records were rejected, above --max-reject-rate ${flags.maxRejectRate}; see the dead-letter output\n`,
    );
  if (catalog !== undefined) {
    const { registerAfterCommit } = await import('../run-catalog.js');
    const registered = await registerAfterCommit(catalog, [result]);
    if (!registered.ok) {
      process.stderr.write(registered.message);
      return EXIT.catalogFailed;
    }
    process.stderr.write(registered.text);
  }
  return summary.exitCode;
}

/** How to execute a pipeline: the runner flags of `run`. */
export interface Execution {
  readonly target: RunTarget;
  readonly workers?: number;
  readonly memoryMb?: number;
  readonly verbose: boolean;
}

function executionOf(flags: t.TypeOf<typeof RunFlags>, target: RunTarget, verbose: boolean): Execution {
  return {
    verbose,
    target,
    ...(flags.workers === undefined ? {} : { workers: flags.workers }),
    ...(flags.memoryMb === undefined ? {} : { memoryMb: flags.memoryMb }),
  };
}

/** Runs a built pipeline once on the chosen runner. */
export function executePipeline(
  pipeline: Pipeline,
  execution: Execution,
  signal: AbortSignal,
  progress?: { onProgress: NonNullable<Parameters<typeof runDirect>[1]>['onProgress'] },
): Promise<RunResult> {
  const target = execution.target;
  return target.runner !== 'direct'
    ? runPortable(pipeline, target, {
        parallelism: execution.workers,
        verbose: execution.verbose,
        signal,
        ...(progress?.onProgress === undefined ? {} : { onProgress: progress.onProgress }),
      })
    : runDirect(pipeline, {
        signal,
        ...(execution.workers === undefined ? {} : { workers: execution.workers }),
        ...(execution.memoryMb === undefined ? {} : { memoryBudgetBytes: execution.memoryMb * 1024 * 1024 }),
        ...(progress?.onProgress === undefined ? {} : { onProgress: progress.onProgress }),
      });
}

/** The error a failed run is reported with: usage and CLI errors as they are, an empty input with its hint. */
export function failureOf(title: string, error: unknown): Error {
  if (error instanceof UsageError || error instanceof CliError) return error;
  const empty = findCause(error, EmptyInputError);
  if (empty !== undefined)
    return new CliError(
      empty.message,
      'check the path (a glob must match a file, a directory or S3 prefix must hold one), or pass --allow-empty when an empty input is expected',
      { cause: error },
    );
  return runFailure(title, error);
}
