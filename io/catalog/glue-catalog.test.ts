import { GetTableCommand, type Partition } from '@aws-sdk/client-glue';
import { schema } from '../../core/schema.js';
import { useMotoCli } from '../../test/servers/moto-cli.js';
import { catalogColumns } from './catalog-columns.js';
import { addPartitions, partitionValues, registerTable } from './glue-catalog.js';

const moto = useMotoCli();
const DATABASE = 'logbeam_unit';

beforeAll(async () => {
  await moto.createGlueDatabase(DATABASE);
});

function allPartitions(table: string): Promise<Partition[]> {
  return moto.gluePartitions(DATABASE, table);
}

const events = schema([
  { name: 'time', type: 'timestamp', nullable: false },
  { name: 'bytes', type: 'int64', nullable: true },
]);

describe('Glue catalog registration', () => {
  it('adds more than 100 partitions in batches, and counts the ones already there on a second call', async () => {
    const layout = catalogColumns(events, { timePartitioning: 'hour' });
    const spec = { database: DATABASE, table: 'hourly', location: `s3://${moto.s3.bucket}/hourly`, layout };
    expect(await registerTable(moto.glue(), spec)).toBe('created');
    const paths = Array.from({ length: 250 }, (_, index) => {
      const day = 1 + Math.floor(index / 24);
      return `year=2024/month=06/day=${String(day).padStart(2, '0')}/hour=${String(index % 24).padStart(2, '0')}`;
    });
    expect(await addPartitions(moto.glue(), spec, paths)).toEqual({ added: 250, existing: 0 });
    expect(await addPartitions(moto.glue(), spec, paths.slice(0, 120))).toEqual({ added: 0, existing: 120 });
    const stored = await allPartitions('hourly');
    expect(stored).toHaveLength(250);
    const sample = stored.find((partition) => partition.Values?.join('/') === '2024/06/03/05')!;
    expect(sample.StorageDescriptor?.Location).toBe(`s3://${moto.s3.bucket}/hourly/year=2024/month=06/day=03/hour=05/`);
    expect(await registerTable(moto.glue(), spec)).toBe('unchanged');
  });

  it('updates the columns of an existing table, and refuses other partition keys or another location', async () => {
    const spec = { database: DATABASE, table: 'evolving', location: `s3://${moto.s3.bucket}/evolving`, layout: catalogColumns(events) };
    expect(await registerTable(moto.glue(), spec)).toBe('created');
    const wider = schema([...events.fields, { name: 'status', type: 'int32', nullable: true }]);
    expect(await registerTable(moto.glue(), { ...spec, layout: catalogColumns(wider) })).toBe('updated');
    const table = (await moto.glue().send(new GetTableCommand({ DatabaseName: DATABASE, Name: 'evolving' }))).Table!;
    expect(table.StorageDescriptor?.Columns?.map((column) => [column.Name, column.Type])).toEqual([
      ['time', 'timestamp'],
      ['bytes', 'bigint'],
      ['status', 'int'],
    ]);
    await expect(registerTable(moto.glue(), { ...spec, layout: catalogColumns(events, { timePartitioning: 'month' }) })).rejects.toThrow(
      'is partitioned by (year, month, day), not (year, month)',
    );
    await expect(registerTable(moto.glue(), { ...spec, location: `s3://${moto.s3.bucket}/elsewhere` })).rejects.toThrow('points at');
  });

  it('says to create a missing database', async () => {
    const spec = { database: 'no_such_db', table: 't', location: `s3://${moto.s3.bucket}/t`, layout: catalogColumns(events) };
    await expect(registerTable(moto.glue(), spec)).rejects.toThrow('Glue database "no_such_db" does not exist; create it first');
  });

  it('unescapes Hive-escaped partition values and rejects paths that do not match the keys', () => {
    expect(partitionValues('region=eu%2Fwest 1/day=2024-06-01', ['region', 'day'])).toEqual(['eu/west 1', '2024-06-01']);
    expect(() => partitionValues('day=01/month=06', ['month', 'day'])).toThrow('does not match the partition keys (month, day)');
    expect(() => partitionValues('year=2024', ['year', 'month'])).toThrow('does not match');
  });
});
