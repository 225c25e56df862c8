import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOutsideReferences } from './check-self-contained.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const missingPage = ['docs', 'formats', 'missing.md'].join('/');

describe('the repository', () => {
  it('cites no path outside itself, and every docs/ page it cites exists', () => {
    expect(findOutsideReferences(repoRoot).map((finding) => finding.message)).toEqual([]);
  });
});

describe('check-self-contained on a fixture tree', () => {
  let root: string;

  async function put(relative: string, text: string): Promise<void> {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), text);
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'logbeam-self-contained-'));
    // The outside paths are assembled here so that this test file does not cite them itself.
    const up = ['..', 'shared', 'notes', 'x.md'].join('/');
    await put('README.md', `Measured in \`${up}\`.\nSee docs/formats/alb.md.\n`);
    await put('io/a.ts', `// see ${['shared', 'formats', '01.md'].join('/')}\nexport const a = 1;\n`);
    await put('io/b.ts', `/** layouts (see ${['', 'work', 'shared', 'formats'].join('/')}) */\n`);
    await put('io/c.ts', `// ${['PIT', 'FALLS'].join('')} 26\n// ${missingPage}\n`);
    await put('docs/formats/alb.md', '# ALB\n');
    await put('node_modules/dep/index.js', `// ${up}\n`);
  });

  afterAll(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it('finds each citation with its file and line, and skips node_modules', () => {
    const found = findOutsideReferences(root).map((finding) => `${finding.file}:${finding.line}`);
    expect(found).toEqual(['README.md:1', 'io/a.ts:1', 'io/b.ts:1', 'io/c.ts:1', 'io/c.ts:2']);
  });

  it('names the missing docs page', () => {
    const messages = findOutsideReferences(root).map((finding) => finding.message);
    expect(messages).toContain(`io/c.ts:2 cites ${missingPage}, which does not exist`);
  });
});
