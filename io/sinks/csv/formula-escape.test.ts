/** CSV formula injection (issue 13 item 13): what writeCsv escapes by default, and what it leaves alone. */
import fc from 'fast-check';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline } from '../../../core/pipeline.js';
import { field, schema } from '../../../core/schema.js';
import { runPipeline } from '../../../test/testing.js';
import { create } from '../../../transforms/create.js';
import { splitCsvFields } from '../../formats/common/csv-fields.js';
import { csvSafeField, writeCsv } from './index.js';

const rowSchema = schema([field('text', 'string'), field('n', 'int64')]);
const rows = [
  { text: '=HYPERLINK("http://evil","x")', n: -5 },
  { text: '+A1', n: 1 },
  { text: '-2+3', n: 2 },
  { text: '@SUM(A1:A9)', n: 3 },
  { text: '\tleading tab', n: 4 },
  { text: '\rleading CR', n: 5 },
  { text: '-5', n: -6 },
  { text: '+1.5e3', n: 7 },
  { text: 'plain = text', n: 8 },
];

async function writtenLines(escapeFormulas: boolean | undefined): Promise<string[][]> {
  const output = join(await mkdtemp(join(tmpdir(), 'logbeam-csv-formulas-')), 'out');
  const p = Pipeline.create();
  p.apply(create(rows)).apply(writeCsv({ output, schema: rowSchema, ...(escapeFormulas === undefined ? {} : { escapeFormulas }) }));
  await runPipeline(p);
  const file = (await readdir(output)).find((name) => name.endsWith('.csv'))!;
  const text = await readFile(join(output, file), 'utf8');
  // Records end with CRLF outside quotes; a quoted CR stays inside its field.
  const records = text.split(/\r\n(?=(?:[^"]*"[^"]*")*[^"]*$)/).filter((record) => record !== '');
  return records.map((record) => {
    const out: string[] = [];
    splitCsvFields(record, 44, out);
    return [...out];
  });
}

describe('writeCsv formula escaping', () => {
  it('prefixes text a spreadsheet would run with a quote by default, and leaves numbers and plain numeric text alone', async () => {
    const lines = await writtenLines(undefined);
    expect(lines[0]).toEqual(['text', 'n']);
    expect(lines.slice(1)).toEqual([
      ['\'=HYPERLINK("http://evil","x")', '-5'],
      ["'+A1", '1'],
      ["'-2+3", '2'],
      ["'@SUM(A1:A9)", '3'],
      ["'\tleading tab", '4'],
      ["'\rleading CR", '5'],
      ['-5', '-6'],
      ['+1.5e3', '7'],
      ['plain = text', '8'],
    ]);
  });

  it('writes every value as it is with escapeFormulas: false', async () => {
    const lines = await writtenLines(false);
    expect(lines.slice(1)).toEqual(rows.map((row) => [row.text, String(row.n)]));
  });

  it('never writes a field a spreadsheet would run, and loses nothing but the added quote', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '1', '.', 'e', 'a', ',', '"', ' ') }), (value) => {
        const out: string[] = [];
        splitCsvFields(csvSafeField(value), 44, out);
        const cell = out[0]!;
        expect(cell === value || cell === `'${value}`).toBe(true);
        const runnable = /^[=+\-@\t\r]/.test(cell) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell);
        expect(runnable).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
