/**
 * `--runner portable --ship-no-jars` to a Flink job server that lacks logbeam's support jar: the server refuses
 * the job with a bare INTERNAL at Run, so the CLI says why and names the jar to add. (That the flag ships no jars
 * to a cluster is checked on the 2-TaskManager cluster, flink-cluster.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fetchBeam,
  flinkJobServerClassPath,
  flinkSupportJar,
  portablePrerequisitesMissing,
} from '../../runners/portable/flink-job-server.js';
import { freePort, startJobService, type JobServer } from '../../runners/portable/job-server.js';
import { REPO_ROOT } from './fixtures/installed-package.js';
import { describeIfPrerequisites } from './prerequisites.js';

describeIfPrerequisites('--ship-no-jars to a Flink job server without logbeam-support.jar', portablePrerequisitesMissing(), () => {
  const root = mkdtempSync(join(tmpdir(), 'logbeam-ship-no-jars-'));
  let server: JobServer | undefined;

  beforeAll(async () => {
    fetchBeam();
    const port = await freePort();
    server = await startJobService(
      'a Flink job server without logbeam-support.jar',
      'java',
      [
        '-Xmx512m',
        '-cp',
        flinkJobServerClassPath(),
        'org.apache.beam.runners.flink.FlinkJobServerDriver',
        '--flink-master=[local]',
        '--job-host=127.0.0.1',
        `--job-port=${port}`,
        `--artifact-port=${await freePort()}`,
        '--expansion-port=-1',
      ],
      `127.0.0.1:${port}`,
      120_000,
    );
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('fails before submitting, saying the server cannot load the class and which jar to add', () => {
    const args = ['run', 'alb', '-i', join(REPO_ROOT, 'samples', 'alb'), '-o', join(root, 'out'), '--runner', 'portable'];
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'cli', 'main.ts'),
        ...args,
        '--job-endpoint',
        server!.endpoint,
        '--ship-no-jars',
        '--no-progress',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`the job server at ${server!.endpoint} refused the job`);
    expect(run.stderr).toContain('with --ship-no-jars it must load logbeam.NoFilesToStage');
    expect(run.stderr).toContain(`add ${flinkSupportJar()} to the job server's class path`);
    expect(run.stderr).not.toContain('submitted job');
    expect(server!.log()).toContain('ClassNotFoundException: logbeam.NoFilesToStage');
  });
});
