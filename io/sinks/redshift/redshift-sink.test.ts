import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { Pipeline } from '../../../core/pipeline.js';
import { field, schema } from '../../../core/schema.js';
import type { SinkContext } from '../../../core/sink.js';
import { GLOBAL_WINDOW } from '../../../core/window.js';
import { startPostgres, type PostgresServer } from '../../../test/servers/postgres-server.js';
import { runPipeline } from '../../../test/testing.js';
import { startS3Server, type S3TestServer } from '../../../test/servers/s3-server.js';
import { create } from '../../../transforms/create.js';
import { write } from '../../../transforms/write.js';
import { storeFor } from '../../storage/store-for.js';
import { createTableSql } from '../postgres/merge-sql.js';
import { redshiftSink, type RedshiftSinkOptions, type StagedFiles } from './redshift-sink.js';
import type { Row } from '../postgres/csv-row-encoder.js';

const columns = schema([
  field('customer', 'string', { nullable: false }),
  field('event_id', 'int64', { nullable: false }),
  field('at', 'timestamp', { nullable: false }),
  field('detail', 'string'),
]);
const IAM_ROLE = 'arn:aws:iam::123456789012:role/redshift-load';
const rowsOf = (detail: string) => [
  { customer: 'acme', event_id: 1, at: '2024-01-02T03:04:05Z', detail },
  { customer: `'); DROP TABLE events; --`, event_id: 2, at: '2024-01-02T03:04:06Z', detail: 'a "quoted", multi\nline value' },
  { customer: 'acme', event_id: 3, at: '2024-01-02T03:04:07Z', detail: null },
];

let postgres: PostgresServer;
let s3: S3TestServer;
let client: pg.Client;

beforeAll(async () => {
  [postgres, s3] = await Promise.all([startPostgres(), startS3Server()]);
  client = new pg.Client({ connectionString: postgres.connectionString });
  await client.connect();
}, 180_000);

afterAll(async () => {
  await client?.end();
  await Promise.all([postgres?.stop(), s3?.stop()]);
});

function sinkOptions(table: string, stagingUri: string): RedshiftSinkOptions {
  return {
    connection: { connectionString: postgres.connectionString },
    table,
    columns,
    key: ['customer', 'event_id'],
    iamRole: IAM_ROLE,
    stagingUri,
    s3: s3.settings,
  };
}

/** Stages `rows` on S3 with two writers, as workers would; returns their results. */
async function stage(options: RedshiftSinkOptions, context: SinkContext, rows: readonly Row[]): Promise<StagedFiles[]> {
  const sink = redshiftSink(options);
  const writers = [sink.createWriter(context, 'w0-1'), sink.createWriter(context, 'w1-1')];
  for (const [index, row] of rows.entries()) writers[index % 2]!.write(row, 0, GLOBAL_WINDOW);
  return (await Promise.all(writers.map((writer) => writer.close()))) as StagedFiles[];
}

/** The COPY manifest `sink` writes for `staged`, as Redshift would read it. */
async function manifestOf(
  options: RedshiftSinkOptions,
  context: SinkContext,
  staged: readonly StagedFiles[],
): Promise<Array<{ url: string; mandatory: boolean }>> {
  const sink = redshiftSink(options);
  await sink.writeManifest(staged, context);
  const manifest = JSON.parse(
    (await storeFor(sink.manifestUri(context), s3.settings).read(sink.manifestUri(context))).toString('utf8'),
  ) as { entries: Array<{ url: string; mandatory: boolean }> };
  return manifest.entries;
}

/**
 * Runs the load statements on PostgreSQL, with Redshift's COPY-from-S3 replaced by COPY FROM STDIN of the files
 * the manifest lists (Redshift loads what the manifest says, not what the writers staged).
 */
async function loadLikeRedshift(options: RedshiftSinkOptions, context: SinkContext, staged: readonly StagedFiles[]): Promise<void> {
  const sql = redshiftSink(options).loadSql(context);
  const entries = await manifestOf(options, context, staged);
  await client.query('BEGIN');
  try {
    for (const statement of [sql.lock, sql.createStaging]) await client.query(statement);
    const copyColumns = sql.copy.slice(sql.copy.indexOf('('), sql.copy.indexOf(')') + 1);
    const stagingName = sql.copy.split(' ')[1]!;
    for (const { url } of entries) {
      const stream = client.query(copyStreams.from(`COPY ${stagingName} ${copyColumns} FROM STDIN WITH (FORMAT csv)`));
      await new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve).on('error', reject);
        void storeFor(url, s3.settings)
          .read(url)
          .then((body) => stream.end(body), reject);
      });
    }
    for (const statement of [...sql.merge, sql.dropStaging]) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** Every object left under `prefix`. */
async function objectsUnder(prefix: string): Promise<string[]> {
  const left: string[] = [];
  for await (const object of storeFor(prefix, s3.settings).list(prefix)) left.push(object.uri);
  return left;
}

describe('redshiftSink', () => {
  it('generates a manifest COPY with the IAM role, then a DELETE USING + INSERT merge in one transaction', () => {
    const context = { runId: 'run-1', stepLabel: 'Load' };
    const sql = redshiftSink(sinkOptions('analytics.events', 's3://stage/logbeam/')).loadSql(context);
    expect(sql.lock).toBe('LOCK TABLE "analytics"."events"');
    expect(sql.createStaging).toBe('CREATE TEMP TABLE "logbeam_stage_run_1" (LIKE "analytics"."events")');
    expect(sql.copy).toBe(
      `COPY "logbeam_stage_run_1" ("customer", "event_id", "at", "detail") FROM 's3://stage/logbeam/run-1/manifest.json' IAM_ROLE '${IAM_ROLE}' MANIFEST FORMAT AS CSV TIMEFORMAT 'auto'`,
    );
    expect(sql.merge[0]).toBe(
      'DELETE FROM "analytics"."events" USING "logbeam_stage_run_1" WHERE "analytics"."events"."customer" = "logbeam_stage_run_1"."customer" AND "analytics"."events"."event_id" = "logbeam_stage_run_1"."event_id"',
    );
    expect(sql.merge[1]).toMatch(
      /^INSERT INTO "analytics"."events" \("customer", "event_id", "at", "detail"\) SELECT .* ROW_NUMBER\(\) OVER \(PARTITION BY "customer", "event_id" ORDER BY/,
    );
  });

  it('rejects an IAM role or staging URI that is not what it claims, before touching anything', () => {
    expect(() => redshiftSink({ ...sinkOptions('t', 's3://stage/x'), iamRole: "x' ; DROP TABLE t; --" })).toThrow(
      /must be an IAM role ARN/,
    );
    expect(() => redshiftSink(sinkOptions('t', '/local/dir'))).toThrow(/must be an s3:\/\/ URI/);
    expect(() => redshiftSink(sinkOptions('t', "s3://stage/it's\\here"))).toThrow(/backslash/);
  });

  it('stages the rows as CSV files under the run prefix on S3', async () => {
    const stagingUri = s3.prefix('staging');
    const context = { runId: 'run-stage', stepLabel: 'Load' };
    const staged = await stage(sinkOptions('events', stagingUri), context, rowsOf('first'));
    const files = staged.flatMap((entry) => entry.files);
    expect(files).toHaveLength(2);
    expect((await manifestOf(sinkOptions('events', stagingUri), context, staged)).sort((a, b) => a.url.localeCompare(b.url))).toEqual(
      files.map((url) => ({ url, mandatory: true })).sort((a, b) => a.url.localeCompare(b.url)),
    );
    expect(files.every((uri) => uri.startsWith(`${stagingUri.replace(/\/$/, '')}/run-stage/`))).toBe(true);
    const text = (await Promise.all(files.map((uri) => storeFor(uri, s3.settings).read(uri)))).map(String).join('');
    expect(text).toContain(`"'); DROP TABLE events; --",2,"2024-01-02T03:04:06Z","a ""quoted"", multi\nline value"\n`);
    expect(staged.reduce((total, entry) => total + entry.rows, 0)).toBe(3);
  });

  it('merges staged files idempotently with the Redshift statements run on PostgreSQL', async () => {
    await client.query(createTableSql({ schema: undefined, name: 'rs_events' }, columns, ['customer', 'event_id'], 'postgres'));
    const stagingUri = s3.prefix('merge');
    const first = { runId: 'run-a', stepLabel: 'Load' };
    await loadLikeRedshift(
      sinkOptions('rs_events', stagingUri),
      first,
      await stage(sinkOptions('rs_events', stagingUri), first, [...rowsOf('first'), rowsOf('first')[0]!]),
    );
    const once = (await client.query('SELECT customer, event_id::int AS id, detail FROM rs_events ORDER BY event_id')).rows;
    expect(once).toEqual([
      { customer: 'acme', id: 1, detail: 'first' },
      { customer: `'); DROP TABLE events; --`, id: 2, detail: 'a "quoted", multi\nline value' },
      { customer: 'acme', id: 3, detail: null },
    ]);
    const second = { runId: 'run-b', stepLabel: 'Load' };
    await loadLikeRedshift(
      sinkOptions('rs_events', stagingUri),
      second,
      await stage(sinkOptions('rs_events', stagingUri), second, rowsOf('first')),
    );
    expect((await client.query('SELECT customer, event_id::int AS id, detail FROM rs_events ORDER BY event_id')).rows).toEqual(once);
  });

  it('leaves the target unchanged and the runner removes the staged files and manifest when the COPY fails', async () => {
    await client.query(createTableSql({ schema: undefined, name: 'rs_fail' }, columns, ['customer', 'event_id'], 'postgres'));
    await client.query("INSERT INTO rs_fail VALUES ('acme', 1, now(), 'kept')");
    const stagingUri = s3.prefix('fail');
    const p = Pipeline.create();
    p.apply(create(rowsOf('replaced'))).apply(write(redshiftSink(sinkOptions('rs_fail', stagingUri))));
    // PostgreSQL has no COPY from S3: the commit fails at the COPY statement (its IAM_ROLE clause), after the
    // files and the manifest were written, as a Redshift COPY error would; the runner then aborts the sink.
    await expect(runPipeline(p)).rejects.toThrow(/syntax error at or near "IAM_ROLE"/);
    expect((await client.query('SELECT detail FROM rs_fail')).rows).toEqual([{ detail: 'kept' }]);
    expect(await objectsUnder(stagingUri)).toEqual([]);
  });
});
