/**
 * @module io/catalog/glue-catalog
 * Registers a Parquet output in the AWS Glue Data Catalog: creates or updates the table (columns and partition
 * keys from catalog-columns.ts, the same description `logbeam ddl` prints; Parquet SerDe; no partition
 * projection, so Athena reads the partitions listed here) and adds partitions with `BatchCreatePartition`, 100 at
 * a time, counting those that already exist. A table that exists with other partition keys or another location
 * is never changed: the error says what differs. Values from logs reach Glue only as API fields, never as text
 * of a statement.
 */
import {
  BatchCreatePartitionCommand,
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
  GlueClient,
  UpdateTableCommand,
  type StorageDescriptor,
  type Table,
  type TableInput,
} from '@aws-sdk/client-glue';
import type { StaticCredentials } from '../storage/s3-client.js';
import type { CatalogColumns } from './catalog-columns.js';

/** Glue connection: region and endpoint (default: the AWS environment), explicit keys only for test servers. */
export interface GlueSettings {
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: StaticCredentials;
}

/** The table to register. */
export interface GlueTableSpec {
  readonly database: string;
  readonly table: string;
  /** `s3://bucket/prefix` holding the table's partitions. */
  readonly location: string;
  readonly layout: CatalogColumns;
}

/** What `registerTable` did. */
export type TableOutcome = 'created' | 'updated' | 'unchanged';

/** Partitions per BatchCreatePartition call (the API's limit). */
export const PARTITION_BATCH = 100;

const NAME = /^[a-z0-9_]{1,255}$/i;
const PARQUET = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
} as const;

/** A configured Glue client. */
export function createGlueClient(settings: GlueSettings = {}): GlueClient {
  return new GlueClient({
    region: settings.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    retryMode: 'adaptive',
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: { ...settings.credentials } }),
  });
}

/** `location` with exactly one trailing slash. */
function folder(location: string): string {
  return `${location.replace(/\/+$/, '')}/`;
}

function storage(location: string, spec: GlueTableSpec, withColumns: boolean): StorageDescriptor {
  return {
    ...(withColumns
      ? {
          Columns: spec.layout.columns.map((column) => ({
            Name: column.name,
            Type: column.type,
            ...(column.comment === undefined ? {} : { Comment: column.comment }),
          })),
        }
      : {}),
    Location: location,
    InputFormat: PARQUET.inputFormat,
    OutputFormat: PARQUET.outputFormat,
    SerdeInfo: { SerializationLibrary: PARQUET.serde, Parameters: { 'serialization.format': '1' } },
  };
}

function tableInput(spec: GlueTableSpec): TableInput {
  return {
    Name: spec.table,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'parquet', EXTERNAL: 'TRUE', 'parquet.compression': 'ZSTD' },
    StorageDescriptor: storage(folder(spec.location), spec, true),
    PartitionKeys: spec.layout.partitionKeys.map((name) => ({ Name: name, Type: 'string' })),
  };
}

function checkNames(spec: GlueTableSpec): void {
  if (!NAME.test(spec.database)) throw new RangeError(`database name "${spec.database}" must be letters, digits and _`);
  if (!NAME.test(spec.table)) throw new RangeError(`table name "${spec.table}" must be letters, digits and _`);
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(spec.location))
    throw new RangeError(`location "${spec.location}" must be an s3://bucket/prefix URI`);
}

function sameColumns(existing: Table, spec: GlueTableSpec): boolean {
  const have = (existing.StorageDescriptor?.Columns ?? []).map((column) => `${column.Name}:${column.Type}`);
  const want = spec.layout.columns.map((column) => `${column.name}:${column.type}`);
  return have.length === want.length && have.every((entry, index) => entry === want[index]);
}

/**
 * Creates the table, or updates its columns when they differ. Fails, changing nothing, when the table exists
 * with other partition keys or another location, or the database does not exist.
 */
export async function registerTable(client: GlueClient, spec: GlueTableSpec): Promise<TableOutcome> {
  checkNames(spec);
  const name = `${spec.database}.${spec.table}`;
  let existing: Table | undefined;
  try {
    existing = (await client.send(new GetTableCommand({ DatabaseName: spec.database, Name: spec.table }))).Table;
  } catch (error) {
    if (!(error instanceof EntityNotFoundException) && (error as Error).name !== 'EntityNotFoundException') throw error;
    if (/database/i.test((error as Error).message) && !/table/i.test((error as Error).message))
      throw new Error(
        `Glue database "${spec.database}" does not exist; create it first (aws glue create-database --database-input Name=${spec.database})`,
        { cause: error },
      );
  }
  if (existing === undefined) {
    try {
      await client.send(new CreateTableCommand({ DatabaseName: spec.database, TableInput: tableInput(spec) }));
    } catch (error) {
      if ((error as Error).name === 'EntityNotFoundException')
        throw new Error(
          `Glue database "${spec.database}" does not exist; create it first (aws glue create-database --database-input Name=${spec.database})`,
          { cause: error },
        );
      throw error;
    }
    return 'created';
  }
  const keys = (existing.PartitionKeys ?? []).map((key) => key.Name ?? '');
  if (keys.join('/') !== spec.layout.partitionKeys.join('/'))
    throw new Error(
      `Glue table ${name} is partitioned by (${keys.join(', ')}), not (${spec.layout.partitionKeys.join(', ')}) as this output; its existing partitions would no longer match. Register into another --table, or drop the table first`,
    );
  const location = existing.StorageDescriptor?.Location ?? '';
  if (folder(location) !== folder(spec.location))
    throw new Error(`Glue table ${name} points at ${location}, not ${folder(spec.location)}; register this output under another --table`);
  if (sameColumns(existing, spec)) return 'unchanged';
  await client.send(new UpdateTableCommand({ DatabaseName: spec.database, TableInput: tableInput(spec) }));
  return 'updated';
}

/**
 * The unescaped values of a partition path (`year=2024/month=01/day=02`), in the order of `keys`. Throws when
 * the path does not name exactly those keys in that order.
 */
export function partitionValues(path: string, keys: readonly string[]): string[] {
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length !== keys.length) throw new Error(`partition "${path}" does not match the partition keys (${keys.join(', ')})`);
  return segments.map((segment, index) => {
    const equals = segment.indexOf('=');
    if (equals < 0 || segment.slice(0, equals) !== keys[index])
      throw new Error(`partition "${path}" does not match the partition keys (${keys.join(', ')})`);
    // Hive escapes single ASCII bytes as %XX (hive-escape.ts); Glue stores the value itself.
    return segment.slice(equals + 1).replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  });
}

/** What `addPartitions` did. */
export interface PartitionsOutcome {
  readonly added: number;
  readonly existing: number;
}

/**
 * Adds the partitions (paths relative to the table's location) in batches of 100; a partition that already
 * exists counts as `existing`. Any other per-partition error fails with the partition and Glue's message.
 */
export async function addPartitions(client: GlueClient, spec: GlueTableSpec, partitions: readonly string[]): Promise<PartitionsOutcome> {
  checkNames(spec);
  const unique = [...new Set(partitions.map((path) => path.replace(/^\/+|\/+$/g, '')))].filter((path) => path !== '').sort();
  const base = folder(spec.location);
  let added = 0;
  let existing = 0;
  for (let start = 0; start < unique.length; start += PARTITION_BATCH) {
    const batch = unique.slice(start, start + PARTITION_BATCH);
    const response = await client.send(
      new BatchCreatePartitionCommand({
        DatabaseName: spec.database,
        TableName: spec.table,
        PartitionInputList: batch.map((path) => ({
          Values: partitionValues(path, spec.layout.partitionKeys),
          StorageDescriptor: { ...storage(`${base}${path}/`, spec, true) },
          Parameters: { classification: 'parquet' },
        })),
      }),
    );
    const errors = response.Errors ?? [];
    const failed = errors.filter((error) => error.ErrorDetail?.ErrorCode !== 'AlreadyExistsException');
    if (failed.length > 0) {
      const first = failed[0]!;
      throw new Error(
        `Glue refused ${failed.length} partition(s) of ${spec.database}.${spec.table}, e.g. (${(first.PartitionValues ?? []).join(', ')}): ${first.ErrorDetail?.ErrorCode}: ${first.ErrorDetail?.ErrorMessage}`,
      );
    }
    existing += errors.length;
    added += batch.length - errors.length;
  }
  return { added, existing };
}
