import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readLogsCounts } from '../../io/sources/read-logs.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { usePostgres } from '../../test/servers/postgres-fixture.js';
import { auditCsvPipeline, runAuditCsv, type AuditCsvOptions } from '../audit-csv.js';
import { customerFromKey } from './audit-csv-format.js';

const postgres = usePostgres();
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'logbeam-audit-'));
});
afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

async function put(path: string, text: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

function options(name: string, overrides: Partial<AuditCsvOptions> = {}): AuditCsvOptions {
  return {
    input: join(root, name, 'in'),
    output: join(root, name, 'out'),
    postgres: { connectionString: postgres.server.connectionString },
    table: name,
    createTable: true,
    ...overrides,
  };
}

async function rows(table: string) {
  return (
    await postgres.client.query(
      `SELECT customer, event, to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, source_line::int AS line FROM ${table} ORDER BY timestamp, customer`,
    )
  ).rows;
}

async function deadLetters(dir: string): Promise<Array<{ source: string; line: number; reason: string }>> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith('.jsonl'));
  const lines = (await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8'))))
    .join('')
    .split('\n')
    .filter((line) => line !== '');
  return lines.map((line) => JSON.parse(line) as { source: string; line: number; reason: string });
}

const ACME =
  'timestamp,customer,event\n2024-01-02T03:04:05Z,acme,login\n2024-01-02T03:05:00Z,acme,export\nnot-a-time,acme,logout\n2024-01-02T03:06:00Z,acme,\n';
const INJECT = `timestamp,customer,event\n2024-01-02T04:00:00Z,"'); DROP TABLE audit_inject; --",login\n`;

describe('auditCsvPipeline', () => {
  it('loads valid rows and reports bad rows with their file and line in dead-letter', async () => {
    const file = await put(join(root, 'audit_load', 'in', 'audit', 'acme', 'a.csv'), ACME);
    const outcome = await runAuditCsv(options('audit_load'), runDirect);
    expect(outcome.status).toBe('loaded');
    expect(await rows('audit_load')).toEqual([
      { customer: 'acme', event: 'login', at: '2024-01-02T03:04:05Z', line: 2 },
      { customer: 'acme', event: 'export', at: '2024-01-02T03:05:00Z', line: 3 },
    ]);
    const rejected = await deadLetters(join(root, 'audit_load', 'out', '_dead_letter'));
    expect(rejected.map((entry) => ({ source: entry.source, line: entry.line }))).toEqualInAnyOrder([
      { source: file, line: 4 },
      { source: file, line: 5 },
    ]);
    expect(rejected.find((entry) => entry.line === 5)?.reason).toMatch(/event/);
  });

  it('changes nothing when the same files are loaded again', async () => {
    await put(join(root, 'audit_rerun', 'in', 'audit', 'acme', 'a.csv'), ACME);
    await runAuditCsv(options('audit_rerun'), runDirect);
    const before = await postgres.client.query('SELECT xmin::text AS v, * FROM audit_rerun ORDER BY timestamp');
    const again = await runAuditCsv(options('audit_rerun'), runDirect);
    expect(again.status === 'loaded' && again.result.commits.Load?.rowsWritten).toBe(0);
    const after = await postgres.client.query('SELECT xmin::text AS v, * FROM audit_rerun ORDER BY timestamp');
    expect(after.rows).toEqual(before.rows);
  });

  it('loads customer names that look like SQL as plain data', async () => {
    await put(join(root, 'audit_inject', 'in', 'audit', 'x', 'a.csv'), INJECT);
    await runAuditCsv(options('audit_inject'), runDirect);
    expect((await rows('audit_inject')).map((row) => row.customer)).toEqual([`'); DROP TABLE audit_inject; --`]);
  });

  it('reads only new files when a bookmark is used', async () => {
    const bookmark = join(root, 'audit_bm', 'state', 'bookmark.json');
    await put(join(root, 'audit_bm', 'in', 'audit', 'acme', 'a.csv'), ACME);
    const first = await runAuditCsv(options('audit_bm', { bookmark }), runDirect);
    expect(first.status === 'loaded' && readLogsCounts(first.result).records).toBe(2);
    const second = await runAuditCsv(options('audit_bm', { bookmark }), runDirect);
    expect(second.status === 'loaded' && readLogsCounts(second.result).records).toBe(0);
    await put(join(root, 'audit_bm', 'in', 'audit', 'acme', 'b.csv'), 'timestamp,customer,event\n2024-01-03T00:00:00Z,acme,delete\n');
    const third = await runAuditCsv(options('audit_bm', { bookmark }), runDirect);
    expect(third.status === 'loaded' && readLogsCounts(third.result).records).toBe(1);
    expect(await rows('audit_bm')).toHaveLength(3);
  });

  it('waits for the completion marker, loads once it exists, then reports the batch as done', async () => {
    const bookmark = join(root, 'audit_marker', 'state', 'bookmark.json');
    const marker = join(root, 'audit_marker', 'markers', '_READY');
    await put(join(root, 'audit_marker', 'in', 'audit', 'acme', 'a.csv'), ACME);
    const settings = options('audit_marker', { bookmark, whenMarker: marker });
    expect(await runAuditCsv(settings, runDirect)).toEqual({ status: 'waiting', marker });
    expect((await postgres.client.query("SELECT to_regclass('audit_marker') AS t")).rows[0].t).toBeNull();
    await put(marker, 'batch 1\n');
    expect((await runAuditCsv(settings, runDirect)).status).toBe('loaded');
    expect(await rows('audit_marker')).toHaveLength(2);
    expect(await runAuditCsv(settings, runDirect)).toEqual({ status: 'done', marker });
    await put(marker, 'batch 2 (a new marker)\n');
    expect((await runAuditCsv(settings, runDirect)).status).toBe('loaded');
  });

  it('takes the customer from the key when the file has no customer column', async () => {
    await put(join(root, 'audit_keyed', 'in', 'audit', 'globex', '2024', 'a.csv'), 'timestamp,event\n2024-01-02T03:04:05Z,login\n');
    await runAuditCsv(options('audit_keyed'), runDirect);
    expect((await rows('audit_keyed')).map((row) => row.customer)).toEqual(['globex']);
  });
});

const WIDE =
  'timestamp,customer,event,actor,source_ip\n2024-01-02T03:04:05Z,acme,login,bob,192.0.2.1\n2024-01-02T03:05:00Z,acme,export,eve,\n';

describe('auditCsvPipeline: connection, columns and dead-letter location', () => {
  it('connects to the port of a postgres:// URL given as a plain string (as --param postgres=... gives it)', async () => {
    await put(join(root, 'audit_url', 'in', 'audit', 'acme', 'a.csv'), ACME);
    expect(postgres.server.port).not.toBe(5432);
    const outcome = await runAuditCsv(
      options('audit_url', { postgres: postgres.server.connectionString as unknown as AuditCsvOptions['postgres'] }),
      runDirect,
    );
    expect(outcome.status).toBe('loaded');
    expect(await rows('audit_url')).toHaveLength(2);
  });

  it('refuses a postgres value it cannot use, naming the value without its password', () => {
    expect(() =>
      auditCsvPipeline.create(options('audit_bad_url', { postgres: 'db.example.com:55432' as unknown as AuditCsvOptions['postgres'] })),
    ).toThrow(/postgres "db\.example\.com:55432".*postgres:\/\/user@host:port\/database/);
    expect(() =>
      auditCsvPipeline.create(
        options('audit_bad_url', { postgres: 'postgres://u:secret@host:99999/db' as unknown as AuditCsvOptions['postgres'] }),
      ),
    ).toThrow(/postgres "postgres:\/\/u:\*\*\*@host:99999\/db"/);
    expect(() =>
      auditCsvPipeline.create(options('audit_bad_url', { postgres: { port: '55432' } as unknown as AuditCsvOptions['postgres'] })),
    ).toThrow(/port/);
  });

  it('dead-letters the rows of a file with columns that are neither loaded nor ignored, naming them, and loads nothing of it', async () => {
    const file = await put(join(root, 'audit_cols', 'in', 'audit', 'acme', 'a.csv'), WIDE);
    await runAuditCsv(options('audit_cols'), runDirect);
    expect(await rows('audit_cols')).toEqual([]);
    const rejected = await deadLetters(join(root, 'audit_cols', 'out', '_dead_letter'));
    expect(rejected.map((entry) => ({ source: entry.source, line: entry.line }))).toEqualInAnyOrder([
      { source: file, line: 2 },
      { source: file, line: 3 },
    ]);
    expect(rejected[0]!.reason).toMatch(/actor, source_ip.*extraColumns=actor,source_ip.*ignoreColumns/);
  });

  it('loads every column with extraColumns, drops ignored ones on purpose, and adds missing columns to an existing table with alterTable', async () => {
    await put(join(root, 'audit_all', 'in', 'audit', 'acme', 'a.csv'), WIDE);
    await runAuditCsv(options('audit_all', { ignoreColumns: ['actor', 'source_ip'] }), runDirect);
    expect(await rows('audit_all')).toHaveLength(2);
    await expect(
      runAuditCsv(options('audit_all', { extraColumns: ['actor', 'source_ip'], createTable: false }), runDirect),
    ).rejects.toThrow(/no column\(s\) actor, source_ip/);
    await runAuditCsv(options('audit_all', { extraColumns: ['actor', 'source_ip'], createTable: false, alterTable: true }), runDirect);
    const loaded = await postgres.client.query('SELECT event, actor, source_ip FROM audit_all ORDER BY timestamp');
    expect(loaded.rows).toEqual([
      { event: 'login', actor: 'bob', source_ip: '192.0.2.1' },
      { event: 'export', actor: 'eve', source_ip: null },
    ]);
  });

  it('without --output, asks for a dead-letter location instead of crashing, and runs with --dead-letter alone', async () => {
    await put(join(root, 'audit_noout', 'in', 'audit', 'acme', 'a.csv'), ACME);
    const { output: _output, ...withoutOutput } = options('audit_noout');
    expect(() => auditCsvPipeline.create(withoutOutput as AuditCsvOptions)).toThrow(/--dead-letter/);
    const deadLetter = join(root, 'audit_noout', 'rejected');
    await runAuditCsv({ ...withoutOutput, deadLetter } as AuditCsvOptions, runDirect);
    expect(await rows('audit_noout')).toHaveLength(2);
    expect(await deadLetters(deadLetter)).toHaveLength(2);
  });
});

describe('customerFromKey', () => {
  it('takes the segment after the prefix segment, in S3 keys and local paths', () => {
    expect(customerFromKey('s3://logs/exports/audit/acme/2024/01/a.csv', 'audit')).toBe('acme');
    expect(customerFromKey('/data/audit/globex/a.csv', 'audit')).toBe('globex');
  });

  it('names no customer when the prefix is missing or the file sits right under it', () => {
    expect(customerFromKey('s3://logs/other/acme/a.csv', 'audit')).toBeUndefined();
    expect(customerFromKey('s3://logs/audit/a.csv', 'audit')).toBeUndefined();
  });
});
