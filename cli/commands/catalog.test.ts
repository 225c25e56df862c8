import { GetTableCommand, type Partition } from '@aws-sdk/client-glue';
import { parseDdl } from '../../io/catalog/testing/athena-ddl-checks.js';
import { duckdb, withLocalCopy, sqlString } from '../../io/sinks/testing/read-output.js';
import { useMotoCli } from '../../test/servers/moto-cli.js';
import { ALB_SAMPLES, expectedAlbRowsPerDay } from '../testing/alb-samples.js';
import { runCli } from '../testing/run-cli.js';
import { Watcher } from '../watch/testing/watcher.js';
import { filesUnder } from '../testing/alb-samples.js';

const moto = useMotoCli();

beforeAll(async () => {
  await moto.createGlueDatabase('logs');
});

async function partitionsOf(database: string, table: string): Promise<Partition[]> {
  return (await moto.gluePartitions(database, table)).sort((a, b) => (a.Values!.join('-') < b.Values!.join('-') ? -1 : 1));
}

/** The days present in the output, read by DuckDB from the Parquet files' partition paths. */
async function daysInOutput(output: string): Promise<string[]> {
  const rows = await withLocalCopy(output, moto.s3.settings, (local) =>
    duckdb(
      `SELECT DISTINCT year || '-' || month || '-' || day AS day FROM read_parquet(${sqlString(`${local}/**/*.parquet`)}, hive_partitioning = true) ORDER BY 1`,
    ),
  );
  return rows.map((row) => row['day'] as string);
}

describe('the Glue Data Catalog', () => {
  it('run --catalog creates the table with the columns of logbeam ddl and adds the partitions the run wrote; catalog register is idempotent', async () => {
    const output = moto.s3.prefix('alb');
    const run = await runCli(
      [
        'run',
        'alb',
        '-i',
        ALB_SAMPLES,
        '-o',
        output,
        '--catalog',
        'logs.alb_logs',
        ...moto.glueFlags(),
        '--workers',
        '1',
        '--no-progress',
        ...moto.s3Flags(),
      ],
      { env: moto.env(), timeoutMs: 180_000 },
    );
    expect(run.stderr).toContain('glue: logs.alb_logs created');
    expect(run.code).toBe(0);
    const ddl = parseDdl((await runCli(['ddl', 'alb', '--location', output])).stdout);
    const table = (await moto.glue().send(new GetTableCommand({ DatabaseName: 'logs', Name: 'alb_logs' }))).Table!;
    expect(table.StorageDescriptor?.Columns?.map((column) => ({ name: column.Name, type: column.Type }))).toEqual(ddl.columns);
    expect(table.PartitionKeys?.map((key) => key.Name)).toEqual(ddl.partitions);
    expect(table.StorageDescriptor?.Location).toBe(ddl.location);
    expect(table.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(table.TableType).toBe('EXTERNAL_TABLE');
    const days = await daysInOutput(output);
    expect(days).toEqual((await expectedAlbRowsPerDay()).map((entry) => entry.day));
    const partitions = await partitionsOf('logs', 'alb_logs');
    expect(partitions.map((partition) => partition.Values!.join('-'))).toEqual(days);
    for (const partition of partitions) {
      const [year, month, day] = partition.Values!;
      expect(partition.StorageDescriptor?.Location).toBe(`${output}/year=${year}/month=${month}/day=${day}/`);
    }
    const again = await runCli(
      [
        'catalog',
        'register',
        'alb',
        '--location',
        output,
        '--database',
        'logs',
        '--table',
        'alb_logs',
        ...moto.glueFlags(),
        ...moto.s3Flags(),
        '--json',
      ],
      { env: moto.env() },
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      registered: [{ table: 'logs.alb_logs', location: output, outcome: 'unchanged', partitionsAdded: 0, partitionsExisting: days.length }],
    });
  }, 300_000);

  it('a catalog failure after the commit keeps the data, exits 5 and prints the command that registers it', async () => {
    const output = moto.s3.prefix('alb-nodb');
    const run = await runCli(
      [
        'run',
        'alb',
        '-i',
        ALB_SAMPLES,
        '-o',
        output,
        '--catalog',
        'later.alb_logs',
        ...moto.glueFlags(),
        '--workers',
        '1',
        '--no-progress',
        ...moto.s3Flags(),
      ],
      { env: moto.env(), timeoutMs: 180_000 },
    );
    expect(run.code).toBe(5);
    expect(run.stderr).toContain("the run's data is committed, but registering it in the Glue catalog later failed");
    expect(run.stderr).toContain('Glue database "later" does not exist');
    expect(await daysInOutput(output)).toEqual((await expectedAlbRowsPerDay()).map((entry) => entry.day));
    const command = /To register it, fix the cause and run:\n {2}(logbeam catalog register .*)\n/.exec(run.stderr)?.[1];
    expect(command).toBeDefined();
    await moto.createGlueDatabase('later');
    const args = command!.split(' ').slice(1);
    const registered = await runCli(args, { env: moto.env() });
    expect(registered.stderr).toBe('');
    expect(registered.code).toBe(0);
    expect((await partitionsOf('later', 'alb_logs')).map((partition) => partition.Values!.join('-'))).toEqual(await daysInOutput(output));
  }, 300_000);

  it('run --watch --catalog registers each cycle; partitions Glue refused are registered again once it accepts them', async () => {
    const input = `${moto.s3.prefix('watch-in')}/`;
    const output = moto.s3.prefix('watch-alb');
    const samples = await filesUnder(ALB_SAMPLES);
    await moto.upload(samples[0]!, `${input}a.log.gz`);
    const watcher = new Watcher(
      [
        'run',
        'alb',
        '-i',
        input,
        '-o',
        output,
        '--bookmark',
        `${moto.s3.prefix('watch-bm')}.json`,
        '--watch',
        '--interval',
        '1s',
        '--json',
        '--max-failures',
        '100',
        '--catalog',
        'watched.alb_logs',
        ...moto.glueFlags(),
        '--workers',
        '1',
        ...moto.s3Flags(),
      ],
      moto.env(),
    );
    await watcher.waitFor('a cycle whose registration failed', () => watcher.cycles.some((line) => line.catalog?.ok === false));
    // stderr and stdout are separate pipes: the cycle's JSON line may arrive before its message does.
    await watcher.waitFor('the registration error on stderr', () => watcher.stderr.includes('Glue database "watched" does not exist'));
    await moto.createGlueDatabase('watched');
    await watcher.waitFor('a registration that worked', () => watcher.cycles.some((line) => line.catalog?.ok === true));
    for (const [index, file] of samples.slice(1).entries()) await moto.upload(file, `${input}${index}.log.gz`);
    await watcher.waitFor('every sample file', () => watcher.filesCommitted() === samples.length);
    await watcher.waitFor('the last registration', () => watcher.cycles.at(-1)?.catalog?.ok === true);
    watcher.kill('SIGTERM');
    expect((await watcher.exited).code).toBe(0);
    expect((await partitionsOf('watched', 'alb_logs')).map((partition) => partition.Values!.join('-'))).toEqual(await daysInOutput(output));
  }, 300_000);

  it('fails fast on a --catalog the run cannot register', async () => {
    const local = await runCli(['run', 'alb', '-i', ALB_SAMPLES, '-o', '/tmp/logbeam-never', '--catalog', 'logs.t']);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('--catalog registers an s3:// output in Glue');
    const badName = await runCli(['run', 'alb', '-i', ALB_SAMPLES, '-o', 's3://b/x', '--catalog', 'logs.t-1']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('--catalog: expected <database> or <database>.<table>');
    const many = await runCli(['catalog', 'register', 'security-features', '--location', 's3://b/x', '--database', 'logs', '--table', 't']);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('writes 2 tables');
  });
});
