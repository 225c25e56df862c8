import { join } from 'node:path';
import { runTargetFromFlags } from './cluster-flags.js';
import { UsageError } from './errors.js';
import { runCli } from './testing/run-cli.js';

const problems = (values: Record<string, string | string[] | boolean>): string => {
  try {
    runTargetFromFlags('run', values);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${JSON.stringify(values)}`);
};

describe('run --runner portable|flink|spark flags', () => {
  it('decodes each runner with its flags', () => {
    expect(runTargetFromFlags('run', {})).toEqual({ runner: 'direct' });
    expect(
      runTargetFromFlags('run', { runner: 'portable', 'job-endpoint': 'jobs.internal:8099', 'worker-pool': '10.0.0.5:50000' }),
    ).toEqual({
      runner: 'portable',
      jobEndpoint: 'jobs.internal:8099',
      workerPool: '10.0.0.5:50000',
    });
    expect(runTargetFromFlags('run', { runner: 'flink' })).toEqual({ runner: 'flink', engine: { kind: 'flink' } });
    expect(runTargetFromFlags('run', { runner: 'flink', 'flink-master': 'localhost:8081' })).toEqual({
      runner: 'flink',
      engine: { kind: 'flink', master: 'localhost:8081' },
    });
    expect(runTargetFromFlags('run', { runner: 'spark', 'spark-master': 'local[2]' })).toEqual({
      runner: 'spark',
      engine: { kind: 'spark', master: 'local[2]' },
    });
    expect(
      runTargetFromFlags('run', { runner: 'spark', 'spark-master': 'spark://master.internal:7077', 'worker-pool': 'pool:50000' }),
    ).toEqual({ runner: 'spark', engine: { kind: 'spark', master: 'spark://master.internal:7077' }, workerPool: 'pool:50000' });
  });

  it('--ship-no-jars asks a job server given with --job-endpoint to stage no jars, and only that', () => {
    expect(runTargetFromFlags('run', { runner: 'portable', 'job-endpoint': 'jobs.internal:8099', 'ship-no-jars': true })).toEqual({
      runner: 'portable',
      jobEndpoint: 'jobs.internal:8099',
      shipNoJars: true,
    });
    expect(problems({ runner: 'flink', 'ship-no-jars': true })).toBe(
      '--ship-no-jars is only used with --runner portable: --runner flink starts its own job server, which ships no jars already',
    );
    expect(problems({ 'ship-no-jars': true })).toBe('--ship-no-jars is only used with --runner portable (this run uses --runner direct)');
  });

  it('rejects flags of another runner, naming the runner they belong to', () => {
    expect(problems({ 'job-endpoint': 'localhost:8099' })).toBe(
      '--job-endpoint is only used with --runner portable (this run uses --runner direct)',
    );
    expect(problems({ runner: 'flink', 'spark-master': 'local[2]' })).toContain('--spark-master is only used with --runner spark');
    expect(problems({ runner: 'spark', 'spark-master': 'local', 'flink-master': 'localhost:8081' })).toContain(
      '--flink-master is only used with --runner flink',
    );
    expect(problems({ 'worker-pool': 'localhost:50000' })).toContain('--worker-pool is only used with --runner portable|flink|spark');
  });

  it('asks for what a runner needs, and for a worker pool a remote cluster can reach', () => {
    expect(problems({ runner: 'portable' })).toContain('--runner portable needs --job-endpoint <host:port>');
    expect(problems({ runner: 'spark' })).toContain('--runner spark needs --spark-master <url>');
    expect(problems({ runner: 'flink', 'flink-master': 'jobmanager.internal:8081' })).toContain(
      "the cluster at jobmanager.internal:8081 cannot reach SDK harnesses inside this process: start 'logbeam worker-pool",
    );
    expect(problems({ runner: 'spark', 'spark-master': 'spark://master.internal:7077' })).toContain('pass --worker-pool <host:port>');
  });

  it('rejects malformed addresses and masters with the expected form', () => {
    expect(problems({ runner: 'portable', 'job-endpoint': 'localhost' })).toBe(
      '--job-endpoint: expected host:port, e.g. localhost:8099, got "localhost"',
    );
    expect(problems({ runner: 'portable', 'job-endpoint': 'h:1', 'worker-pool': 'h:70000' })).toContain(
      '--worker-pool: expected host:port',
    );
    expect(problems({ runner: 'spark', 'spark-master': 'yarn' })).toBe(
      '--spark-master: expected local, local[N], local[*] or spark://host:port, got "yarn"',
    );
    expect(problems({ runner: 'mesos' })).toContain('--runner: expected one of direct, portable, flink, spark');
  });

  it('decodes --lease-endpoint, once per worker pool, next to the --worker-pool address the engine dials', () => {
    expect(
      runTargetFromFlags('run', {
        runner: 'flink',
        'flink-master': 'jobmanager.internal:8081',
        'worker-pool': 'logbeam-workers:50000',
        'lease-endpoint': ['10.0.0.5:50000', '10.0.0.6:50000'],
      }),
    ).toEqual({
      runner: 'flink',
      engine: { kind: 'flink', master: 'jobmanager.internal:8081' },
      workerPool: 'logbeam-workers:50000',
      leaseEndpoints: ['10.0.0.5:50000', '10.0.0.6:50000'],
    });
    expect(problems({ runner: 'flink', 'lease-endpoint': ['10.0.0.5:50000'] })).toContain(
      '--lease-endpoint needs --worker-pool <host:port>',
    );
    expect(
      problems({ runner: 'portable', 'job-endpoint': 'h:1', 'worker-pool': 'w:50000', 'lease-endpoint': ['10.0.0.5:50000', '10.0.0.6'] }),
    ).toBe('--lease-endpoint: expected host:port, e.g. localhost:8099, got "10.0.0.6"');
  });

  it('documents --lease-endpoint in run --help', async () => {
    const { code, stdout } = await runCli(['run', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--lease-endpoint <host:port> with --worker-pool: a worker pool as this host reaches it/);
  });

  it('fails a run with a bad combination before reading anything (exit 2, every problem listed)', async () => {
    const { code, stderr } = await runCli([
      'run',
      'alb',
      '--input',
      join('samples', 'alb'),
      '--output',
      'never-written',
      '--runner',
      'spark',
      '--job-endpoint',
      'localhost:8099',
      '--workers',
      'x',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--workers: expected a positive integer, got "x"');
    expect(stderr).toContain('--job-endpoint is only used with --runner portable (this run uses --runner spark)');
    expect(stderr).toContain('--runner spark needs --spark-master <url>');
  });
});
