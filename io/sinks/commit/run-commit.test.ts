import { RunCommitError } from '../../../core/run-commit-error.js';
import { Pipeline } from '../../../core/pipeline.js';
import { field, schema } from '../../../core/schema.js';
import { runFailure } from '../../../cli/run-failure.js';
import type { S3Settings } from '../../storage/s3-settings.js';
import { runDirect } from '../../../runners/direct/direct-runner.js';
import { startS3Server, type S3TestServer } from '../../../test/servers/s3-server.js';
import { map } from '../../../transforms/map.js';
import { readLogs } from '../../sources/read-logs.js';
import { testLinesFormat, type TestRecord } from '../../sources/fixtures/test-format.js';
import { writeDeadLetters } from '../dead-letters.js';
import { writeParquet } from '../parquet/index.js';
import { bookmarked, deadLetterLines, locationsUnder, tableValues, writeInputs, type Locations } from './fixtures/crash-harness.js';
import { startFailingProxy, type FailingProxy } from './fixtures/failing-put-proxy.js';

let s3: S3TestServer;
let proxy: FailingProxy;

beforeAll(async () => {
  s3 = await startS3Server();
  if (s3.endpoint === undefined) throw new Error('this test needs the local S3 test server (a proxy in front of it injects the failure)');
  proxy = await startFailingProxy(s3.endpoint);
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
});

function runThroughProxy(locations: Locations): Promise<unknown> {
  const settings = { ...s3.settings, endpoint: proxy.endpoint } as S3Settings;
  const p = Pipeline.create();
  const { records, deadLetter } = p.apply(
    readLogs(testLinesFormat, { input: locations.input, bookmark: locations.bookmark, s3: settings }),
  );
  records.apply(map((record: TestRecord) => ({ value: record.value, time: record.time }))).apply(
    writeParquet({
      output: locations.output,
      s3: settings,
      schema: schema([field('value', 'string'), field('time', 'timestamp')]),
      timestampField: 'time',
      timePartitioning: 'day',
    }),
  );
  deadLetter.apply(writeDeadLetters(locations.deadLetters, { s3: settings }));
  return runDirect(p, { workers: 1 });
}

describe('one commit decision for every sink and the bookmark of a run', () => {
  it('when the dead-letter manifest PUT answers 500 after the table was published: says so, and the rerun completes it without duplicating a row', async () => {
    const locations = locationsUnder(s3.prefix('decision'));
    const expected = await writeInputs(locations, s3.settings);
    proxy.failWhen((method, path) => method === 'PUT' && path.includes('/out/dead/_manifests/'));
    const failure = await runThroughProxy(locations).then(
      () => undefined,
      (error: unknown) => error,
    );
    proxy.failWhen(undefined);
    expect(proxy.failed.length).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(RunCommitError);
    const error = failure as RunCommitError;
    expect(error.decided).toBe(true);
    // After the decision every sink is published that can be: only the dead letters are left pending.
    expect(error.published.map((sink) => sink.label)).toEqual(['WriteParquet', 'ReadLogs(csv)/CommitBookmark']);
    expect(error.pending.map((sink) => sink.label)).toEqual(['WriteDeadLetters']);
    const hint = runFailure('test', error).hint!;
    expect(hint).toMatch(/committed but not every output is published/);
    expect(hint).not.toMatch(/nothing was published/);
    // What the message says is published is published, whole.
    expect(await tableValues(locations.output, s3.settings)).toEqual(expected.values);

    await runThroughProxy(locations);
    expect(await tableValues(locations.output, s3.settings)).toEqual(expected.values);
    expect(await deadLetterLines(locations.deadLetters, s3.settings)).toEqual(expected.badLines);
    expect(await bookmarked(locations.bookmark, s3.settings)).toEqual(expected.inputs);
  }, 120_000);

  it('when a PUT fails before the decision: nothing is published, the message says so, and the rerun writes everything once', async () => {
    const locations = locationsUnder(s3.prefix('undecided'));
    const expected = await writeInputs(locations, s3.settings);
    proxy.failWhen((method, path) => method === 'PUT' && path.includes('/state/bookmark.json.pending'));
    const failure = await runThroughProxy(locations).then(
      () => undefined,
      (error: unknown) => error,
    );
    proxy.failWhen(undefined);
    expect(failure).toBeInstanceOf(RunCommitError);
    expect((failure as RunCommitError).decided).toBe(false);
    expect((failure as RunCommitError).published).toEqual([]);
    expect(runFailure('test', failure).hint).toMatch(/^nothing was published/);
    expect(await tableValues(locations.output, s3.settings)).toEqual([]);
    expect(await deadLetterLines(locations.deadLetters, s3.settings)).toEqual([]);

    await runThroughProxy(locations);
    expect(await tableValues(locations.output, s3.settings)).toEqual(expected.values);
    expect(await deadLetterLines(locations.deadLetters, s3.settings)).toEqual(expected.badLines);
    expect(await bookmarked(locations.bookmark, s3.settings)).toEqual(expected.inputs);
  }, 120_000);
});
