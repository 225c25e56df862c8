/**
 * @module formats/csv/generate
 * Deterministic synthetic audit-log CSV (`timestamp,customer,event,…`) for tests and benchmarks, with the cases a
 * generic CSV parser must survive at small rates: empty cells, fields quoted for commas, doubled quotes and line
 * breaks, and non-ASCII text.
 */
import { MICROS_PER_HOUR, MICROS_PER_SECOND, microsToIso } from '../../../core/time.js';
import { SeededRandom } from '../../generate/random.js';
import { formatCsvRecord } from '../common/csv-fields.js';

/** How the generated `timestamp` column is written. */
export type CsvTimeStyle = 'iso' | 'space' | 'epoch-seconds' | 'epoch-millis';

/** Options for `generateCsvAuditLines`. */
export interface CsvAuditGeneratorOptions {
  /** Number of rows (the header record is extra). */
  readonly records: number;
  readonly seed: number;
  /** First event, epoch µs (default 2024-03-01T00:00:00Z). */
  readonly startMicros?: number;
  /** Events spread over this many hours (default 24). */
  readonly spanHours?: number;
  /** Timestamp style (default `iso`). */
  readonly timeStyle?: CsvTimeStyle;
  /** Delimiter (default `,`). */
  readonly delimiter?: string;
}

/** The generated header, in order. */
export const CSV_AUDIT_HEADER = ['timestamp', 'customer', 'event', 'actor', 'source_ip', 'resource', 'detail', 'duration_ms'] as const;

const CUSTOMERS = ['acme', 'globex', 'initech', 'umbrella', 'Société Générale', 'stark, industries'];
const EVENTS = ['login', 'logout', 'export', 'api_call', 'permission_change', 'delete', 'login_failed'];
const DETAILS = ['ok', 'via SSO', 'rows=1,024', 'said "hello"', 'multi-line\nnote', 'ümlaut ✓', ''];

/** The instant `micros` as the style writes it, and the instant that text denotes (the style's precision). */
function formatTime(micros: number, style: CsvTimeStyle): { text: string; written: number } {
  if (style === 'epoch-seconds') {
    const seconds = Math.floor(micros / MICROS_PER_SECOND);
    return { text: String(seconds), written: seconds * MICROS_PER_SECOND };
  }
  const millis = Math.floor(micros / 1000);
  if (style === 'epoch-millis') return { text: String(millis), written: millis * 1000 };
  const iso = microsToIso(millis * 1000);
  return { text: style === 'space' ? iso.replace('T', ' ').replace('Z', '') : iso, written: millis * 1000 };
}

/** One generated audit row: its CSV text and the values it was written from. */
export interface CsvAuditRow {
  readonly text: string;
  /** The cells in `CSV_AUDIT_HEADER` order as meant (`null` for an empty cell). */
  readonly cells: readonly (string | null)[];
  /** The event time the `timestamp` cell denotes, epoch µs. */
  readonly micros: number;
}

/**
 * The audit rows of `generateCsvAuditLines` (without the header), each with the values it was written from, so
 * tests can compare a parsed row with what was meant field by field. Deterministic in `seed`.
 */
export function* generateCsvAuditRows(options: CsvAuditGeneratorOptions): Generator<CsvAuditRow> {
  const random = new SeededRandom(options.seed);
  const style = options.timeStyle ?? 'iso';
  const delimiter = (options.delimiter ?? ',').charCodeAt(0);
  const startMicros = options.startMicros ?? Date.UTC(2024, 2, 1) * 1000;
  const spanMicros = (options.spanHours ?? 24) * MICROS_PER_HOUR;
  for (let i = 0; i < options.records; i++) {
    const at = startMicros + Math.floor((spanMicros * i) / Math.max(1, options.records)) + random.int(0, 999) * 1000;
    const event = random.pick(EVENTS);
    const time = formatTime(at, style);
    const cells = [
      time.text,
      random.pick(CUSTOMERS),
      event,
      random.chance(0.05) ? null : `user${random.int(1, 50)}@example.com`,
      random.chance(0.03) ? random.ipv6() : random.ipv4('public'),
      random.chance(0.1) ? null : `/projects/${random.int(1, 20)}/files/${random.hex(8)}`,
      random.chance(0.9) ? random.pick(DETAILS.slice(0, 3)) : random.pick(DETAILS),
      String(random.int(1, 5000)),
    ];
    yield { text: formatCsvRecord(cells, delimiter), cells: cells.map((cell) => (cell === '' ? null : cell)), micros: time.written };
  }
}

/**
 * Yields the header record, then `records` audit rows as CSV record texts (no trailing line break; a quoted
 * field may contain one). Deterministic in `seed`.
 * @example [...generateCsvAuditLines({ records: 1, seed: 1 })][0] // 'timestamp,customer,event,actor,source_ip,resource,detail,duration_ms'
 */
export function* generateCsvAuditLines(options: CsvAuditGeneratorOptions): Generator<string> {
  yield formatCsvRecord(CSV_AUDIT_HEADER, (options.delimiter ?? ',').charCodeAt(0));
  for (const row of generateCsvAuditRows(options)) yield row.text;
}
