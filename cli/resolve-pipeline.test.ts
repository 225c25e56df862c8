import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { namesBuiltinPipeline } from './resolve-pipeline.js';

describe('namesBuiltinPipeline', () => {
  it('is true for a registered name, hyphens and underscores alike, and false for anything else', () => {
    expect(namesBuiltinPipeline('alb')).toBe(true);
    expect(namesBuiltinPipeline('vpc-flow')).toBe(true);
    expect(namesBuiltinPipeline('vpc_flow_egress')).toBe(true);
    expect(namesBuiltinPipeline('alb-x')).toBe(false);
    expect(namesBuiltinPipeline('samples/pipelines/alb-to-parquet.yaml')).toBe(false);
  });

  it('is false for the path of an existing file named like a built-in (resolvePipeline loads the file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logbeam-names-'));
    try {
      writeFileSync(join(dir, 'alb'), 'name: alb\n');
      expect(namesBuiltinPipeline(relative(process.cwd(), join(dir, 'alb')))).toBe(false);
      expect(namesBuiltinPipeline(join(dir, 'alb'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
