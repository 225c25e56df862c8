import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeFor } from '../../io/storage/store-for.js';
import { useMotoCli } from '../../test/servers/moto-cli.js';
import { ALB_SAMPLES } from '../testing/alb-samples.js';
import { runCli } from '../testing/run-cli.js';

const moto = useMotoCli();
let staging: string;
beforeAll(async () => {
  staging = await mkdtemp(join(tmpdir(), 'logbeam-query-s3-tmp-'));
});

/** The test server's keys in the environment, as users give them; TMPDIR points at a folder this test watches. */
function env(): NodeJS.ProcessEnv {
  return moto.env({ TMPDIR: staging });
}

/** What logbeam query left in its temporary folder (tsx keeps its own cache there). */
async function downloads(): Promise<string[]> {
  return (await readdir(staging)).filter((name) => name.startsWith('logbeam-query-'));
}

function jsonLines(text: string): unknown[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

describe('logbeam query --from s3://', () => {
  it('queries output on an S3-compatible server with the numbers of the same output written locally, and removes its download', async () => {
    const remote = `${moto.s3.prefix('query')}/alb`;
    const local = join(await mkdtemp(join(tmpdir(), 'logbeam-query-s3-')), 'alb');
    for (const output of [remote, local]) {
      const run = await runCli(['run', 'alb', '-i', ALB_SAMPLES, '-o', output, ...moto.s3Flags(), '--workers', '1', '--no-progress'], {
        env: env(),
      });
      expect(run.code).toBe(0);
    }
    const sql = 'select day, elb_status_code, count(*) as n, sum(sent_bytes) as sent from alb group by all order by all';
    const fromS3 = await runCli(['query', sql, '--from', remote, ...moto.s3Flags(), '--format', 'json'], { env: env() });
    expect(fromS3.stderr).toBe('');
    expect(fromS3.code).toBe(0);
    const fromDisk = await runCli(['query', sql, '--from', local, '--format', 'json']);
    expect(fromDisk.code).toBe(0);
    expect(jsonLines(fromS3.stdout).length).toBeGreaterThan(10);
    expect(jsonLines(fromS3.stdout)).toEqual(jsonLines(fromDisk.stdout));
    expect(await downloads()).toEqual([]);
  });

  it('refuses a prefix larger than --max-download-mb before downloading, and names it', async () => {
    const prefix = moto.s3.prefix('query-big');
    await storeFor(prefix, moto.s3.settings).write(`${prefix}/big/part-0.csv`, `n\r\n${'1\r\n'.repeat(600_000)}`);
    const { code, stderr } = await runCli(
      ['query', 'select count(*) from big', '--from', prefix, ...moto.s3Flags(), '--max-download-mb', '1'],
      {
        env: env(),
      },
    );
    expect(code).toBe(1);
    expect(stderr).toContain(`the data files under ${prefix} add up to more than 1048576 bytes`);
    expect(stderr).toContain('raise --max-download-mb');
    expect(await downloads()).toEqual([]);
    const allowed = await runCli(
      ['query', 'select count(*) as n from big', '--from', prefix, ...moto.s3Flags(), '--max-download-mb', '2', '--format', 'json'],
      {
        env: env(),
      },
    );
    expect(allowed.stderr).toBe('');
    expect(jsonLines(allowed.stdout)).toEqual([{ n: 600_000 }]);
  });
});
