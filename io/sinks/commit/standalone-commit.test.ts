import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { field, schema } from '../../../core/schema.js';
import { GLOBAL_WINDOW } from '../../../core/window.js';
import { parquetSink } from '../parquet/index.js';
import { duckdb, listOutput, sqlString } from '../testing/read-output.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'logbeam-standalone-'));
});
afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

// The portable runner commits each sink on its own (no prepareCommit): the sink decides for itself.
describe('a file sink committed on its own, without a run-wide decision', () => {
  it('publishes every row once and leaves no state directory behind', async () => {
    const output = join(root, 'table');
    const sink = parquetSink<{ id: number }>({ output, schema: schema([field('id', 'int64')]) });
    const context = { runId: 'run-alone', stepLabel: 'WriteParquet' };
    await sink.prepare(context);
    const writer = sink.createWriter(context, 'w0');
    for (let id = 0; id < 1000; id++) writer.write({ id }, 0, GLOBAL_WINDOW);
    const summary = await sink.commit([await writer.close()], context);
    expect(summary.rowsWritten).toBe(1000);
    const [row] = await duckdb(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS d FROM read_parquet(${sqlString(join(output, '**', '*.parquet'))})`,
    );
    expect(row).toEqual({ n: 1000, d: 1000 });
    expect((await listOutput(output)).filter((path) => path.startsWith('_manifests/'))).toEqual(['_manifests/run-alone.json']);
    expect(existsSync(join(root, '_logbeam'))).toBe(false);
  });
});
