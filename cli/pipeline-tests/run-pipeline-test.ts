/**
 * @module cli/pipeline-tests/run-pipeline-test
 * Runs one test of a declarative pipeline on the direct runner: its input lines go to temporary files that
 * replace every read step's input, every write step and the dead letters go to a temporary folder, and the
 * written rows (read back with DuckDB, Hive partition columns included) and dead letters are compared with
 * the test's expectations. The temporary folder is removed afterwards.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { DeadLetter } from '../../core/dead-letter.js';
import { declarativePipeline } from '../../pipelines/declarative/pipeline.js';
import type { DeclarativeSpec, StepSpec } from '../../pipelines/declarative/spec.js';
import type { PipelineTest } from '../../pipelines/declarative/tests-spec.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { discoverTables } from '../query/discover-tables.js';
import { QuerySession } from '../query/query-session.js';
import { quoteIdentifier } from '../query/sql-quote.js';
import { diffDeadLetters, diffRows } from './test-report.js';

/** A test that cannot run as written (its input file is missing); `logbeam test` exits 2 on it. */
export class TestSpecError extends Error {
  override readonly name = 'TestSpecError';
}

/** The result of one test: passed, or the lines that say why not. */
export interface TestOutcome {
  readonly name: string;
  readonly passed: boolean;
  readonly failures: readonly string[];
}

/** Writes or finds each read step's input; returns read step name -> local path. */
async function prepareInputs(test: PipelineTest, pipelineFile: string, dir: string): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const [step, input] of Object.entries(test.inputs)) {
    if (input.file !== undefined) {
      const path = resolve(dirname(pipelineFile), input.file);
      const found = await stat(path).catch(() => undefined);
      if (found === undefined || !found.isFile())
        throw new TestSpecError(
          `test "${test.name}": inputs.${step}.file ${input.file} is not a file (looked for ${path}; paths are relative to the pipeline file)`,
        );
      paths.set(step, path);
    } else {
      const folder = join(dir, 'inputs', step);
      await mkdir(folder, { recursive: true });
      const path = join(folder, 'input.log');
      await writeFile(path, input.lines!.map((line) => `${line}\n`).join(''));
      paths.set(step, path);
    }
  }
  return paths;
}

/** The spec with the test's inputs, and every output and the dead letters under `dir`. */
function specForTest(spec: DeclarativeSpec, inputs: ReadonlyMap<string, string>, dir: string): DeclarativeSpec {
  const steps = spec.steps.map((step): StepSpec => {
    if (step.type === 'read') return { ...step, config: { ...step.config, input: inputs.get(step.name)! } };
    if (step.type === 'write') return { ...step, config: { ...step.config, path: join(dir, 'out', step.name) } };
    return step;
  });
  const { tests: _tests, ...rest } = spec;
  return { ...rest, steps, dead_letter: join(dir, 'dead_letter') };
}

/** The rows written under `folder` (none when it holds no data file). */
async function writtenRows(folder: string): Promise<Array<Record<string, unknown>>> {
  const tables = await discoverTables(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (tables.length === 0) return [];
  const session = await QuerySession.open(tables);
  try {
    const rows: Array<Record<string, unknown>> = [];
    for (const table of tables) {
      const [result] = await session.query(`SELECT * FROM ${quoteIdentifier(table.name)}`);
      rows.push(...(result?.json ?? []).map((row) => ({ ...row })));
    }
    return rows;
  } finally {
    session.close();
  }
}

/** The dead letters written under `folder`. */
async function deadLetters(folder: string): Promise<DeadLetter[]> {
  const files = await readdir(folder, { recursive: true }).catch(() => []);
  const letters: DeadLetter[] = [];
  for (const file of files.filter((name) => name.endsWith('.jsonl')).sort()) {
    const text = await readFile(join(folder, file), 'utf8');
    for (const line of text.split('\n')) if (line.trim() !== '') letters.push(JSON.parse(line) as DeadLetter);
  }
  return letters;
}

/** Runs `test` of the pipeline `spec` (loaded from `pipelineFile`). */
export async function runPipelineTest(spec: DeclarativeSpec, test: PipelineTest, pipelineFile: string): Promise<TestOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'logbeam-test-'));
  try {
    const inputs = await prepareInputs(test, pipelineFile, dir);
    const pipeline = declarativePipeline.create({ spec: specForTest(spec, inputs, dir) }).pipeline;
    try {
      await runDirect(pipeline, { workers: 1 });
    } catch (error) {
      return { name: test.name, passed: false, failures: [`the run failed: ${(error as Error).message}`] };
    }
    const failures: string[] = [];
    for (const [step, expected] of Object.entries(test.outputs ?? {}))
      failures.push(...diffRows(step, expected, await writtenRows(join(dir, 'out', step))));
    failures.push(...diffDeadLetters(test.dead_letters ?? [], await deadLetters(join(dir, 'dead_letter'))));
    return { name: test.name, passed: failures.length === 0, failures };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
