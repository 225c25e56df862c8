/**
 * @module cli/glue-register
 * Registers the tables of a pipeline's output in the Glue Data Catalog and adds their partitions: every
 * partition found under each table's location (`logbeam catalog register`) or the partitions a run's commit
 * wrote (`run --catalog`). Loads the Glue client only when called.
 */
import type { S3Settings } from '../io/storage/s3-settings.js';
import type { GlueSettings, TableOutcome } from '../io/catalog/glue-catalog.js';
import { type CatalogTable, tableLocation } from './catalog-tables.js';

/** What was registered for one table. */
export interface RegisteredTable {
  readonly table: string;
  readonly location: string;
  readonly outcome: TableOutcome;
  readonly partitionsAdded: number;
  readonly partitionsExisting: number;
}

export interface RegisterRequest {
  readonly tables: readonly CatalogTable[];
  /** The pipeline's `--output` (an s3:// URI). */
  readonly output: string;
  readonly database: string;
  /** Table name; only for an output of one table (default: the table's own name). */
  readonly table?: string;
  readonly glue: GlueSettings;
  readonly s3?: S3Settings;
  /**
   * Partition paths to add by table location (a run's commits); absent: every partition found under the
   * location.
   */
  readonly written?: ReadonlyMap<string, readonly string[]>;
}

/** `location` without trailing slashes, to compare locations. */
export function normaliseLocation(location: string): string {
  return location.replace(/\/+$/, '');
}

/** Creates or updates each table, then adds its partitions. */
export async function registerInGlue(request: RegisterRequest): Promise<RegisteredTable[]> {
  const { addPartitions, createGlueClient, registerTable } = await import('../io/catalog/glue-catalog.js');
  const { listPartitions } = await import('../io/catalog/list-partitions.js');
  const client = createGlueClient(request.glue);
  try {
    const registered: RegisteredTable[] = [];
    for (const table of request.tables) {
      const location = tableLocation(request.output, table);
      const spec = { database: request.database, table: request.table ?? table.table, location, layout: table.layout };
      const outcome = await registerTable(client, spec);
      const partitions =
        request.written === undefined
          ? await listPartitions(location, table.layout.partitionKeys, request.s3)
          : (request.written.get(normaliseLocation(location)) ?? []);
      const added = await addPartitions(client, spec, partitions);
      registered.push({
        table: `${spec.database}.${spec.table}`,
        location,
        outcome,
        partitionsAdded: added.added,
        partitionsExisting: added.existing,
      });
    }
    return registered;
  } finally {
    client.destroy();
  }
}

/** One line per table: `glue: db.alb_logs created (s3://...), 3 partitions added, 1 already there`. */
export function formatRegistered(registered: readonly RegisteredTable[]): string {
  return registered
    .map(
      (entry) =>
        `glue: ${entry.table} ${entry.outcome} (${entry.location}); ${entry.partitionsAdded} partition(s) added, ${entry.partitionsExisting} already registered\n`,
    )
    .join('');
}
