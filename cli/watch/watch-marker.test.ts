import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { usePostgres } from '../../test/servers/postgres-fixture.js';
import { runCli } from '../testing/run-cli.js';
import { Watcher } from './testing/watcher.js';

const postgres = usePostgres();
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'logbeam-watch-marker-'));
});
afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

async function tableExists(table: string): Promise<boolean> {
  return (await postgres.client.query('SELECT to_regclass($1) AS t', [table])).rows[0].t !== null;
}

describe('audit-csv --when-marker', () => {
  it('a single run without the marker loads nothing and exits 75; --when-marker on another pipeline is refused', async () => {
    await put(join(root, 'single', 'in', 'audit', 'acme', 'a.csv'), 'timestamp,customer,event\n2024-01-02T03:04:05Z,acme,login\n');
    const args = ['run', 'audit-csv', '-i', join(root, 'single', 'in'), '-o', join(root, 'single', 'out')];
    const waiting = await runCli(
      [...args, '--bookmark', join(root, 'single', 'bm.json'), '--when-marker', join(root, 'single', '_READY')].concat([
        '--param',
        `postgres=${postgres.server.connectionString}`,
        '--param',
        'table=audit_single',
        '--param',
        'createTable=true',
      ]),
    );
    expect(waiting.stderr).toContain('waiting for the completion marker');
    expect(waiting.code).toBe(75);
    expect(await tableExists('audit_single')).toBe(false);
    const alb = await runCli([
      'run',
      'alb',
      '-i',
      root,
      '-o',
      join(root, 'o'),
      '--bookmark',
      join(root, 'b.json'),
      '--when-marker',
      join(root, 'm'),
    ]);
    expect(alb.code).toBe(2);
    expect(alb.stderr).toContain('--when-marker: pipeline alb has no completion marker');
  });

  it('in watch mode, cycles wait for the marker, load the batch once when it appears, then wait for a new marker', async () => {
    const marker = join(root, 'watch', 'markers', '_READY');
    await put(
      join(root, 'watch', 'in', 'audit', 'acme', 'a.csv'),
      'timestamp,customer,event\n2024-01-02T03:04:05Z,acme,login\n2024-01-02T03:05:00Z,acme,logout\n',
    );
    const watcher = new Watcher(
      [
        'run',
        'audit-csv',
        '-i',
        join(root, 'watch', 'in'),
        '-o',
        join(root, 'watch', 'out'),
        '--bookmark',
        join(root, 'watch', 'bm.json'),
        '--when-marker',
        marker,
        '--param',
        `postgres=${postgres.server.connectionString}`,
        '--param',
        'table=audit_watch',
        '--param',
        'createTable=true',
        '--watch',
        '--interval',
        '500ms',
        '--json',
        '--workers',
        '1',
      ],
      process.env,
    );
    await watcher.waitFor(
      'two cycles waiting for the marker',
      () => watcher.cycles.filter((line) => line.reason === 'waiting for the completion marker').length >= 2,
    );
    expect(await tableExists('audit_watch')).toBe(false);
    await put(marker, 'batch 1\n');
    await watcher.waitFor('the load', () => watcher.cycles.some((line) => line.status === 'committed'));
    await watcher.waitFor('a cycle that sees the marker loaded', () => watcher.cycles.at(-1)?.reason === 'the marker was already loaded');
    watcher.kill('SIGINT');
    expect((await watcher.exited).code).toBe(0);
    expect(watcher.cycles.filter((line) => line.status === 'committed').map((line) => line.summary?.recordsRead)).toEqual([2]);
    expect((await postgres.client.query('SELECT count(*)::int AS n FROM audit_watch')).rows[0].n).toBe(2);
  }, 180_000);
});
