/**
 * @module cli/commands/ddl
 * `logbeam ddl <type> --location s3://...`: prints the Athena/Glue table for a log pipeline's Parquet output.
 */
import * as t from 'io-ts';
import { LOG_TYPE_NAMES, logFormat, logTypeName } from '../../pipelines/log-formats.js';
import { athenaDdl } from '../ddl/athena-ddl.js';
import { EXIT, UsageError } from '../errors.js';
import { decodeFlags, NonEmptyString, oneOf, parseFlags, S3UriFromString } from '../flags.js';

export const DDL_HELP = `Usage: logbeam ddl <type> --location <s3://bucket/prefix> [options]

Prints the Athena/Glue CREATE EXTERNAL TABLE for the Parquet that 'logbeam run <type>' writes, with partition
projection over the year=/month=/day= directories (no crawler or MSCK REPAIR needed).

Types: ${LOG_TYPE_NAMES.join(', ')}

Options:
  --location <s3://...>          where the pipeline wrote its output (required)
  --table <name>                 table name (default <type>_logs)
  --database <name>              qualify the table with a database
  --time-partitioning <depth>    year, month, day (default), hour, or none: as the pipeline was run
  --years <from,to>              projected year range (default 2015 to next year)
  -h, --help                     this help

Example: logbeam ddl alb --location s3://my-bucket/parquet/alb/ | aws athena start-query-execution ...`;

const Flags = t.intersection([
  t.type({ location: S3UriFromString }),
  t.partial({ table: NonEmptyString, database: NonEmptyString, timePartitioning: oneOf(['year', 'month', 'day', 'hour', 'none'] as const), years: NonEmptyString }),
]);

export async function ddlCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags('ddl', args, { location: { type: 'string' }, table: { type: 'string' }, database: { type: 'string' }, 'time-partitioning': { type: 'string' }, years: { type: 'string' } }, 1);
  if (values['help'] === true) {
    process.stdout.write(`${DDL_HELP}\n`);
    return EXIT.ok;
  }
  const typeArg = positionals[0];
  if (typeArg === undefined) throw new UsageError(`missing the log type; one of: ${LOG_TYPE_NAMES.join(', ')}`, 'ddl');
  const type = logTypeName(typeArg);
  if (type === undefined) throw new UsageError(`unknown log type "${typeArg}"; known types: ${LOG_TYPE_NAMES.join(', ')}`, 'ddl');
  const flags = decodeFlags('ddl', Flags, { location: values['location'], table: values['table'], database: values['database'], timePartitioning: values['time-partitioning'], years: values['years'] });
  let years: [number, number] | undefined;
  if (flags.years !== undefined) {
    const match = /^(\d{4}),(\d{4})$/.exec(flags.years);
    if (match === null || Number(match[1]) > Number(match[2])) throw new UsageError(`--years: expected <from>,<to> such as 2018,2030, got ${JSON.stringify(flags.years)}`, 'ddl');
    years = [Number(match[1]), Number(match[2])];
  }
  try {
    process.stdout.write(
      athenaDdl(logFormat(type).schema, {
        table: flags.table ?? `${type}_logs`,
        location: flags.location,
        ...(flags.database === undefined ? {} : { database: flags.database }),
        ...(flags.timePartitioning === undefined ? {} : { timePartitioning: flags.timePartitioning }),
        ...(years === undefined ? {} : { years }),
      }),
    );
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message, 'ddl');
    throw error;
  }
  return EXIT.ok;
}
