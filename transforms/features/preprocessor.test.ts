import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline } from '../../core/pipeline.js';
import { collect, runPipeline } from '../../test/testing.js';
import { create } from '../create.js';
import { oneHot } from './one-hot.js';
import {
  fitPreprocessor,
  parseArtifact,
  preprocess,
  PreprocessorError,
  serializeArtifact,
  type PreprocessorArtifact,
  type PreprocessorSpec,
} from './preprocessor.js';
import { meanStdFn, scaleValue, standardScale } from './standard-scale.js';

const spec: PreprocessorSpec = { categorical: ['region', 'service'], numeric: ['bytes', 'cost'], keep: ['id'] };
const rows = Array.from({ length: 40 }, (_, i) => ({
  id: i,
  region: ['us-east-1', 'eu-west-1', 'ap-south-1'][i % 3]!,
  service: i % 4 === 0 ? 'AmazonS3' : 'AmazonEC2',
  bytes: i * 1000 + (i % 7) * 13,
  cost: i % 5 === 0 ? null : i * 0.01,
}));

/** Independent expectation of one encoded row: population mean/std over non-null values, sorted vocabularies. */
function expectedFeatures(row: (typeof rows)[number]): { id: number; bytes: number; cost: number; features: number[] } {
  const stats = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return { mean, std: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) };
  };
  const bytes = stats(rows.map((r) => r.bytes));
  const cost = stats(rows.flatMap((r) => (r.cost === null ? [] : [r.cost])));
  const scaledBytes = (row.bytes - bytes.mean) / bytes.std;
  const scaledCost = row.cost === null ? 0 : (row.cost - cost.mean) / cost.std;
  const regions = ['ap-south-1', 'eu-west-1', 'us-east-1'];
  const services = ['AmazonEC2', 'AmazonS3'];
  return {
    id: row.id,
    bytes: scaledBytes,
    cost: scaledCost,
    features: [
      scaledBytes,
      scaledCost,
      ...regions.map((r) => (r === row.region ? 1 : 0)),
      ...services.map((s) => (s === row.service ? 1 : 0)),
    ],
  };
}

function expectClose(actual: Array<Record<string, unknown>>, expected: Array<{ id: number; features: number[] }>): void {
  expect(actual).toHaveLength(expected.length);
  for (const want of expected) {
    const got = actual.find((row) => row['id'] === want.id)!;
    const features = got['features'] as number[];
    expect(features).toHaveLength(want.features.length);
    for (const [i, value] of want.features.entries()) expect(features[i]).toBeCloseTo(value, 10);
  }
}

describe('preprocess', () => {
  it('fits vocabularies and statistics over all rows and encodes each row densely', async () => {
    const p = Pipeline.create();
    const { artifact, features } = p.apply(create(rows, { splits: 4 })).apply(preprocess(spec));
    const fitted = collect(artifact, 'CollectArtifact');
    const out = collect(features);
    await runPipeline(p);
    const [only] = fitted.values();
    expect(fitted.values()).toHaveLength(1);
    expect(only!.featureNames).toEqual([
      'bytes',
      'cost',
      'region=ap-south-1',
      'region=eu-west-1',
      'region=us-east-1',
      'service=AmazonEC2',
      'service=AmazonS3',
    ]);
    expect(only!.numeric[1]!.count).toBe(32);
    expectClose(out.values(), rows.map(expectedFeatures));
  });

  it('applies a saved artifact to new data without refitting, encoding unseen categories as zeros', async () => {
    const fit = Pipeline.create();
    const fitted = collect(fit.apply(create(rows)).apply(fitPreprocessor(spec)));
    await runPipeline(fit);
    const file = join(mkdtempSync(join(tmpdir(), 'preprocessor-')), 'preprocessor.json');
    writeFileSync(file, serializeArtifact(fitted.values()[0]!));

    const loaded = parseArtifact(readFileSync(file, 'utf8'), file);
    const p = Pipeline.create();
    const fresh = [{ id: 100, region: 'sa-east-1', service: 'AmazonS3', bytes: 5000, cost: 0.2 }];
    const out = collect(p.apply(create(fresh)).apply(preprocess(spec, loaded)).features);
    await runPipeline(p);
    const expected = expectedFeatures({ ...fresh[0]!, region: 'none' });
    expectClose(out.values(), [expected]);
    expect((out.values()[0]!['features'] as number[]).slice(2, 5)).toEqual([0, 0, 0]);
  });

  it('refuses an artifact fitted for other columns, saying how to refit', () => {
    const artifact: PreprocessorArtifact = {
      format: 'logbeam-preprocessor',
      version: 1,
      categorical: [],
      numeric: [{ column: 'bytes', mean: 0, std: 1, count: 1 }],
      featureNames: ['bytes'],
    };
    expect(() => preprocess(spec, artifact)).toThrow(PreprocessorError);
    expect(() => preprocess(spec, artifact)).toThrow(/without --preprocessor/);
  });
});

describe('parseArtifact', () => {
  it('names the file and the problem for text that is not an artifact', () => {
    expect(() => parseArtifact('{', 'model/p.json')).toThrow(/model\/p.json: not JSON/);
    expect(() => parseArtifact('{"format":"other"}', 'p.json')).toThrow(/not a logbeam preprocessor artifact/);
    expect(() =>
      parseArtifact(
        '{"format":"logbeam-preprocessor","version":1,"categorical":[],"numeric":[{"column":"x","mean":"a","std":1}]}',
        'p.json',
      ),
    ).toThrow(/numeric/);
  });
});

describe('standardScale', () => {
  it('centres and scales with fitted statistics, and only centres a constant column', async () => {
    const fn = meanStdFn();
    const stats = fn.extractOutput([2, 4, 4, 4, 5, 5, 7, 9].reduce((acc, v) => fn.addInput(acc, v), fn.createAccumulator()));
    expect(stats).toEqual({ mean: 5, std: 2, count: 8 });
    expect(scaleValue(3, { mean: 3, std: 0, count: 4 })).toBe(0);
    const p = Pipeline.create();
    const out = collect(p.apply(create([{ x: 9 }, { x: null }])).apply(standardScale('x', stats)));
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([{ x: 2 }, { x: 0 }]);
  });
});

describe('oneHot', () => {
  it('marks the position of the value in the vocabulary', async () => {
    const p = Pipeline.create();
    const out = collect(p.apply(create([{ r: 'b' }, { r: 'z' }])).apply(oneHot('r', ['a', 'b', 'c'])));
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([
      { r: 'b', r_onehot: [0, 1, 0] },
      { r: 'z', r_onehot: [0, 0, 0] },
    ]);
  });
});
