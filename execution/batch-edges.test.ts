import { describe, expect, it } from '@jest/globals';
import type { BatchCapableDoFn, BatchMappingDoFn, BatchReadingDoFn } from '../core/batch-capability.js';
import type { CombineFn } from '../core/combine-fn.js';
import { kv } from '../core/kv.js';
import { field, schema } from '../core/schema.js';
import type { GraphNode } from '../core/graph.js';
import type { PCollection } from '../core/pcollection.js';
import { Pipeline } from '../core/pipeline.js';
import { albFormat, albSchema } from '../io/formats/alb/index.js';
import { cloudTrailFormat } from '../io/formats/cloudtrail/index.js';
import type { LogFormat } from '../io/formats/types.js';
import { writeJsonLines } from '../io/sinks/json-lines/index.js';
import { writeParquet } from '../io/sinks/parquet/index.js';
import { readLogs } from '../io/sources/read-logs.js';
import { combinePerKey } from '../transforms/combine.js';
import { integerSumsFn } from '../transforms/features/sum-fields.js';
import { groupByKey } from '../transforms/group-by-key.js';
import { fixedWindows } from '../core/window.js';
import { windowInto } from '../transforms/window-into.js';
import { map } from '../transforms/map.js';
import { parDo } from '../transforms/par-do.js';
import { phaseGraphOf, planBatchEdges, type BatchEdges } from './batch-edges.js';
import { planExecution } from './stage-plan.js';

const OUTPUT = '/nonexistent/logbeam-batch-edges';

/** A DoFn that passes records and batches on unchanged: batch-capable. */
function passBatches(): BatchCapableDoFn<unknown, unknown> {
  return {
    process: (element, ctx) => ctx.output(element),
    processBatch: (batch, output) => output.outputBatch(batch),
  };
}

/** A DoFn that reads a batch's rows and emits one element per row: batch-reading. */
function readRows(): BatchReadingDoFn<unknown, unknown> {
  return {
    process: (element, ctx) => ctx.output({ key: 'k', value: element }),
    processRows: (batch, output) => {
      for (let row = 0; row < batch.length; row++) output.outputRow(row, { key: 'k', value: row });
    },
  };
}

/** Both: passes batches on, or reads their rows. */
function passOrReadRows(): BatchCapableDoFn<unknown, unknown> & BatchReadingDoFn<unknown, unknown> {
  return { ...passBatches(), processRows: readRows().processRows };
}

/** readLogs(alb) -> `build` (which ends in a shuffle, say); dead letters to JSON lines. */
function keyedPipeline(build: (records: PCollection<unknown>) => void): Pipeline {
  const p = Pipeline.create();
  const { records, deadLetter } = p.apply(readLogs(albFormat, { input: OUTPUT }));
  build(records as PCollection<unknown>);
  deadLetter.apply(writeJsonLines({ output: `${OUTPUT}/_dead_letter`, label: 'WriteDeadLetters' }));
  return p;
}

function edgesOf(pipeline: Pipeline): BatchEdges {
  return planBatchEdges(phaseGraphOf(planExecution(pipeline), 0));
}

const labels = (nodes: Iterable<GraphNode>): string[] => [...nodes].map((node) => node.label);
const producers = (collections: Iterable<PCollection<unknown>>): string[] =>
  [...collections].map((collection) => `${collection.producer?.label}|${collection.tag}`);

/** readLogs(format) -> middle steps -> writeParquet(schema); dead letters to JSON lines. */
function pipeline(
  build: (records: PCollection<unknown>) => PCollection<unknown>,
  options: { format?: LogFormat<object>; partitionBy?: string } = {},
): Pipeline {
  const p = Pipeline.create();
  const format = options.format ?? albFormat;
  const { records, deadLetter } = p.apply(readLogs(format, { input: OUTPUT }));
  build(records as PCollection<unknown>).apply(
    writeParquet({
      output: OUTPUT,
      schema: format.schema,
      ...(options.partitionBy === undefined ? { timePartitioning: 'day' as const } : { partitionBy: [options.partitionBy] }),
      label: 'WriteParquet',
    }),
  );
  deadLetter.apply(writeJsonLines({ output: `${OUTPUT}/_dead_letter`, label: 'WriteDeadLetters' }));
  return p;
}

const NONE = { reads: [], collections: [], steps: [], readers: [], writes: [] };
const summary = (edges: BatchEdges) => ({
  reads: labels(edges.reads.keys()),
  collections: producers(edges.collections),
  steps: labels(edges.steps.keys()),
  readers: labels(edges.readers.keys()),
  writes: labels(edges.writes),
});

describe('planBatchEdges', () => {
  it('plans a batch edge from a batch-capable source through batch-capable steps to a batch-capable sink', () => {
    const edges = edgesOf(pipeline((records) => records.apply(parDo('Pass', passBatches))));
    expect(summary(edges)).toEqual({
      reads: ['ReadLogs(alb)/Read'],
      collections: ['ReadLogs(alb)/Read|main', 'ReadLogs(alb)/Route|main', 'Pass|main'],
      steps: ['ReadLogs(alb)/Route', 'Pass'],
      readers: [],
      writes: ['WriteParquet'],
    });
    expect([...edges.reads.values()][0]?.batchFields).toEqual(albSchema.fields);
  });

  it('keeps the record path when a step between takes records only', () => {
    expect(summary(edgesOf(pipeline((records) => records.apply(map((record: unknown) => record, { label: 'Identity' })))))).toEqual(NONE);
  });

  it('keeps the record path when the source cannot emit batches', () => {
    expect(summary(edgesOf(pipeline((records) => records, { format: cloudTrailFormat })))).toEqual(NONE);
  });

  it('keeps the record path when the sink cannot take batches of the source columns', () => {
    expect(summary(edgesOf(pipeline((records) => records, { partitionBy: 'elb' })))).toEqual(NONE);
  });

  it('keeps the record path when any consumer of the records takes records only', () => {
    const edges = edgesOf(
      pipeline((records) => {
        records.apply(writeJsonLines({ output: `${OUTPUT}/copy`, label: 'WriteCopy' }));
        return records;
      }),
    );
    expect(summary(edges)).toEqual(NONE);
  });

  it('keeps the record path when the records leave the phase (a shuffle)', () => {
    const edges = edgesOf(
      pipeline((records) => {
        records.apply(map((record: unknown) => ({ key: 'k', value: record }), { label: 'Key' })).apply(groupByKey());
        return records.apply(parDo('Pass', passBatches));
      }),
    );
    expect(summary(edges)).toEqual(NONE);
  });

  it('plans each read on its own: a record-only read beside a batch read stays on the record path', () => {
    const p = pipeline((records) => records);
    const { records } = p.apply(readLogs(cloudTrailFormat, { input: OUTPUT, label: 'ReadTrail' }));
    records.apply(writeJsonLines({ output: `${OUTPUT}/trail`, label: 'WriteTrail' }));
    expect(summary(edgesOf(p))).toEqual({
      reads: ['ReadLogs(alb)/Read'],
      collections: ['ReadLogs(alb)/Read|main', 'ReadLogs(alb)/Route|main'],
      steps: ['ReadLogs(alb)/Route'],
      readers: [],
      writes: ['WriteParquet'],
    });
  });

  it('ends a batch path at a batch-reading step, whose records may then cross a shuffle', () => {
    const edges = edgesOf(keyedPipeline((records) => records.apply(parDo('KeyRows', readRows)).apply(groupByKey())));
    expect(summary(edges)).toEqual({
      reads: ['ReadLogs(alb)/Read'],
      collections: ['ReadLogs(alb)/Read|main', 'ReadLogs(alb)/Route|main'],
      steps: ['ReadLogs(alb)/Route'],
      readers: ['KeyRows'],
      writes: [],
    });
  });

  it('passes batches on at a step that can do both when its consumers take batches', () => {
    const edges = edgesOf(pipeline((records) => records.apply(parDo('Both', passOrReadRows))));
    expect(summary(edges)).toMatchObject({ steps: ['ReadLogs(alb)/Route', 'Both'], readers: [], writes: ['WriteParquet'] });
  });

  it('reads rows at a step that can do both when its consumers take records, and marks nothing past it as batches', () => {
    const edges = edgesOf(keyedPipeline((records) => records.apply(parDo('Both', passOrReadRows)).apply(groupByKey())));
    expect(summary(edges)).toEqual({
      reads: ['ReadLogs(alb)/Read'],
      collections: ['ReadLogs(alb)/Read|main', 'ReadLogs(alb)/Route|main'],
      steps: ['ReadLogs(alb)/Route'],
      readers: ['Both'],
      writes: [],
    });
  });

  it('keeps the record path when a batch-reading step shares the records with a record-only step', () => {
    const edges = edgesOf(
      keyedPipeline((records) => {
        records.apply(parDo('KeyRows', readRows)).apply(groupByKey());
        records.apply(writeJsonLines({ output: `${OUTPUT}/copy`, label: 'WriteCopy' }));
      }),
    );
    expect(summary(edges)).toEqual(NONE);
  });
});

describe('planBatchEdges for a combine whose groups come out as columns', () => {
  const groupsSummary = (edges: BatchEdges) => ({
    groups: labels(edges.groups.keys()),
    collections: producers(edges.collections),
    mappers: labels(edges.mappers.keys()),
    writes: labels(edges.writes),
  });
  const NO_GROUPS = { groups: [], collections: [], mappers: [], writes: [] };
  /** The phase after the shuffle of `pipeline` (its groups' phase). */
  const laterEdgesOf = (p: Pipeline): BatchEdges => planBatchEdges(phaseGraphOf(planExecution(p), 1));

  /** readLogs(alb) keyed by elb -> a combine -> `after` -> Parquet of the group batch's columns (or JSON lines). */
  function combined(
    combineFn: CombineFn<unknown, unknown, unknown>,
    after: (groups: PCollection<unknown>) => PCollection<unknown>,
    options: { windowed?: boolean; jsonLines?: boolean } = {},
  ): Pipeline {
    const p = Pipeline.create();
    const { records } = p.apply(readLogs(albFormat, { input: OUTPUT }));
    const keyed = records.apply(map((record) => kv(record.elb, { bytes: record.sent_bytes }), { label: 'Key' }));
    const inWindows = options.windowed === true ? keyed.apply(windowInto(fixedWindows(3_600_000))) : keyed;
    const rows = after(inWindows.apply(combinePerKey(combineFn, { label: 'Sum' })) as PCollection<unknown>);
    if (options.jsonLines === true) rows.apply(writeJsonLines({ output: `${OUTPUT}/sums`, label: 'WriteSums' }));
    else rows.apply(writeParquet({ output: `${OUTPUT}/sums`, schema: SUMS_SCHEMA, label: 'WriteSums' }));
    return p;
  }
  const sums = integerSumsFn(['bytes']) as CombineFn<unknown, unknown, unknown>;
  const mapGroups = (): BatchMappingDoFn<unknown, unknown> => ({
    process: (element, ctx) => ctx.output(element),
    mappedBatchFields: (fields) => fields,
    mapBatch: (batch, output) => output.outputBatch(batch),
  });

  it('plans the groups as batches through a batch-mapping step into a sink that takes its columns', () => {
    const edges = laterEdgesOf(combined(sums, (groups) => groups.apply(parDo('Map', mapGroups))));
    expect(groupsSummary(edges)).toEqual({
      groups: ['Sum'],
      collections: ['Sum|main', 'Map|main'],
      mappers: ['Map'],
      writes: ['WriteSums'],
    });
    expect([...edges.groups.values()][0]).toEqual(SUMS_SCHEMA.fields);
  });

  it('keeps groups as elements when a step after the combine takes records only', () => {
    expect(
      groupsSummary(laterEdgesOf(combined(sums, (groups) => groups.apply(map((group: unknown) => group, { label: 'Same' }))))),
    ).toEqual(NO_GROUPS);
  });

  it('keeps groups as elements when the sink cannot take the mapped batches (JSON lines here)', () => {
    const edges = laterEdgesOf(combined(sums, (groups) => groups.apply(parDo('Map', mapGroups)), { jsonLines: true }));
    expect(groupsSummary(edges)).toEqual(NO_GROUPS);
  });

  it('keeps groups as elements for a combine without a numeric flat output, or in windows other than the global one', () => {
    const objectSums = withoutFlatForm(sums);
    expect(groupsSummary(laterEdgesOf(combined(objectSums, (groups) => groups.apply(parDo('Map', mapGroups)))))).toEqual(NO_GROUPS);
    expect(groupsSummary(laterEdgesOf(combined(sums, (groups) => groups.apply(parDo('Map', mapGroups)), { windowed: true })))).toEqual(
      NO_GROUPS,
    );
  });
});

/** The columns of `integerSumsFn(['bytes'])`'s group batches. */
const SUMS_SCHEMA = schema([
  field('key', 'string', { nullable: false }),
  field('count', 'int64', { nullable: false }),
  field('bytes', 'int64', { nullable: false }),
]);

function withoutFlatForm<I, A, O>(fn: CombineFn<I, A, O>): CombineFn<I, A, O> {
  const { flat: _flat, ...objectForm } = fn;
  return objectForm;
}
