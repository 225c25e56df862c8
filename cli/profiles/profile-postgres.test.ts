/**
 * A profile's `postgres` setting end to end: `logbeam run audit-csv` with no `--param postgres` loads a real
 * PostgreSQL named only by logbeam.yaml (as a URL, and as a mapping of connection parts), and the rows read back
 * with SQL are the input's records. The PG* variables point nowhere, so a run that ignored the profile fails.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usePostgres } from '../../test/servers/postgres-fixture.js';
import { runCli } from '../testing/run-cli.js';

const postgres = usePostgres();
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'logbeam-profile-pg-'));
});
afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

interface AuditRecord {
  readonly customer: string;
  readonly event: string;
  readonly at: string;
}

/** Records of two customers, one a minute from 2024-03-04T05:06:07Z, with events that need CSV quoting. */
function records(count: number): AuditRecord[] {
  const events = ['login', 'export', 'delete, then undo', 'say "hi"'];
  return Array.from({ length: count }, (_, index) => ({
    customer: index % 3 === 0 ? 'globex' : 'acme',
    event: events[index % events.length]!,
    at: new Date(Date.UTC(2024, 2, 4, 5, 6 + index, 7)).toISOString().replace('.000Z', 'Z'),
  }));
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes each customer's records as audit/<customer>/a.csv under `input`, with one bad line at the end. */
async function writeInput(input: string, rows: readonly AuditRecord[]): Promise<Map<string, number>> {
  const badLines = new Map<string, number>();
  for (const customer of new Set(rows.map((row) => row.customer))) {
    const mine = rows.filter((row) => row.customer === customer);
    const lines = ['timestamp,customer,event', ...mine.map((row) => [row.at, row.customer, row.event].map(csvField).join(','))];
    lines.push(`not-a-time,${customer},login`);
    const file = join(input, 'audit', customer, 'a.csv');
    await mkdir(join(input, 'audit', customer), { recursive: true });
    await writeFile(file, `${lines.join('\n')}\n`);
    badLines.set(file, lines.length);
  }
  return badLines;
}

/** The environment with the PG* variables pointing at nothing: only the profile can name the database. */
function envWithoutPg(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('PG') || name === 'LOGBEAM_PROFILE') delete env[name];
  return { ...env, PGHOST: '/nonexistent-socket-dir', PGPORT: '1', PGUSER: 'nobody', PGDATABASE: 'nothing' };
}

async function loaded(table: string): Promise<AuditRecord[]> {
  const result = await postgres.client.query(
    `SELECT customer, event, to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at FROM ${table} ORDER BY timestamp, customer`,
  );
  return result.rows as AuditRecord[];
}

async function deadLetters(dir: string): Promise<Array<{ source: string; line: number }>> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.jsonl'));
  const text = (await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')))).join('');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { source: string; line: number });
}

describe('a profile postgres setting', () => {
  const url = () => postgres.server.connectionString;
  const parts = () => {
    const parsed = new URL(postgres.server.connectionString);
    const quote = (value: string) => JSON.stringify(decodeURIComponent(value));
    return `{ host: ${parsed.hostname}, port: ${parsed.port}, user: ${quote(parsed.username)}, password: ${quote(parsed.password)}, database: ${quote(parsed.pathname.slice(1))} }`;
  };

  it.each([
    ['a postgres:// URL', 'profile_pg_url', url],
    ['a mapping of connection parts', 'profile_pg_parts', parts],
  ])(
    'given as %s loads run audit-csv into that database',
    async (_label, table, setting) => {
      const cwd = join(root, table);
      const input = join(cwd, 'in');
      const output = join(cwd, 'out');
      const expected = records(25);
      const badLines = await writeInput(input, expected);
      await writeFile(join(cwd, 'logbeam.yaml'), `default_profile: db\nprofiles:\n  db:\n    postgres: ${setting()}\n    workers: 1\n`);
      const shown = JSON.parse((await runCli(['config', 'show', '--json'], { cwd, env: envWithoutPg() })).stdout) as {
        settings: Array<{ setting: string; source: string }>;
      };
      expect(shown.settings.find((entry) => entry.setting === 'postgres')?.source).toBe('profile');

      const run = await runCli(
        ['run', 'audit-csv', '-i', input, '-o', output, '--param', `table=${table}`, '--param', 'createTable=true', '--no-progress'],
        { cwd, env: envWithoutPg(), timeoutMs: 180_000 },
      );
      expect(run.stderr).not.toContain('logbeam:');
      expect(run.code).toBe(0);
      const byTime = (a: AuditRecord, b: AuditRecord) => (a.at === b.at ? a.customer.localeCompare(b.customer) : a.at < b.at ? -1 : 1);
      expect(await loaded(table)).toEqual([...expected].sort(byTime));
      const rejected = await deadLetters(join(output, '_dead_letter'));
      expect(rejected.map((entry) => [entry.source, entry.line]).sort()).toEqual([...badLines.entries()].sort());
    },
    240_000,
  );
});
