import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers, findLayerViolations, importsOf } from './check-layers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('the repository', () => {
  it('has no import that runs up the layers (core <- transforms/io <- execution <- runners <- pipelines <- cli)', () => {
    const report = checkLayers(repoRoot);
    expect(report.violations.map((violation) => violation.message)).toEqual([]);
    expect(report.staleExceptions).toEqual([]);
  });
});

describe('check-layers on a fixture tree', () => {
  let root: string;

  async function put(relative: string, text: string): Promise<void> {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), text);
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'logbeam-layers-'));
    // Allowed: downward imports, imports within a layer, tests reaching anywhere, packages.
    await put('core/time.ts', 'export const t = 1;\n');
    await put('io/storage/store.ts', "import { t } from '../../core/time.js';\nimport fs from 'node:fs';\nexport const s = t;\n");
    await put('execution/fanout.ts', "import { s } from '../io/storage/store.js';\nexport const f = s;\n");
    await put(
      'runners/direct/run.ts',
      "import { s } from '../../io/storage/store.js';\nimport { t } from '../../core/time.js';\nimport { f } from '../../execution/fanout.js';\nexport const r = s + t + f;\n",
    );
    await put('pipelines/alb.ts', "import { s } from '../io/storage/store.js';\nexport const p = s;\n");
    await put(
      'cli/main.ts',
      "import { p } from '../pipelines/alb.js';\nimport { r } from '../runners/direct/run.js';\nexport const m = p + r;\n",
    );
    await put('io/storage/store.test.ts', "import { m } from '../../cli/main.js';\n");
    await put('index.ts', "export { r } from './runners/direct/run.js';\n");
    // Violations, one per kind of import.
    await put('io/sources/read.ts', "import type { Opts } from '../../pipelines/options.js';\nexport const x = 1;\n");
    await put('core/bad.ts', "export { m } from '../cli/main.js';\n");
    await put('pipelines/audit.ts', "export async function go() { return import('../runners/direct/run.js'); }\n");
    await put('runners/direct/worker.ts', "import { CollectSink } from '../../io/sinks/collect-sink.js';\n");
    await put('transforms/uses-test.ts', "import { helper } from '../test/helpers.js';\n");
    await put('execution/wired.ts', "import { r } from '../runners/direct/run.js';\nexport const w = r;\n");
    await put('io/sinks/runs.ts', "import { f } from '../../execution/fanout.js';\nexport const y = f;\n");
  });

  afterAll(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it('names both files of every upward import, and nothing else', () => {
    const found = findLayerViolations(root).map((violation) => [violation.from, violation.to]);
    expect(found).toEqual([
      ['core/bad.ts', 'cli/main.js'],
      ['execution/wired.ts', 'runners/direct/run.js'],
      ['io/sinks/runs.ts', 'execution/fanout.js'],
      ['io/sources/read.ts', 'pipelines/options.js'],
      ['pipelines/audit.ts', 'runners/direct/run.js'],
      ['runners/direct/worker.ts', 'io/sinks/collect-sink.js'],
      ['transforms/uses-test.ts', 'test/helpers.js'],
    ]);
  });

  it('says in the message which file imports which, and why that is not allowed', () => {
    const messages = findLayerViolations(root).map((violation) => violation.message);
    expect(messages).toContain(
      'io/sources/read.ts imports pipelines/options.js: io/ may not import pipelines/ (layers: core <- transforms/io <- execution <- runners <- pipelines <- cli; pipelines do not import runners).',
    );
    expect(messages.find((message) => message.startsWith('runners/direct/worker.ts'))).toMatch(/sinks' internals/);
  });

  it('accepts a known exception, and reports one that no longer occurs', () => {
    const known = [
      { from: 'core/bad.ts', to: 'cli/main.js', until: 'a fix' },
      { from: 'pipelines.ts', to: 'cli/ddl/athena-ddl.js', until: 'already moved' },
    ];
    const report = checkLayers(root, { known });
    expect(report.violations.map((violation) => violation.from)).not.toContain('core/bad.ts');
    expect(report.staleExceptions).toEqual(['pipelines.ts -> cli/ddl/athena-ddl.js']);
  });
});

describe('importsOf', () => {
  it('sees static, type-only, re-exported and dynamic imports, and skips packages', () => {
    const source = [
      "import a from './a.js';",
      "import type { B } from '../b.js';",
      "export * from './c.js';",
      "const d = await import('./d.js');",
      "import fs from 'node:fs';",
      "// import e from './commented-out.js';",
    ].join('\n');
    expect(importsOf(source)).toEqual(['./a.js', '../b.js', './c.js', './d.js']);
  });
});
