import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { duckdb, localCopy, sqlString } from '../../io/sinks/testing/read-output.js';
import { startS3Server, usesRealAws, type S3TestServer } from '../../test/servers/s3-server.js';
import { ALB_SAMPLE_TRUNCATED_LINE, expectedAlbRowsPerDay, filesUnder } from '../testing/alb-samples.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server();
}, 300_000);
afterAll(async () => {
  await s3?.stop();
});

function s3Flags(): string[] {
  return s3.endpoint === undefined
    ? []
    : ['--s3-endpoint', s3.endpoint, '--s3-path-style', '--s3-region', s3.settings.region ?? 'us-east-1'];
}

/** The test server's keys, handed to the CLI the way users do: in the environment. */
function credentialsEnv(): NodeJS.ProcessEnv {
  const credentials = s3.settings.credentials;
  return credentials === undefined
    ? process.env
    : { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
}

describe('logbeam run with S3', () => {
  it('writes Parquet to an s3:// output on an S3-compatible server, one row per valid sample line', async () => {
    const output = s3.prefix('cli-alb');
    const { code, stdout, stderr } = await runCli(
      ['run', 'alb', '-i', join(REPO_ROOT, 'samples', 'alb'), '-o', output, ...s3Flags(), '--workers', '1', '--json'],
      { env: credentialsEnv() },
    );
    expect(stderr).not.toContain('logbeam:');
    expect(stderr).not.toContain('NodeVersionSupportWarning');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ rejected: 1 });
    const local = await localCopy(output, s3.settings);
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

  it('fails naming an S3 prefix that holds no object, unless --allow-empty', async () => {
    const input = s3.prefix('cli-empty-input');
    const args = ['run', 'alb', '-i', input, '-o', s3.prefix('cli-empty-output'), ...s3Flags(), '--workers', '1', '--no-progress'];
    const refused = await runCli(args, { env: credentialsEnv() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`input "${input}" matched no files`);
    expect((await runCli([...args, '--allow-empty'], { env: credentialsEnv() })).code).toBe(0);
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
      ['run', 'alb', '-i', join(REPO_ROOT, 'samples', 'alb'), '-o', s3.prefix('no-creds'), ...s3Flags(), '--workers', '1'],
      { env },
    );
    expect(code).toBe(1);
    expect(stderr).toContain('no AWS credentials found');
    expect(stderr).toContain('AWS_ACCESS_KEY_ID');
  });
});
