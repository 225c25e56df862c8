import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { Pipeline } from '../../../core/pipeline.js';
import { field, schema } from '../../../core/schema.js';
import { runPipeline } from '../../../test/testing.js';
import { startPostgres, type PostgresServer } from '../../../test/servers/postgres-server.js';
import { create } from '../../../transforms/create.js';
import { write } from '../../../transforms/write.js';
import { ConcurrentLoadError, PostgresSinkConfigError } from './errors.js';
import { loadNumbers } from './fixtures/load-pipelines.js';
import { postgresSink, stagingPrefix, type PostgresSinkOptions } from './postgres-sink.js';

const eventSchema = schema([
  field('customer', 'string', { nullable: false }),
  field('event_id', 'int64', { nullable: false }),
  field('at', 'timestamp', { nullable: false }),
  field('detail', 'string'),
  field('score', 'double'),
  field('ok', 'boolean'),
  field('payload', 'json'),
]);

type EventRow = {
  customer: string;
  event_id: number;
  at: string;
  detail: string | null;
  score: number | null;
  ok: boolean | null;
  payload: unknown;
};

const INJECTION = `'); DROP TABLE events; --`;

const baseRows: EventRow[] = [
  { customer: 'acme', event_id: 1, at: '2024-01-02T03:04:05.123456Z', detail: 'login', score: 1.5, ok: true, payload: { ip: '10.0.0.1' } },
  { customer: 'acme', event_id: 2, at: '2024-01-02T03:04:06Z', detail: '', score: null, ok: false, payload: null },
  {
    customer: INJECTION,
    event_id: 3,
    at: '2024-01-02T03:04:07Z',
    detail: `quote " comma , newline\nback\\slash \\. ${INJECTION}`,
    score: -0.25,
    ok: null,
    payload: [1, 'two', { three: 3 }],
  },
  { customer: 'globex', event_id: 4, at: '2024-01-02T03:04:08Z', detail: null, score: Number.POSITIVE_INFINITY, ok: true, payload: 'text' },
];

let server: PostgresServer;
let client: pg.Client;

beforeAll(async () => {
  server = await startPostgres();
  client = new pg.Client({ connectionString: server.connectionString });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await server?.stop();
});

function sinkOptions(table: string, overrides: Partial<PostgresSinkOptions> = {}): PostgresSinkOptions {
  return {
    connection: { connectionString: server.connectionString },
    table,
    columns: eventSchema,
    key: ['customer', 'event_id'],
    createTable: true,
    ...overrides,
  };
}

async function load(rows: readonly object[], options: PostgresSinkOptions) {
  const p = Pipeline.create();
  p.apply(create(rows)).apply(write(postgresSink(options)));
  return runPipeline(p);
}

async function tableRows(table: string): Promise<Array<Record<string, unknown>>> {
  const result = await client.query(
    `SELECT customer, event_id::int AS event_id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, detail, score, ok, payload FROM ${table} ORDER BY customer, event_id`,
  );
  return result.rows;
}

async function stagingTables(): Promise<string[]> {
  return (
    await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE tablename LIKE '\\_logbeam\\_stage\\_%'")
  ).rows.map((row) => row.tablename);
}

function isoWithMicros(iso: string): string {
  return iso.includes('.') ? iso : iso.replace('Z', '.000000Z');
}

describe('postgresSink', () => {
  it('creates the table and loads every value with its declared type, including injection attempts as plain data', async () => {
    const result = await load(baseRows, sinkOptions('events'));
    expect(result.commits.Write?.rowsWritten).toBe(4);
    const rows = await tableRows('events');
    expect(rows).toEqual(
      [...baseRows]
        .sort((a, b) => (a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : a.event_id - b.event_id))
        .map((row) => ({ ...row, at: isoWithMicros(row.at), score: row.score === Number.POSITIVE_INFINITY ? Infinity : row.score })),
    );
    const types = await client.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position",
    );
    expect(types.rows.map((row) => row.data_type)).toEqual([
      'text',
      'bigint',
      'timestamp with time zone',
      'text',
      'double precision',
      'boolean',
      'jsonb',
    ]);
    expect(await stagingTables()).toEqual([]);
  });

  it('changes nothing when the same rows are loaded again, not even row versions', async () => {
    await load(baseRows, sinkOptions('rerun'));
    const before = await client.query('SELECT xmin::text AS version, customer, event_id FROM rerun ORDER BY customer, event_id');
    const second = await load(baseRows, sinkOptions('rerun'));
    expect(second.commits.Write?.rowsWritten).toBe(0);
    const after = await client.query('SELECT xmin::text AS version, customer, event_id FROM rerun ORDER BY customer, event_id');
    expect(after.rows).toEqual(before.rows);
    expect(await tableRows('rerun')).toHaveLength(4);
  });

  it('updates rows whose key is already loaded and inserts new keys', async () => {
    await load(baseRows, sinkOptions('merge'));
    const changed = { ...baseRows[0]!, detail: 'logout' };
    const added = { ...baseRows[1]!, event_id: 99 };
    const result = await load([changed, baseRows[1]!, added], sinkOptions('merge'));
    expect(result.commits.Write?.rowsWritten).toBe(2);
    const rows = await tableRows('merge');
    expect(rows).toHaveLength(5);
    expect(rows.find((row) => row.event_id === 1 && row.customer === 'acme')?.detail).toBe('logout');
  });

  it('keeps, of copies of one key in a batch, the one whose other columns sort first as text, whatever their order', async () => {
    // The rule (merge-sql.ts): the first copy by the other columns in schema order, compared as text, nulls
    // last; here that is the earliest `at`, and for equal `at` the smaller `detail`.
    const copies = [
      { ...baseRows[0]!, at: '2024-01-02T03:04:07Z', detail: 'a' },
      { ...baseRows[0]!, at: '2024-01-02T03:04:05Z', detail: 'zz' },
      { ...baseRows[0]!, at: '2024-01-02T03:04:05Z', detail: 'yy' },
      { ...baseRows[0]!, at: '2024-01-02T03:04:06Z', detail: null },
    ];
    const survivor = {
      customer: 'acme',
      event_id: 1,
      at: '2024-01-02T03:04:05.000000Z',
      detail: 'yy',
      score: 1.5,
      ok: true,
      payload: { ip: '10.0.0.1' },
    };
    const orders = [copies, [...copies].reverse(), [copies[2]!, copies[0]!, copies[3]!, copies[1]!]];
    for (const [index, order] of orders.entries()) {
      await load(order, sinkOptions(`dupes_${index}`));
      expect(await tableRows(`dupes_${index}`)).toEqual([survivor]);
    }
  });

  it('loads from several workers, each staging a part, with one merge', async () => {
    const { pipeline } = loadNumbers.create({ connectionString: server.connectionString, table: 'numbers', count: 5000 });
    const result = await runPipeline(pipeline, { workers: 2 });
    expect(result.workers).toBe(2);
    const summary = await client.query<{ n: string; distinct_labels: string; max: string }>(
      'SELECT count(*) AS n, count(DISTINCT label) AS distinct_labels, max(id) AS max FROM numbers',
    );
    expect(summary.rows[0]).toEqual({ n: '5000', distinct_labels: '5000', max: '4999' });
    expect(await stagingTables()).toEqual([]);
  });

  it('leaves the target unchanged when a worker fails after staging some rows', async () => {
    const { pipeline: first } = loadNumbers.create({ connectionString: server.connectionString, table: 'numbers_fail', count: 100 });
    await runPipeline(first, { workers: 1 });
    // One worker reads the 4 splits in turn: its writer streams 15,000 rows (~3 MB, three 1 MiB flushes, measured)
    // into its staging table before the failure in the last split.
    const { pipeline } = loadNumbers.create({
      connectionString: server.connectionString,
      table: 'numbers_fail',
      count: 20_000,
      failAt: 19_000,
      padding: 200,
    });
    await expect(runPipeline(pipeline, { workers: 1 })).rejects.toThrow(/injected failure at id 19000/);
    const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM numbers_fail');
    expect(count.rows[0]!.n).toBe('100');
    expect(await stagingTables()).toEqual([]);
  });

  it('leaves the target unchanged when COPY rejects a row (NULL in a NOT NULL column)', async () => {
    await load(baseRows, sinkOptions('copy_fail'));
    const bad = { ...baseRows[0]!, event_id: 500, at: null };
    const rows = [...Array.from({ length: 300 }, (_, index) => ({ ...baseRows[1]!, event_id: 1000 + index, detail: 'new' })), bad];
    await expect(load(rows, sinkOptions('copy_fail'))).rejects.toThrow(/COPY into staging table .* failed: null value in column "at"/);
    expect(await tableRows('copy_fail')).toHaveLength(4);
    expect(await stagingTables()).toEqual([]);
  });

  it('refuses a run while another run holds the lock of the same table, naming the table', async () => {
    await load(baseRows, sinkOptions('locked'));
    const holder = new pg.Client({ connectionString: server.connectionString });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtext($1))', ['logbeam-load:"public"."locked"']);
      const attempt = load([{ ...baseRows[0]!, event_id: 77 }], sinkOptions('locked'));
      await expect(attempt).rejects.toThrow(ConcurrentLoadError);
      await expect(attempt).rejects.toThrow('another logbeam run is loading "public"."locked"');
      // Another table is not blocked.
      await expect(load(baseRows, sinkOptions('unlocked'))).resolves.toBeDefined();
    } finally {
      await holder.end();
    }
    expect(await tableRows('locked')).toHaveLength(4);
    await expect(load([{ ...baseRows[0]!, event_id: 77 }], sinkOptions('locked'))).resolves.toBeDefined();
    expect(await tableRows('locked')).toHaveLength(5);
  });

  // Whether the second run overlaps the first depends on the scheduler (on a busy machine the first may finish
  // before the second starts); the test above forces the overlap. Here: at least one run loads, a refused one is
  // refused as a concurrent load, and no row is loaded twice either way.
  it('never loads a row twice when two runs start together on one table', async () => {
    const outcomes = await Promise.allSettled([load(baseRows, sinkOptions('race')), load(baseRows, sinkOptions('race'))]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConcurrentLoadError);
    expect(await tableRows('race')).toHaveLength(4);
  });

  it('drops staging tables left behind by a crashed run before loading', async () => {
    await load(baseRows, sinkOptions('crashed'));
    const orphan = `${stagingPrefix({ schema: undefined, name: 'crashed' })}deadbeef0000`;
    await client.query(`CREATE UNLOGGED TABLE "${orphan}" (LIKE crashed)`);
    await load(baseRows, sinkOptions('crashed'));
    expect(await stagingTables()).toEqual([]);
  });

  it('fails fast when the table is missing and createTable is off', async () => {
    await expect(load(baseRows, sinkOptions('absent', { createTable: false }))).rejects.toThrow(
      'table "public"."absent" does not exist; create it or set createTable: true',
    );
  });

  it('fails fast when the table has no unique index on the key', async () => {
    await client.query(
      'CREATE TABLE no_key (customer text, event_id bigint, at timestamptz, detail text, score float8, ok boolean, payload jsonb)',
    );
    await expect(load(baseRows, sinkOptions('no_key', { createTable: false }))).rejects.toThrow(
      /no primary key or unique index on exactly \(customer, event_id\)/,
    );
  });

  it('fails fast when the table lacks a column of the schema', async () => {
    await client.query('CREATE TABLE short_table (customer text, event_id bigint, PRIMARY KEY (customer, event_id))');
    await expect(load(baseRows, sinkOptions('short_table', { createTable: false }))).rejects.toThrow(PostgresSinkConfigError);
    await expect(load(baseRows, sinkOptions('short_table', { createTable: false }))).rejects.toThrow(
      'has no column(s) at, detail, score, ok, payload',
    );
  });

  it('quotes unusual table and column names instead of interpreting them', async () => {
    const odd = schema([field('key "1"', 'string', { nullable: false }), field('value; DROP', 'int32')]);
    await load([{ 'key "1"': 'a', 'value; DROP': 1 }], {
      connection: { connectionString: server.connectionString },
      table: 'Odd "Table"',
      columns: odd,
      key: ['key "1"'],
      createTable: true,
    });
    const rows = await client.query('SELECT * FROM "Odd ""Table"""');
    expect(rows.rows).toEqual([{ 'key "1"': 'a', 'value; DROP': 1 }]);
  });

  it('rejects a key that is not a column of the schema when built', () => {
    expect(() => postgresSink(sinkOptions('x', { key: ['nope'] }))).toThrow('key column(s) nope are not in the schema');
  });
});
