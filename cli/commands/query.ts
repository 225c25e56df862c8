/**
 * @module cli/commands/query
 * `logbeam query "<sql>" --from <dir|s3://...>`: SQL over what logbeam wrote, with DuckDB. Each folder under
 * `--from` that holds Parquet, JSON-lines or CSV output is a view named after the folder, with Hive partition
 * folders as columns. S3 prefixes are downloaded into a temporary folder first (bounded by
 * `--max-download-mb`, removed afterwards). Without SQL, it reads statements from stdin, or opens a prompt
 * when stdin is a terminal.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import * as t from 'io-ts';
import type { S3Settings } from '../../io/storage/s3-settings.js';
import { isS3Uri } from '../../io/storage/uri.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { decodeFlags, NonEmptyString, oneOf, parseFlags, PositiveIntFromString } from '../flags.js';
import { discoverTables, tableName, type TableSource } from '../query/discover-tables.js';
import { QuerySession, UnknownTableError } from '../query/query-session.js';
import { OUTPUT_FORMATS, renderResults } from '../query/render-result.js';
import { describeTables, runRepl } from '../query/repl.js';
import { DownloadTooLargeError, stageS3Prefix } from '../query/stage-s3.js';
import { S3_FLAGS, S3_FLAG_CODECS, s3FlagValues, s3SettingsFromFlags } from '../s3-flags.js';

/** Default bound on what one `query` downloads from S3. */
export const DEFAULT_MAX_DOWNLOAD_MB = 1024;

export const QUERY_HELP = `Usage: logbeam query ["<sql>"] --from <dir|s3://...> [options]

Runs SQL (DuckDB's dialect) over logbeam's output. Every folder under --from that holds Parquet, JSON-lines
or CSV files, directly or below Hive partition folders (year=2024/month=06/...), is a table named after the
folder (characters other than letters, digits and _ become _: out/alb-yaml is alb_yaml); partition folders
are columns. Folders starting with _ or . (dead letters, staging) are skipped.

Without <sql>, statements are read from stdin; when stdin is a terminal, an interactive prompt opens
(statements end with ';'; .tables lists the tables, .help the commands, .quit leaves).

Options:
  --from <dir|s3://...>        an output folder or S3 prefix (repeatable)
  --format <table|csv|json>    table (default: aligned columns), csv (header row, RFC 4180) or json (one
                               JSON object per row)
  --tables                     list the tables found and exit
  --max-download-mb <n>        S3: refuse a prefix whose data files add up to more than this (default ${DEFAULT_MAX_DOWNLOAD_MB})
  --s3-endpoint <url>          S3-compatible endpoint, e.g. http://127.0.0.1:9000
  --s3-region <region>         S3 region (default: from the AWS environment)
  --s3-path-style              path-style S3 addressing (most S3-compatible servers need it)
  --profile <name>             S3 settings from a profile of ./logbeam.yaml (logbeam config --help)
  -h, --help                   this help

S3: DuckDB reads S3 only through its httpfs extension, which it downloads from the internet at run time;
logbeam does not rely on that. It downloads the data files under each s3:// prefix into a temporary folder
with its own S3 client (same endpoint, region and AWS credentials as 'run'), queries them there, and
removes the folder when it exits. Narrow the prefix (e.g. s3://bucket/alb/year=2024/month=06) to download
less.

Exit codes: 0 success, 1 the query failed (SQL error, unknown table: the message lists the tables, unreadable
  input), 2 bad arguments.
Example: logbeam query "select elb_status_code, count(*) from alb group by 1 order by 1" --from out/alb`;

const QueryFlags = t.intersection([
  t.type({ from: t.array(NonEmptyString) }),
  t.partial({
    format: oneOf(OUTPUT_FORMATS),
    tables: t.boolean,
    maxDownloadMb: PositiveIntFromString,
    ...S3_FLAG_CODECS,
  }),
]);

/** The tables of every --from, S3 prefixes staged under `staging`; a name found twice is an error naming both. */
async function findTables(
  from: readonly string[],
  staging: () => Promise<string>,
  s3: S3Settings,
  maxBytes: number,
): Promise<TableSource[]> {
  const tables: TableSource[] = [];
  for (const [index, root] of from.entries()) {
    let local = root;
    if (isS3Uri(root)) {
      // The copy lives in a folder named like the prefix, so the root's own table gets the prefix's name.
      local = join(await staging(), String(index), tableName(root.replace(/\/+$/, '').split('/').pop() ?? 'root'));
      try {
        await stageS3Prefix(root, local, s3, maxBytes);
      } catch (error) {
        if (error instanceof DownloadTooLargeError)
          throw new CliError(error.message, 'narrow the prefix (e.g. down to a partition folder) or raise --max-download-mb');
        throw error;
      }
    }
    let found: TableSource[];
    try {
      found = await discoverTables(local, root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !isS3Uri(root))
        throw new CliError(`--from ${root}: no such folder`, 'name a folder that logbeam run wrote (its --output)');
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') found = [];
      else throw error;
    }
    if (found.length === 0)
      throw new CliError(
        `--from ${root}: no Parquet, JSON-lines or CSV files found`,
        'name a folder or S3 prefix that logbeam run wrote (its --output)',
      );
    tables.push(...found);
  }
  const byName = new Map<string, TableSource>();
  for (const table of tables) {
    const other = byName.get(table.name.toLowerCase());
    if (other !== undefined)
      throw new CliError(
        `two folders would be table ${table.name}: ${other.location} and ${table.location}`,
        'query them one at a time, or give --from folders whose table folders have different names',
      );
    byName.set(table.name.toLowerCase(), table);
  }
  return tables;
}

export async function queryCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'query',
    args,
    {
      from: { type: 'string', multiple: true },
      format: { type: 'string' },
      tables: { type: 'boolean' },
      'max-download-mb': { type: 'string' },
      ...S3_FLAGS,
    },
    1,
  );
  if (values['help'] === true) {
    process.stdout.write(`${QUERY_HELP}\n`);
    return EXIT.ok;
  }
  if (values['from'] === undefined)
    throw new UsageError('--from <dir|s3://...> is required: the output folder(s) to query, e.g. --from out/alb', 'query');
  const flags = decodeFlags('query', QueryFlags, {
    from: values['from'],
    format: values['format'],
    tables: values['tables'],
    maxDownloadMb: values['max-download-mb'],
    ...s3FlagValues(values),
  });
  const s3: S3Settings = s3SettingsFromFlags(flags);
  const format = flags.format ?? 'table';
  let stagingDir: string | undefined;
  const staging = async (): Promise<string> => (stagingDir ??= await mkdtemp(join(tmpdir(), 'logbeam-query-')));
  // A signal skips `finally`: remove the downloaded copies before exiting.
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stagingDir !== undefined) rmSync(stagingDir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
  };
  process.once('SIGTERM', onSignal);
  if (!process.stdin.isTTY) process.once('SIGINT', onSignal);
  let session: QuerySession | undefined;
  try {
    const tables = await findTables(flags.from, staging, s3, (flags.maxDownloadMb ?? DEFAULT_MAX_DOWNLOAD_MB) * 1024 * 1024);
    session = await QuerySession.open(tables);
    if (flags.tables === true) {
      process.stdout.write(describeTables(session));
      return EXIT.ok;
    }
    let sql = positionals[0];
    if (sql === undefined && process.stdin.isTTY) {
      await runRepl(session, { input: process.stdin, output: process.stdout, terminal: true }, format);
      return EXIT.ok;
    }
    sql ??= await text(process.stdin);
    if (sql.trim() === '')
      throw new UsageError('no SQL given: pass it as an argument, on stdin, or run on a terminal for a prompt', 'query');
    try {
      process.stdout.write(renderResults(await session.query(sql), format));
    } catch (error) {
      if (error instanceof UnknownTableError)
        throw new CliError(error.message, `use one of the tables (logbeam query --tables --from ... lists them with their folders)`);
      throw new CliError(`query failed: ${(error as Error).message}`, 'check the SQL (DuckDB dialect); --tables lists the tables');
    }
    return EXIT.ok;
  } finally {
    session?.close();
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    if (stagingDir !== undefined) await rm(stagingDir, { recursive: true, force: true });
  }
}
