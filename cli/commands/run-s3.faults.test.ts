/**
 * Long S3 fault tests of `logbeam run` (`npm run test:faults`): seeded random faults on every kind of request,
 * and kill -9 of a run writing to S3. The short variants are in run-s3-faults.test.ts; multipart upload faults
 * are tested on the store (io/storage/s3-upload-faults.test.ts).
 */
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import type { Fault, FaultRule } from '../../test/servers/fault-proxy.js';
import { storeFor } from '../../io/storage/store-for.js';
import { REPO_ROOT } from '../testing/run-cli.js';
import { startS3FaultBench, type S3FaultBench } from '../testing/s3-fault-bench.js';

const describeWithProxy = process.env['LOGBEAM_TEST_S3_BUCKET'] ? describe.skip : describe;
/**
 * Enough records that the run is still writing half a second after it took its locks, when it is killed. 30,000
 * were once a few seconds; by 2026-12 a run could finish and release its bookmark lock inside that half second.
 */
const BIG_RECORDS = 150_000;
const SMALL_FILES = 3;
const SMALL_RECORDS_PER_FILE = 2000;

let bench: S3FaultBench | undefined;
let bigInput: string;
let smallInput: string;
beforeAll(async () => {
  bench = await startS3FaultBench();
  if (bench === undefined) return;
  bigInput = await bench.uploadAlbInputs('faults-big-in', 1, BIG_RECORDS);
  smallInput = await bench.uploadAlbInputs('faults-small-in', SMALL_FILES, SMALL_RECORDS_PER_FILE);
}, 300_000);
afterAll(async () => {
  await bench?.stop();
});
beforeEach(() => {
  bench?.proxy.setRules([]);
  bench?.proxy.clearLog();
});

function summaryOf(stdout: string): { filesRead: number; recordsRead: number } {
  return JSON.parse(stdout) as { filesRead: number; recordsRead: number };
}

describeWithProxy('logbeam run against S3 under sustained faults', () => {
  it('under seeded random faults on any request, commits every row exactly once, and a rerun adds nothing', async () => {
    const kinds: readonly Fault[] = [
      { kind: 'reset' },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 500 },
      { kind: 'short-body', bytes: 700, reset: true },
      { kind: 'lose-response' },
    ];
    // Each trial: a fault on about one request in eight (draws past the last kind mean no fault).
    const plans = fc.sample(fc.array(fc.integer({ min: 0, max: kinds.length * 8 - 1 }), { minLength: 400, maxLength: 400 }), {
      seed: 13,
      numRuns: 2,
    });
    for (const [trial, plan] of plans.entries()) {
      const rules: FaultRule[] = kinds.map((fault, kind) => ({
        fault,
        nth: plan.flatMap((drawn, index) => (drawn === kind ? [index + 1] : [])),
      }));
      const output = bench!.s3.prefix(`faults-chaos-${trial}`);
      const bookmark = `${output}-state/bookmark.json`;
      bench!.proxy.setRules(rules);
      bench!.proxy.clearLog();
      const run = await bench!.run(smallInput, output, ['--bookmark', bookmark]);
      const faults = bench!.proxy.log
        .filter((request) => request.fault !== undefined)
        .map((request) => `${request.operation}:${request.fault}`);
      expect({ trial, faults, code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ trial, faults, code: 0, stderr: '' });
      expect(await bench!.published(output)).toMatchObject({ rows: SMALL_FILES * SMALL_RECORDS_PER_FILE, manifests: 1 });
      bench!.proxy.setRules([]);
      const rerun = await bench!.run(smallInput, output, ['--bookmark', bookmark]);
      expect(rerun.code).toBe(0);
      expect(summaryOf(rerun.stdout)).toMatchObject({ filesRead: 0 });
      expect((await bench!.published(output)).rows).toBe(SMALL_FILES * SMALL_RECORDS_PER_FILE);
    }
  });

  it('after kill -9 of a run writing to S3, the rerun takes over both locks and publishes every row once', async () => {
    const { s3 } = bench!;
    const output = s3.prefix('faults-kill');
    const bookmark = `${output}-state/bookmark.json`;
    const store = storeFor(output, s3.settings);
    const credentials = s3.settings.credentials!;
    const args = [
      'run',
      'alb',
      '-i',
      bigInput,
      '-o',
      output,
      '--bookmark',
      bookmark,
      '--s3-endpoint',
      s3.endpoint!,
      '--s3-path-style',
      '--workers',
      '1',
      '--no-progress',
    ];
    const env = { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
    const child = spawn(process.execPath, ['--import', 'tsx', `${REPO_ROOT}cli/main.ts`, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    while (!((await store.exists(`${output}/_lock`)) && (await store.exists(`${bookmark}.lock`)))) {
      if (child.exitCode !== null) throw new Error(`the run ended (exit ${child.exitCode}) before it was killed`);
      await new Promise((wake) => setTimeout(wake, 100));
    }
    await new Promise((wake) => setTimeout(wake, 500));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await store.exists(`${bookmark}.lock`)).toBe(true);
    const rerun = await bench!.run(bigInput, output, ['--bookmark', bookmark]);
    expect(rerun.stderr).not.toContain('logbeam bookmark unlock');
    expect(rerun.code).toBe(0);
    expect(await bench!.published(output)).toMatchObject({ rows: BIG_RECORDS });
    expect(await store.exists(`${bookmark}.lock`)).toBe(false);
    expect(await store.exists(`${output}/_lock`)).toBe(false);
  });
});
