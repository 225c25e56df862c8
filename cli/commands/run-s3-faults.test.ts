/**
 * Short S3 fault tests of `logbeam run` (one fault of each kind); the long variants are in
 * run-s3.faults.test.ts (`npm run test:faults`).
 */
import { startS3FaultBench, type S3FaultBench } from '../testing/s3-fault-bench.js';

const describeWithProxy = process.env['LOGBEAM_TEST_S3_BUCKET'] ? describe.skip : describe;
const FILES = 2;
const RECORDS_PER_FILE = 4000;
const RECORDS = FILES * RECORDS_PER_FILE;

let bench: S3FaultBench | undefined;
let input: string;
beforeAll(async () => {
  bench = await startS3FaultBench();
  if (bench !== undefined) input = await bench.uploadAlbInputs('faults-in', FILES, RECORDS_PER_FILE);
}, 180_000);
afterAll(async () => {
  await bench?.stop();
});
beforeEach(() => {
  bench?.proxy.setRules([]);
  bench?.proxy.clearLog();
});

function summaryOf(stdout: string): { filesRead: number; recordsRead: number; rejected: number } {
  return JSON.parse(stdout) as { filesRead: number; recordsRead: number; rejected: number };
}

describeWithProxy('logbeam run against S3 through a faulty connection', () => {
  it('reads every row when input downloads are reset or cut short (resumed with ranged GETs)', async () => {
    const { proxy } = bench!;
    const output = bench!.s3.prefix('faults-get');
    proxy.setRules([
      { operation: 'get', key: /faults-in\/part-0\.log\.gz$/, nth: [1], fault: { kind: 'short-body', bytes: 3000, reset: true } },
      { operation: 'get', key: /faults-in\/part-1\.log\.gz$/, nth: [1, 2], fault: { kind: 'short-body', bytes: 2000 } },
    ]);
    const run = await bench!.run(input, output);
    expect(run.stderr).not.toContain('logbeam:');
    expect(run.code).toBe(0);
    expect(summaryOf(run.stdout)).toMatchObject({ filesRead: FILES, recordsRead: RECORDS, rejected: 0 });
    expect(await bench!.published(output)).toMatchObject({ rows: RECORDS, manifests: 1 });
    const resumed = proxy.log.filter(
      (request) => request.operation === 'get' && request.headers['range'] !== undefined && request.headers['if-match'] !== undefined,
    );
    expect(resumed.map((request) => request.key.split('/').pop())).toEqual(['part-0.log.gz', 'part-1.log.gz', 'part-1.log.gz']);
  });

  it('fails naming the object when a commit copy keeps failing, publishes nothing, and the rerun publishes every row once', async () => {
    const { proxy } = bench!;
    const output = bench!.s3.prefix('faults-copy-500');
    const bookmark = `${output}-state/bookmark.json`;
    proxy.setRules([{ operation: 'copy', fault: { kind: 'status', status: 500 } }]);
    const failed = await bench!.run(input, output, ['--bookmark', bookmark], { AWS_MAX_ATTEMPTS: '2' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`copy to ${output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+\\.parquet: S3 answered 500`));
    expect(await bench!.published(output)).toEqual({ dataFiles: [], rows: 0, manifests: 0 });
    proxy.setRules([]);
    const rerun = await bench!.run(input, output, ['--bookmark', bookmark]);
    expect(rerun.code).toBe(0);
    // The rerun either finishes the failed run's commit (it was recorded as pending) or reads the inputs again:
    // either way every row is published exactly once.
    expect(await bench!.published(output)).toMatchObject({ rows: RECORDS });
  });

  it('retries 503/500 on uploads and copies and survives lost responses on both locks, a copy, the manifest and the bookmark: one commit, and a rerun adds nothing', async () => {
    const { proxy } = bench!;
    const output = bench!.s3.prefix('faults-lost');
    const bookmark = `${output}-state/bookmark.json`;
    proxy.setRules([
      { operation: 'put', key: /\/_lock$/, nth: [1], fault: { kind: 'lose-response' } },
      { operation: 'put', key: /bookmark\.json\.lock$/, nth: [1], fault: { kind: 'lose-response' } },
      { operation: 'put', key: /\.parquet$/, nth: [1], fault: { kind: 'status', status: 503 } },
      { operation: 'copy', nth: [1], fault: { kind: 'status', status: 500 } },
      { operation: 'copy', nth: [2], fault: { kind: 'lose-response' } },
      { operation: 'put', key: /\/_manifests\//, nth: [1], fault: { kind: 'lose-response' } },
      { operation: 'put', key: /bookmark\.json$/, nth: [1], fault: { kind: 'lose-response' } },
    ]);
    const run = await bench!.run(input, output, ['--bookmark', bookmark]);
    expect(run.stderr).not.toContain('logbeam:');
    expect(run.code).toBe(0);
    expect(proxy.log.filter((request) => request.fault === 'lose-response')).toHaveLength(5);
    expect(proxy.log.filter((request) => request.fault === 'status')).toHaveLength(2);
    const first = await bench!.published(output);
    expect(first).toMatchObject({ rows: RECORDS, manifests: 1 });
    proxy.setRules([]);
    const rerun = await bench!.run(input, output, ['--bookmark', bookmark]);
    expect(rerun.code).toBe(0);
    expect(summaryOf(rerun.stdout)).toMatchObject({ filesRead: 0 });
    expect(await bench!.published(output)).toMatchObject({ rows: RECORDS, dataFiles: first.dataFiles });
  });
});
