/**
 * CSV in, CSV out through a declarative pipeline (issue 13 items 11 and 13): every row and column arrives, and
 * spreadsheet formulas are escaped unless the YAML step or `--no-escape-formulas` says not to.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitCsvFields } from '../../io/formats/common/csv-fields.js';
import { csvRecordFramer } from '../../io/sources/framing/csv-record-framer.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-csv-output-'));
});

function pipeline(escapeFormulas: boolean | undefined): string {
  return [
    'name: csv-to-csv',
    'steps:',
    '  - name: rows',
    '    type: read',
    '    config:',
    '      format: csv',
    '  - name: copy',
    '    type: write',
    '    config:',
    '      format: csv',
    '      time_partitioning: none',
    ...(escapeFormulas === undefined ? [] : [`      escape_formulas: ${escapeFormulas}`]),
    '',
  ].join('\n');
}

/** The records of a CSV text (quoted line breaks kept), each split into fields. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  const framer = csvRecordFramer({
    record: (record) => {
      const out: string[] = [];
      splitCsvFields(record, 44, out);
      records.push([...out]);
    },
    invalid: (line, reason) => {
      throw new Error(`line ${line}: ${reason}`);
    },
  });
  framer.push(Buffer.from(text));
  framer.end();
  return records;
}

/** The rows of every CSV file under `root` (header dropped), sorted. */
async function csvRows(root: string): Promise<{ header: string[]; rows: string[][] }> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.csv') && !entry.parentPath.includes('_'))
    .map((entry) => join(entry.parentPath, entry.name));
  let header: string[] = [];
  const rows: string[][] = [];
  for (const file of files) {
    const [first, ...rest] = csvRecords(await readFile(file, 'utf8'));
    header = first!;
    rows.push(...rest);
  }
  return { header, rows: rows.sort((a, b) => a.join().localeCompare(b.join())) };
}

describe('a YAML pipeline reading CSV and writing CSV', () => {
  it('writes every row with every column of the sample (not empty lines)', async () => {
    const spec = join(dir, 'copy.yaml');
    await writeFile(spec, pipeline(undefined));
    const output = join(dir, 'copy');
    const { code, stderr } = await runCli(['run', spec, '--input', join(REPO_ROOT, 'samples', 'csv'), '--output', output, '--no-progress']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [header, ...source] = csvRecords(await readFile(join(REPO_ROOT, 'samples', 'csv', 'audit-2024-06-01.csv'), 'utf8'));
    const written = await csvRows(join(output, 'copy'));
    expect(written.header).toEqual(header);
    expect(source.length).toBeGreaterThan(100);
    expect(written.rows).toHaveLength(source.length);
    // The parser writes the time column as ISO-8601 UTC; compare the other columns as they are.
    const key = (row: string[]): string => JSON.stringify(row.slice(1));
    expect(written.rows.map(key).sort()).toEqual(source.map(key).sort());
  });

  describe('with a value a spreadsheet would run as a formula', () => {
    let input: string;
    beforeAll(async () => {
      input = join(dir, 'formulas');
      await mkdir(input);
      await writeFile(join(input, 'f.csv'), 'timestamp,customer,note\n2024-06-01T00:00:00Z,acme,=1+2\n2024-06-01T00:00:01Z,beta,-5\n');
    });

    it.each([
      ['escapes it by default', undefined, [], "'=1+2"],
      ['writes it as is with escape_formulas: false in the step', false, [], '=1+2'],
      ['writes it as is with --no-escape-formulas', undefined, ['--no-escape-formulas'], '=1+2'],
    ])('%s', async (_name, escapeFormulas, flags, expected) => {
      const spec = join(dir, `formulas-${String(escapeFormulas)}-${flags.length}.yaml`);
      await writeFile(spec, pipeline(escapeFormulas));
      const output = join(dir, `formulas-out-${String(escapeFormulas)}-${flags.length}`);
      const { code } = await runCli(['run', spec, '--input', input, '--output', output, '--no-progress', ...flags]);
      expect(code).toBe(0);
      const written = await csvRows(join(output, 'copy'));
      expect(written.rows).toEqual([
        ['2024-06-01T00:00:00Z', 'acme', expected],
        ['2024-06-01T00:00:01Z', 'beta', '-5'],
      ]);
    });
  });
});
