import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { duckdb, sqlString, withLocalCopy } from '../../io/sinks/testing/read-output.js';
import { useMotoCli } from '../../test/servers/moto-cli.js';
import { usesRealAws } from '../../test/servers/s3-server.js';
import { ALB_SAMPLE_TRUNCATED_LINE, expectedAlbRowsPerDay, filesUnder } from '../testing/alb-samples.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

const moto = useMotoCli();

describe('logbeam run with S3', () => {
  it('writes Parquet to an s3:// output on an S3-compatible server, one row per valid sample line', async () => {
    const output = moto.s3.prefix('cli-alb');
    const { code, stdout, stderr } = await runCli(
      ['run', 'alb', '-i', join(REPO_ROOT, 'samples', 'alb'), '-o', output, ...moto.s3Flags(), '--workers', '1', '--json'],
      { env: moto.env() },
    );
    expect(stderr).not.toContain('logbeam:');
    expect(stderr).not.toContain('NodeVersionSupportWarning');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ rejected: 1 });
    await withLocalCopy(output, moto.s3.settings, async (local) => {
      const rows = await duckdb(
        `SELECT year || '-' || month || '-' || day AS day, count(*)::INTEGER AS n FROM read_parquet(${sqlString(`${local}/**/*.parquet`)}, hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
      );
      expect(rows).toEqual(await expectedAlbRowsPerDay());
      const deadLetters = (await filesUnder(join(local, '_dead_letter'))).filter((file) => file.endsWith('.jsonl'));
      const rejects = (await Promise.all(deadLetters.map((file) => readFile(file, 'utf8')))).join('').trim().split('\n');
      expect(rejects.map((line) => JSON.parse(line) as unknown)).toEqual([
        expect.objectContaining({
          line: ALB_SAMPLE_TRUNCATED_LINE.line,
          source: expect.stringContaining(ALB_SAMPLE_TRUNCATED_LINE.fileSuffix),
        }),
      ]);
    });
  });

  it('fails naming an S3 prefix that holds no object, unless --allow-empty', async () => {
    const input = moto.s3.prefix('cli-empty-input');
    const args = [
      'run',
      'alb',
      '-i',
      input,
      '-o',
      moto.s3.prefix('cli-empty-output'),
      ...moto.s3Flags(),
      '--workers',
      '1',
      '--no-progress',
    ];
    const refused = await runCli(args, { env: moto.env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`input "${input}" matched no files`);
    expect((await runCli([...args, '--allow-empty'], { env: moto.env() })).code).toBe(0);
  });

  // Against real AWS (LOGBEAM_TEST_S3_BUCKET) the environment has credentials by design: jest reports this as skipped.
  (usesRealAws() ? it.skip : it)('fails fast with what to set when no AWS credentials can be found', async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: '/nonexistent',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const { code, stderr } = await runCli(
      ['run', 'alb', '-i', join(REPO_ROOT, 'samples', 'alb'), '-o', moto.s3.prefix('no-creds'), ...moto.s3Flags(), '--workers', '1'],
      { env },
    );
    expect(code).toBe(1);
    expect(stderr).toContain('no AWS credentials found');
    expect(stderr).toContain('AWS_ACCESS_KEY_ID');
  });
});
