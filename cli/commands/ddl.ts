/**
 * @module cli/commands/ddl
 * `logbeam ddl <type|pipeline> --location s3://...`: prints the Athena/Glue table(s) for the Parquet output of
 * a log pipeline or an analytics pipeline.
 */
import * as t from 'io-ts';
import { athenaDdl } from '../../io/catalog/athena-ddl.js';
import { outputTableDdl } from '../../io/catalog/output-table.js';
import type { Schema } from '../../core/schema.js';
import { ANALYTICS_TABLE_PIPELINES, analyticsOutputTables } from '../../pipelines/analytics/output-tables.js';
import { csvColumnsSchema } from '../../pipelines/csv.js';
import { withCloudWatchEnvelope } from '../../io/formats/cloudwatch-envelope-columns.js';
import { LOG_TYPE_NAMES, logFormat, logTypeName } from '../../pipelines/log-formats.js';
import { EXIT, UsageError } from '../errors.js';
import { decodeFlags, NonEmptyString, oneOf, parseFlags, S3UriFromString } from '../flags.js';

export const DDL_HELP = `Usage: logbeam ddl <type|pipeline> --location <s3://bucket/prefix> [options]

Prints the Athena/Glue CREATE EXTERNAL TABLE for the Parquet that 'logbeam run <type|pipeline>' writes, with
partition projection over its partition directories (no crawler or MSCK REPAIR needed).

Log types: ${LOG_TYPE_NAMES.join(', ')}
Analytics pipelines: ${ANALYTICS_TABLE_PIPELINES.join(', ')} (partitioning as the pipeline writes it;
  security-features prints two tables, for <location>/events and <location>/principal_windows)

Options:
  --location <s3://...>          the pipeline's --output (required)
  --table <name>                 table name (default <type>_logs, or the pipeline's table name)
  --database <name>              qualify the table with a database
  --time-partitioning <depth>    log types: year, month, day (default), hour, or none, as the pipeline was run
  --envelope cloudwatch          log types: the run read CloudWatch Logs envelopes with --envelope cloudwatch
                                 (adds the cw_log_group and cw_log_stream columns)
  --columns <name[:type],...>    csv: the columns, as given to 'run csv --param columns=' (required for csv)
  --time-column <name>           csv: the event-time column (default: the first name containing time or date)
  --years <from,to>              projected year range (default 2015 to next year)
  -h, --help                     this help

Example: logbeam ddl alb --location s3://my-bucket/parquet/alb/ | aws athena start-query-execution ...`;

const Flags = t.intersection([
  t.type({ location: S3UriFromString }),
  t.partial({
    table: NonEmptyString,
    database: NonEmptyString,
    timePartitioning: oneOf(['year', 'month', 'day', 'hour', 'none'] as const),
    years: NonEmptyString,
    columns: NonEmptyString,
    timeColumn: NonEmptyString,
    envelope: oneOf(['cloudwatch'] as const),
  }),
]);

/** The schema of a log type's output; for csv, the `--columns` the user declares (a CSV has no fixed columns). */
function logTypeSchema(type: ReturnType<typeof logTypeName> & string, columns: string | undefined, timeColumn: string | undefined): Schema {
  if (type !== 'csv') return logFormat(type).schema;
  if (columns === undefined) {
    throw new UsageError(
      "ddl csv: a CSV output has no fixed columns; pass --columns with the columns given to 'run csv', e.g. --columns timestamp,customer,event,duration_ms:int64",
      'ddl',
    );
  }
  try {
    return csvColumnsSchema(columns, timeColumn);
  } catch (error) {
    throw new UsageError(`--columns: ${(error as Error).message}`, 'ddl');
  }
}

export async function ddlCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'ddl',
    args,
    {
      location: { type: 'string' },
      table: { type: 'string' },
      database: { type: 'string' },
      'time-partitioning': { type: 'string' },
      years: { type: 'string' },
      columns: { type: 'string' },
      'time-column': { type: 'string' },
      envelope: { type: 'string' },
    },
    1,
  );
  if (values['help'] === true) {
    process.stdout.write(`${DDL_HELP}\n`);
    return EXIT.ok;
  }
  const typeArg = positionals[0];
  const known = `log types: ${LOG_TYPE_NAMES.join(', ')}; analytics pipelines: ${ANALYTICS_TABLE_PIPELINES.join(', ')}`;
  if (typeArg === undefined) throw new UsageError(`missing the log type or pipeline; ${known}`, 'ddl');
  const type = logTypeName(typeArg);
  const tables = type === undefined ? await analyticsOutputTables(typeArg) : undefined;
  if (type === undefined && tables === undefined) throw new UsageError(`unknown log type or pipeline "${typeArg}"; ${known}`, 'ddl');
  const flags = decodeFlags('ddl', Flags, {
    location: values['location'],
    table: values['table'],
    database: values['database'],
    timePartitioning: values['time-partitioning'],
    years: values['years'],
    columns: values['columns'],
    timeColumn: values['time-column'],
    envelope: values['envelope'],
  });
  if (flags.envelope !== undefined && (type === undefined || logFormat(type).framing === 'csv-records'))
    throw new UsageError(`--envelope: ${typeArg} is not read out of CloudWatch Logs envelopes (line formats and cloudtrail are)`, 'ddl');
  if (tables !== undefined && flags.timePartitioning !== undefined)
    throw new UsageError(`--time-partitioning: ${typeArg} always writes the same partitions; leave the flag out`, 'ddl');
  if (type !== 'csv' && (flags.columns !== undefined || flags.timeColumn !== undefined))
    throw new UsageError('--columns and --time-column are for ddl csv only', 'ddl');
  if (tables !== undefined && tables.length > 1 && flags.table !== undefined)
    throw new UsageError(
      `--table: ${typeArg} writes ${tables.length} tables (${tables.map((table) => table.table).join(', ')}); leave the flag out`,
      'ddl',
    );
  let years: [number, number] | undefined;
  if (flags.years !== undefined) {
    const match = /^(\d{4}),(\d{4})$/.exec(flags.years);
    if (match === null || Number(match[1]) > Number(match[2]))
      throw new UsageError(`--years: expected <from>,<to> such as 2018,2030, got ${JSON.stringify(flags.years)}`, 'ddl');
    years = [Number(match[1]), Number(match[2])];
  }
  const common = {
    location: flags.location,
    ...(flags.database === undefined ? {} : { database: flags.database }),
    ...(years === undefined ? {} : { years }),
  };
  try {
    if (tables !== undefined) {
      process.stdout.write(
        tables
          .map((table) => outputTableDdl(table, { ...common, ...(flags.table === undefined ? {} : { table: flags.table }) }))
          .join('\n'),
      );
    } else {
      const logType = type!;
      process.stdout.write(
        athenaDdl(
          flags.envelope === undefined
            ? logTypeSchema(logType, flags.columns, flags.timeColumn)
            : withCloudWatchEnvelope(logFormat(logType)).schema,
          {
            ...common,
            table: flags.table ?? `${logType}_logs`,
            ...(flags.timePartitioning === undefined ? {} : { timePartitioning: flags.timePartitioning }),
          },
        ),
      );
    }
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message, 'ddl');
    throw error;
  }
  return EXIT.ok;
}
