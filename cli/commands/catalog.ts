/**
 * @module cli/commands/catalog
 * `logbeam catalog register <type|pipeline> --location s3://... --database db`: creates or updates the Glue
 * Data Catalog table(s) of a pipeline's Parquet output (the columns and types `logbeam ddl` prints) and adds
 * every partition found under the location, so Athena sees the data without projection or a crawler.
 */
import * as t from 'io-ts';
import { LOG_TYPE_NAMES } from '../../pipelines/log-formats.js';
import { ANALYTICS_TABLE_PIPELINES } from '../../pipelines/analytics/output-tables.js';
import { catalogTablesFor, NoCatalogTableError } from '../catalog-tables.js';
import { EXIT, UsageError } from '../errors.js';
import { decodeFlags, NonEmptyString, oneOf, parseFlags, S3UriFromString, UrlFromString } from '../flags.js';
import { formatRegistered, registerInGlue } from '../glue-register.js';
import { S3_FLAGS, S3_FLAG_CODECS, s3FlagValues, s3SettingsFromFlags } from '../s3-flags.js';

export const CATALOG_HELP = `Usage: logbeam catalog register <type|pipeline> --location <s3://bucket/prefix> --database <db> [options]

Creates the AWS Glue Data Catalog table for the Parquet that 'logbeam run <type|pipeline>' wrote under
--location (or updates its columns), with the same columns and types as 'logbeam ddl', the Parquet SerDe and
the partition keys, then adds every partition found under the location (BatchCreatePartition, 100 at a time;
partitions already registered are counted, not an error). Athena then reads the table with no partition
projection or crawler. Run it again at any time: it is idempotent. A table that exists with other partition
keys or at another location is left alone, with an error.

Log types: ${LOG_TYPE_NAMES.join(', ')}
Analytics pipelines: ${ANALYTICS_TABLE_PIPELINES.join(', ')}

Options:
  --location <s3://...>          the pipeline's --output (required)
  --database <name>              the Glue database (required; it must exist)
  --table <name>                 table name (default <type>_logs, or the pipeline's table names)
  --time-partitioning <depth>    log types: year, month, day (default), hour or none, as the pipeline was run
  --partition-by <a,b>           log types: the partitionBy fields the pipeline was run with
  --columns <name[:type],...>    csv: the columns, as given to 'run csv --param columns=' (required for csv)
  --time-column <name>           csv: the event-time column
  --glue-endpoint <url>          Glue API endpoint (default: AWS's for the region; AWS_ENDPOINT_URL_GLUE works too)
  --s3-endpoint <url>            S3-compatible endpoint, to list the partitions
  --s3-region <region>           region of the bucket and of the Glue catalog (default: the AWS environment)
  --s3-path-style                path-style S3 addressing
  --json                         print what was registered as JSON
  -h, --help                     this help

Example: logbeam catalog register alb --location s3://my-bucket/parquet/alb/ --database logs`;

const Flags = t.intersection([
  t.type({ location: S3UriFromString, database: NonEmptyString }),
  t.partial({
    table: NonEmptyString,
    timePartitioning: oneOf(['year', 'month', 'day', 'hour', 'none'] as const),
    partitionBy: NonEmptyString,
    columns: NonEmptyString,
    timeColumn: NonEmptyString,
    glueEndpoint: UrlFromString,
    ...S3_FLAG_CODECS,
    json: t.boolean,
  }),
]);

export async function catalogCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'catalog',
    args,
    {
      location: { type: 'string' },
      database: { type: 'string' },
      table: { type: 'string' },
      'time-partitioning': { type: 'string' },
      'partition-by': { type: 'string' },
      columns: { type: 'string' },
      'time-column': { type: 'string' },
      'glue-endpoint': { type: 'string' },
      ...S3_FLAGS,
      json: { type: 'boolean' },
    },
    2,
  );
  if (values['help'] === true) {
    process.stdout.write(`${CATALOG_HELP}\n`);
    return EXIT.ok;
  }
  const [action, reference] = positionals;
  if (action !== 'register')
    throw new UsageError(`expected 'catalog register <type|pipeline>', got ${JSON.stringify(action ?? '')}`, 'catalog');
  if (reference === undefined)
    throw new UsageError(
      `missing the log type or pipeline; log types: ${LOG_TYPE_NAMES.join(', ')}; pipelines: ${ANALYTICS_TABLE_PIPELINES.join(', ')}`,
      'catalog',
    );
  const flags = decodeFlags('catalog', Flags, {
    location: values['location'],
    database: values['database'],
    table: values['table'],
    timePartitioning: values['time-partitioning'],
    partitionBy: values['partition-by'],
    columns: values['columns'],
    timeColumn: values['time-column'],
    glueEndpoint: values['glue-endpoint'],
    ...s3FlagValues(values),
    json: values['json'],
  });
  let tables: Awaited<ReturnType<typeof catalogTablesFor>>;
  try {
    tables = await catalogTablesFor(reference, {
      ...(flags.timePartitioning === undefined ? {} : { timePartitioning: flags.timePartitioning }),
      ...(flags.partitionBy === undefined ? {} : { partitionBy: flags.partitionBy.split(',').map((name) => name.trim()) }),
      ...(flags.columns === undefined ? {} : { columns: flags.columns }),
      ...(flags.timeColumn === undefined ? {} : { timeColumn: flags.timeColumn }),
    });
  } catch (error) {
    if (error instanceof NoCatalogTableError || error instanceof RangeError) throw new UsageError(error.message, 'catalog');
    throw error;
  }
  if (tables.length > 1 && flags.table !== undefined)
    throw new UsageError(
      `--table: ${reference} writes ${tables.length} tables (${tables.map((table) => table.table).join(', ')}); leave the flag out`,
      'catalog',
    );
  const s3 = s3SettingsFromFlags(flags);
  let registered: Awaited<ReturnType<typeof registerInGlue>>;
  try {
    registered = await registerInGlue({
      tables,
      output: flags.location,
      database: flags.database,
      ...(flags.table === undefined ? {} : { table: flags.table }),
      glue: {
        ...(flags.glueEndpoint === undefined ? {} : { endpoint: flags.glueEndpoint }),
        ...(flags.s3Region === undefined ? {} : { region: flags.s3Region }),
      },
      s3,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message, 'catalog');
    throw error;
  }
  process.stdout.write(flags.json === true ? `${JSON.stringify({ registered })}\n` : formatRegistered(registered));
  return EXIT.ok;
}
