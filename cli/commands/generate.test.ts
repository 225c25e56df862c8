import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCli } from '../testing/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-generate-'));
});

describe('logbeam generate', () => {
  it('writes the requested number of lines, the same for the same seed and different for another', async () => {
    const a = await runCli(['generate', 'alb', '--records', '40', '--seed', '5']);
    const b = await runCli(['generate', 'alb', '--records', '40', '--seed', '5']);
    const c = await runCli(['generate', 'alb', '--records', '40', '--seed', '6']);
    expect(a.code).toBe(0);
    expect(a.stdout.trim().split('\n')).toHaveLength(40);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('splits records over gzip files that parse without a single reject', async () => {
    const { code } = await runCli(['generate', 'vpc_flow', '--records', '25', '--files', '3', '--gzip', '--output', `${dir}/vpc/`]);
    expect(code).toBe(0);
    const names = (await readdir(join(dir, 'vpc'))).sort();
    expect(names).toEqual(['vpc_flow-0001.log.gz', 'vpc_flow-0002.log.gz', 'vpc_flow-0003.log.gz']);
    let records = 0;
    for (const name of names) {
      const parsed = await runCli(['parse', 'vpc_flow', join(dir, 'vpc', name), '--dead-letter', join(dir, `${name}.rejects`)]);
      expect(parsed.code).toBe(0);
      expect(await readFile(join(dir, `${name}.rejects`), 'utf8')).toBe('');
      records += parsed.stdout.trim().split('\n').length;
      expect(
        gunzipSync(await readFile(join(dir, 'vpc', name)))
          .toString('utf8')
          .split('\n')[0],
      ).toMatch(/^version account-id/);
    }
    expect(records).toBe(25);
  });

  it('fails with exit 2 when --records is missing or not a number', async () => {
    const missing = await runCli(['generate', 'alb']);
    const bad = await runCli(['generate', 'alb', '--records', 'ten']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--records is required');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--records: expected an integer >= 0, got "ten"');
  });
});
