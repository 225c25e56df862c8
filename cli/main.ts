/**
 * @module cli/main
 * The `logbeam` command: dispatches to a subcommand and turns errors into a message, a hint and an exit
 * code (see `EXIT`). Stack traces are printed only with `--verbose`.
 */
import { UnbundledRunRequired } from './bundled.js';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, describeError, EXIT, UsageError } from './errors.js';

export const MAIN_HELP = `Usage: logbeam <command> [options]

Turn raw AWS logs into clean, Hive-partitioned Parquet, JSON lines or CSV.

Commands:
  run <pipeline>          run a built-in pipeline (alb, vpc_flow, ...), a pipeline module (.ts/.js) or a
                          declarative YAML/JSON pipeline
  parse <type> [file|-]   print one JSON object per record of a log file
  explain <pipeline>      show a pipeline's steps as text, Mermaid or SVG
  ddl <type>              print the Athena/Glue CREATE EXTERNAL TABLE for a pipeline's Parquet output
  generate <type>         write realistic synthetic logs
  bookmark <show|reset|rewind> <path>
                          inspect or change a bookmark (which inputs earlier runs processed)
  validate <pipeline.yaml>
                          check a declarative pipeline against the log schemas without reading data
  list                    list built-in pipelines and log types
  query ["<sql>"] --from <dir|s3://...>
                          SQL (DuckDB) over logbeam's output; a prompt when no SQL is given on a terminal
  test <pipeline.yaml>    run the tests: section of a declarative pipeline (exit 1 on a failing test)
  config show             the effective settings (flags, environment, logbeam.yaml profile, defaults)
  worker-pool             run an SDK harness worker pool for cluster runs (--runner flink|spark|portable)
  job <list|status|cancel>
                          jobs on a Beam job service (re-attach to a portable run)
  catalog register <type|pipeline>
                          create or update the Glue Data Catalog table of an output and add its partitions

Run 'logbeam <command> --help' for the options of a command.
Global options: -v, --verbose (stack traces on errors), -h, --help, --version,
  --profile <name> (a profile of ./logbeam.yaml; also LOGBEAM_PROFILE), --config <file> (another profile file)`;

type Command = (args: readonly string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  parse: async () => (await import('./commands/parse.js')).parseCommand,
  explain: async () => (await import('./commands/explain.js')).explainCommand,
  ddl: async () => (await import('./commands/ddl.js')).ddlCommand,
  generate: async () => (await import('./commands/generate.js')).generateCommand,
  bookmark: async () => (await import('./commands/bookmark.js')).bookmarkCommand,
  list: async () => (await import('./commands/list.js')).listCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  query: async () => (await import('./commands/query.js')).queryCommand,
  test: async () => (await import('./commands/test.js')).testCommand,
  config: async () => (await import('./commands/config.js')).configCommand,
  catalog: async () => (await import('./commands/catalog.js')).catalogCommand,
  'worker-pool': async () => (await import('./commands/worker-pool.js')).workerPoolCommand,
  job: async () => (await import('./commands/job.js')).jobCommand,
};

export { describeError };

function isMissingCredentials(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current.name === 'CredentialsProviderError' || /Could not load credentials/i.test(current.message)) return true;
  }
  return false;
}

function version(): string {
  const candidates = [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)];
  const found = candidates.find((candidate) => existsSync(candidate));
  return found === undefined ? 'unknown' : (JSON.parse(readFileSync(found, 'utf8')) as { version: string }).version;
}

/** Runs `logbeam` with `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      (name === undefined ? process.stderr : process.stdout).write(`${MAIN_HELP}\n`);
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version') {
      process.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (load === undefined) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return await (await load())(rest);
  } catch (error) {
    // bin/logbeam.js runs the command line again with the unbundled CLI (see cli/bundled).
    if (error instanceof UnbundledRunRequired) throw error;
    if (error instanceof UsageError) {
      process.stderr.write(
        `logbeam: ${error.message}\n${error.hint ?? `Run 'logbeam ${error.command === undefined ? '' : `${error.command} `}--help' for usage.`}\n`,
      );
      if (verbose) process.stderr.write(`${error.stack}\n`);
      return EXIT.usage;
    }
    if (isMissingCredentials(error)) {
      process.stderr.write(
        `logbeam: no AWS credentials found (${describeError(error)})\nSet AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an IAM role is available.\n`,
      );
    } else {
      process.stderr.write(`logbeam: ${describeError(error)}\n`);
      if (error instanceof CliError && error.hint !== undefined) process.stderr.write(`${error.hint}\n`);
      else if (!verbose) process.stderr.write('Run again with --verbose for the stack trace.\n');
    }
    if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT.failure;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // The AWS SDK warns on every S3 command that its 2027 releases will need Node 22; logbeam pins the SDK and
  // supports Node 20, so the notice is noise users cannot act on. The SDK's documented switch silences only
  // that notice; a user who sets the variable to something else keeps it.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // `logbeam parse ... | head` closes the pipe early; that is not a failure.
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2));
}
