import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listInputs } from './list-inputs.js';

describe('listInputs', () => {
  it('hides paths below the input that start with _ or ., so outputs nested in an input folder are not read back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logbeam-hidden-'));
    mkdirSync(join(dir, 'out', '_staging'), { recursive: true });
    mkdirSync(join(dir, 'logs'), { recursive: true });
    writeFileSync(join(dir, 'logs', 'a.log'), 'x\n');
    writeFileSync(join(dir, 'out', '_lock'), '{}');
    writeFileSync(join(dir, 'out', '_staging', 'part.parquet'), 'p');
    writeFileSync(join(dir, '.hidden.log'), 'x\n');
    const files = await listInputs(dir);
    expect(files.map((f) => f.uri.slice(dir.length))).toEqual(['/logs/a.log']);
    const explicit = await listInputs(join(dir, 'out', '_lock'));
    expect(explicit).toHaveLength(1);
  });
});
