import { readdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { RunCommitError } from '../../../core/run-commit-error.js';
import { Pipeline } from '../../../core/pipeline.js';
import { field, schema } from '../../../core/schema.js';
import { GLOBAL_WINDOW } from '../../../core/window.js';
import { commitRun } from '../../../runners/commit-run.js';
import { runDirect } from '../../../runners/direct/direct-runner.js';
import { mountTmpfs, type Tmpfs } from '../../../test/tmpfs.js';
import { create } from '../../../transforms/create.js';
import { parquetSink, writeParquet } from '../parquet/index.js';
import { duckdb, listOutput, sqlString } from '../testing/read-output.js';
import { StagedFileError } from './commit-protocol.js';
import { stagedUri, stateDir, type WriterResult } from './layout.js';

const mounted = mountTmpfs(2 * 1024 * 1024);
const tmpfs: Tmpfs | undefined = 'path' in mounted ? mounted : undefined;
if (tmpfs === undefined) console.warn(`skipping disk-full run tests: ${(mounted as { reason: string }).reason}`);
const withTmpfs = tmpfs === undefined ? it.skip : it;

afterAll(() => tmpfs?.unmount());

const rowSchema = schema([field('id', 'int64'), field('label', 'string')]);

/** Incompressible text, so the Parquet files really take the space. */
function noise(id: number): string {
  let text = '';
  for (let i = 1; i <= 16; i++) text += (Math.imul(id * 31 + i, 2654435761) >>> 0).toString(16).padStart(8, '0');
  return text;
}

describe('a run whose output disk fills up (a 2 MiB tmpfs)', () => {
  withTmpfs(
    'fails loudly with ENOSPC and publishes nothing: no data file, no manifest, no _SUCCESS, no staging left',
    async () => {
      const output = join(tmpfs!.path, 'table');
      const p = Pipeline.create();
      p.apply(
        create(
          Array.from({ length: 40_000 }, (_, id) => ({ id, label: noise(id) })),
          { splits: 1 },
        ),
      ).apply(writeParquet({ output, schema: rowSchema, compression: 'none', targetFileBytes: 256 * 1024, rowGroupRows: 2000 }));
      await expect(runDirect(p, { workers: 1 })).rejects.toThrow(/ENOSPC|no space/i);
      expect(await listOutput(output)).toEqual([]);
      expect(await listOutput(stateDir(output))).toEqual([]);
      expect((await readdir(tmpfs!.path)).filter((name) => name !== 'table')).toEqual([]);
    },
    60_000,
  );

  withTmpfs('refuses to publish a staged Parquet file that was cut short after its writer closed it', async () => {
    const output = join(tmpfs!.path, 'short');
    const sink = parquetSink<{ id: number; label: string }>({ output, schema: rowSchema, rowGroupRows: 100 });
    const context = { runId: 'run-short', stepLabel: 'WriteParquet' };
    await sink.prepare(context);
    const writer = sink.createWriter(context, 'w0');
    for (let id = 0; id < 500; id++) writer.write({ id, label: noise(id) }, 0, GLOBAL_WINDOW);
    const result = (await writer.close()) as WriterResult;
    const staged = result.files[0]!;
    // What a write lost on a full disk leaves behind: the file is shorter than what the writer wrote.
    await truncate(stagedUri(output, context.runId, staged), staged.bytes - 100);
    const commit = commitRun([{ label: 'WriteParquet', sink, results: [result], context }]);
    const error = await commit.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(RunCommitError);
    expect((error as RunCommitError).decided).toBe(false);
    expect((error as RunCommitError).failure).toBeInstanceOf(StagedFileError);
    expect((error as Error).message).toMatch(/holds \d+ bytes, its writer wrote \d+; nothing was published/);
    await sink.abort([result], context);
    expect((await listOutput(output)).filter((path) => path.endsWith('.parquet') || path.startsWith('_manifests'))).toEqual([]);
  });

  withTmpfs('publishes into an output that is itself a mount point (staging beside it is on another file system)', async () => {
    const mountPoint = mountTmpfs(1024 * 1024) as Tmpfs;
    try {
      const p = Pipeline.create();
      p.apply(
        create(
          Array.from({ length: 300 }, (_, id) => ({ id, label: `row-${id}` })),
          { splits: 1 },
        ),
      ).apply(writeParquet({ output: mountPoint.path, schema: rowSchema }));
      await runDirect(p, { workers: 1 });
      const [row] = await duckdb(
        `SELECT count(DISTINCT id)::INTEGER AS d, count(*)::INTEGER AS n FROM read_parquet(${sqlString(join(mountPoint.path, '**', '*.parquet'))})`,
      );
      expect(row).toEqual({ d: 300, n: 300 });
      expect(await listOutput(stateDir(mountPoint.path))).toEqual([]);
    } finally {
      mountPoint.unmount();
    }
  });
});
