/**
 * @module test/fuzz/cli-fuzz
 * End-to-end fuzzing of every format's parser through the CLI, as an operator would meet damaged logs: files
 * from the format's generator, some records mutated (characters flipped, lines cut short, fields dropped,
 * stray quotes, junk and blank lines, invalid UTF-8, CloudTrail elements of the wrong shape or 200 levels
 * deep), written plain and gzipped, then read by `logbeam parse` and `logbeam run`. Checked: records +
 * rejected + skipped = records in the file; every intact record comes out exactly as the format's parser
 * makes it from the record alone; `run` writes and rejects what `parse` prints and rejects.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GENERATORS } from '../../cli/generators.js';
import { runCli, type CliOutcome } from '../../cli/testing/run-cli.js';
import { Rejection, SKIP, type LogTypeName } from '../../io/formats/types.js';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { logFormat } from '../../pipelines/log-formats.js';

export const FUZZ_TYPES: readonly LogTypeName[] = ['alb', 'clb', 'nlb', 'cloudfront', 's3_access', 'vpc_flow', 'cloudtrail', 'cur', 'csv'];

/** A small deterministic random source (the same seed always fuzzes the same way). */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** One fuzzed file: its bytes and what is known about each record in it. */
export interface FuzzedFile {
  readonly bytes: Buffer;
  /** Records (lines, CSV records or CloudTrail elements) in the file, headers included. */
  readonly records: number;
  /** The texts of the records left intact (headers excluded). */
  readonly intact: readonly string[];
  /** Header records, in order, for parsing intact records alone. */
  readonly headers: readonly string[];
}

const PRINTABLE = 'abcXYZ019 -_:/.,;"\'=+@\t[]{}()#%\\';

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/**
 * A mutated copy of one record text (never adds a line break to a line format's record). In CSV, stray quotes
 * open fields but never close one before a delimiter: an opening and a closing stray quote on two lines look
 * exactly like one quoted field spanning them, which no framer can tell apart (the parser rejects the merged
 * record, and the counts would no longer match the lines).
 */
function mutate(rnd: () => number, text: string, csv: boolean): string {
  const at = Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 7)) {
    case 0:
      return `${text.slice(0, at)}${pick(rnd, csv ? [...PRINTABLE.replace('"', '')] : [...PRINTABLE])}${text.slice(at + 1)}`;
    case 1:
      return text.slice(0, at);
    case 2: {
      if (csv && text.includes('"')) return text.slice(0, at);
      const separator = csv ? ',' : text.includes('\t') ? '\t' : ' ';
      const fields = text.split(separator);
      fields.splice(Math.floor(rnd() * fields.length), 1);
      return fields.join(separator);
    }
    case 3: {
      // A stray quote, for CSV at the start of a field (the hard case for framing).
      if (!csv) return `${text.slice(0, at)}"${text.slice(at)}`;
      const fields = text.split(',');
      const index = Math.floor(rnd() * fields.length);
      fields[index] = `"${fields[index]!}`;
      return fields.join(',');
    }
    case 4:
      return pick(rnd, ['junk', '-', '\u0000\u0001', 'x '.repeat(40), '#comment?', '1,2,3']);
    case 5:
      return `${text.slice(0, at)}\u{1F600}\u00e9${text.slice(at)}`;
    default:
      return `${text} trailing`;
  }
}

/** Generator output split into headers and data records. */
function generated(type: LogTypeName, records: number, seed: number): { headers: string[]; data: string[] } {
  const texts = [...GENERATORS[type].generate({ records, seed })];
  if (type === 'cloudfront')
    return { headers: texts.filter((text) => text.startsWith('#')), data: texts.filter((text) => !text.startsWith('#')) };
  if (type === 'vpc_flow' || type === 'csv' || type === 'cur') return { headers: texts.slice(0, 1), data: texts.slice(1) };
  return { headers: [], data: texts };
}

/** Deeply nested, wrong-shaped or wrongly typed CloudTrail elements (each still one JSON value). */
function badElement(rnd: () => number): string {
  return pick(rnd, [
    '{"eventName":"NoTime"}',
    '{"eventTime":"yesterday"}',
    '{"eventTime":"2024-06-01T00:00:00Z","readOnly":"maybe"}',
    '[1,2,3]',
    '"just a string"',
    `{"eventTime":"2024-06-01T00:00:00Z","requestParameters":${'['.repeat(200)}${']'.repeat(200)}}`,
    '{"eventTime":"2024-06-01T00:00:00Z","eventName":"\\ud800 lone surrogate"}',
  ]);
}

/** A fuzzed file of `type` with about `records` records; a `rate` share of them damaged. */
export function fuzzedFile(type: LogTypeName, records: number, seed: number, rate: number): FuzzedFile {
  const rnd = random(seed * 7919 + type.length);
  if (type === 'cloudtrail') {
    const document = JSON.parse([...GENERATORS.cloudtrail.generate({ records, seed })].join('')) as { Records: unknown[] };
    const intact: string[] = [];
    const elements = document.Records.map((element) => {
      if (rnd() < rate) return badElement(rnd);
      const text = JSON.stringify(element);
      intact.push(text);
      return text;
    });
    return { bytes: Buffer.from(`{"Records":[${elements.join(',')}]}\n`), records: elements.length, intact, headers: [] };
  }
  const csv = type === 'csv' || type === 'cur';
  const { headers, data } = generated(type, records, seed);
  const intact: string[] = [];
  const out: Array<string | Buffer> = [...headers];
  for (const text of data) {
    const roll = rnd();
    if (roll < rate * 0.1) out.push('');
    if (roll < rate * 0.15) out.push(Buffer.from([0xff, 0xfe, 0x41, 0xc3]));
    // A CSV record with a quoted line break is left whole: damaged, each of its lines would count on its own.
    if (roll < rate && !text.includes('\n')) {
      out.push(mutate(rnd, text, csv));
    } else {
      out.push(text);
      intact.push(text);
    }
  }
  const bytes = Buffer.concat(out.flatMap((part) => [typeof part === 'string' ? Buffer.from(part) : part, Buffer.from('\n')]));
  return { bytes, records: out.length, intact, headers };
}

/** What the format's own parser makes of the intact records alone (after the headers), as JSON texts. */
export function expectedIntact(type: LogTypeName, file: FuzzedFile): string[] {
  const parser = logFormat(type).createParser({ sourceUri: 'fuzz' });
  let number = 1;
  for (const header of file.headers) parser.parse(header, number++);
  const out: string[] = [];
  for (const text of file.intact) {
    const result = parser.parse(text, number++);
    if (result !== SKIP && !(result instanceof Rejection)) out.push(JSON.stringify(result));
  }
  return out;
}

/** The counts and output of `logbeam parse` on one file. */
export interface ParseOutcome {
  readonly code: number | null;
  readonly records: string[];
  readonly rejected: number;
  readonly skipped: number;
  /** Dead letters without their `source` (so that two files' can be compared). */
  readonly deadLetters: Array<{ line: number; reason: string; raw: string }>;
}

export async function cliParse(type: LogTypeName, path: string, deadLetter: string): Promise<ParseOutcome> {
  const outcome: CliOutcome = await runCli(['parse', type, path, '--dead-letter', deadLetter], { timeoutMs: 120_000 });
  const summary = /parsed (\d+) record\(s\), rejected (\d+), skipped (\d+)/.exec(outcome.stderr);
  if (summary === null)
    throw new Error(`logbeam parse ${type} ${path} printed no summary (exit ${outcome.code}): ${outcome.stderr.slice(0, 2000)}`);
  const deadLetters = (await readFile(deadLetter, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const { line: number, reason, raw } = JSON.parse(line) as { line: number; reason: string; raw: string };
      return { line: number, reason, raw };
    });
  const records = outcome.stdout.split('\n').filter((line) => line !== '');
  if (records.length !== Number(summary[1]))
    throw new Error(`logbeam parse ${type} ${path} printed ${records.length} records but says it parsed ${summary[1]}`);
  return { code: outcome.code, records, rejected: Number(summary[2]), skipped: Number(summary[3]), deadLetters };
}

/** The `--param columns=` a run of the generic csv pipeline needs: the generator's header in snake_case. */
function runArgs(type: LogTypeName, file: FuzzedFile): string[] {
  if (type !== 'csv') return [];
  return ['--param', `columns=${file.headers[0]!.split(',').join(',')}`];
}

/** The summary of `logbeam run <type>` over `input`, and the rows it wrote. */
export async function cliRun(
  type: LogTypeName,
  input: string,
  output: string,
  file: FuzzedFile,
): Promise<{ code: number | null; rowsWritten: number; rejected: number; deadLetterLines: number; stderr: string }> {
  const outcome = await runCli(
    ['run', type, '--input', input, '--output', output, '--json', '--no-progress', '--workers', '1', ...runArgs(type, file)],
    { timeoutMs: 300_000 },
  );
  if (outcome.code !== 0) return { code: outcome.code, rowsWritten: -1, rejected: -1, deadLetterLines: -1, stderr: outcome.stderr };
  const summary = JSON.parse(outcome.stdout) as { rejected: number };
  const rows = await duckdb(
    `SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = false)`,
  );
  const deadRoot = join(output, '_dead_letter');
  const deadFiles = (await readdir(deadRoot, { recursive: true, withFileTypes: true }).catch(() => [])).filter(
    (entry) => entry.isFile() && entry.name.endsWith('.jsonl'),
  );
  let deadLetterLines = 0;
  for (const entry of deadFiles)
    deadLetterLines += (await readFile(join(entry.parentPath, entry.name), 'utf8')).split('\n').filter((line) => line !== '').length;
  return { code: outcome.code, rowsWritten: rows[0]!['n'] as number, rejected: summary.rejected, deadLetterLines, stderr: outcome.stderr };
}

/** Writes `file` plain and gzipped under `dir/<type>/` and returns both paths. */
export async function writeFuzzed(
  dir: string,
  type: LogTypeName,
  name: string,
  file: FuzzedFile,
): Promise<{ plain: string; gz: string; input: string }> {
  const input = join(dir, type, name);
  await mkdir(input, { recursive: true });
  const extension = GENERATORS[type].extension;
  const plain = join(input, `fuzz.${extension}`);
  const gz = join(input, `fuzz-gz.${extension}.gz`);
  await writeFile(plain, file.bytes);
  await writeFile(gz, gzipSync(file.bytes));
  return { plain, gz, input };
}

/** `true` when every text of `expected` occurs in `actual` at least as often (a multiset inclusion). */
export function missingFrom(actual: readonly string[], expected: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const text of actual) counts.set(text, (counts.get(text) ?? 0) + 1);
  const missing: string[] = [];
  for (const text of expected) {
    const left = counts.get(text) ?? 0;
    if (left === 0) missing.push(text);
    else counts.set(text, left - 1);
  }
  return missing;
}
