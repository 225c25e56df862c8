/**
 * @module formats/cloudfront/layout
 * The column layout of one CloudFront log file, resolved once from its `#Fields` header: which decoder kind
 * each column has, which documented field it fills, and the names of undocumented columns.
 */
import { ByteSpanDecoder } from '../common/byte-span-decoder.js';
import {
  KIND_DOUBLE,
  KIND_INT32,
  KIND_INT64,
  KIND_STRING,
  KIND_URL_ENCODED,
  KIND_URL_ENCODED_TWICE,
  SpanDecoder,
  type ColumnSpec,
} from '../common/span-decoder.js';
import { CLOUDFRONT_ENUMERATED, CLOUDFRONT_KNOWN_FIELDS, cloudFrontFieldName } from './schema.js';

const KNOWN_INDEX = new Map(CLOUDFRONT_KNOWN_FIELDS.map((known, index) => [known.name, index]));
/** Names the record already uses for something else; a header column with one of them is renamed. */
const RESERVED = new Set(['timestamp', 'extra']);

function kindOf(knownIndex: number): number {
  if (knownIndex < 0) return KIND_URL_ENCODED;
  const known = CLOUDFRONT_KNOWN_FIELDS[knownIndex]!;
  if (known.name === 'date' || known.name === 'time') return KIND_STRING;
  if (known.name === 'cs_user_agent') return KIND_URL_ENCODED_TWICE;
  switch (known.type) {
    case 'int32':
      return KIND_INT32;
    case 'int64':
      return KIND_INT64;
    case 'double':
      return KIND_DOUBLE;
    default:
      return KIND_URL_ENCODED;
  }
}

/** How the columns of one file map to record fields. Column `i` fills decoder slot `i`. */
export class CloudFrontLayout {
  readonly decoder: SpanDecoder;
  /** The same columns read from a line's bytes (the columnar path), percent-encoded values left encoded. */
  readonly byteDecoder: ByteSpanDecoder;
  /** Slot of each documented field (in `CLOUDFRONT_KNOWN_FIELDS` order), -1 when the header lacks it. */
  readonly known: Int32Array;
  /** Record names of undocumented columns, with their slots in `unknownSlots`. */
  readonly unknownNames: readonly string[];
  readonly unknownSlots: readonly number[];
  readonly columnCount: number;
  /** Documented enumerated fields this file has: their slot, name and allowed values. */
  readonly enumerated: ReadonlyArray<{ readonly slot: number; readonly name: string; readonly values: ReadonlySet<string> }>;

  constructor(headerNames: readonly string[]) {
    const columns: ColumnSpec[] = [];
    const known = new Int32Array(CLOUDFRONT_KNOWN_FIELDS.length).fill(-1);
    const unknownNames: string[] = [];
    const unknownSlots: number[] = [];
    headerNames.forEach((headerName, column) => {
      let name = cloudFrontFieldName(headerName);
      const knownIndex = KNOWN_INDEX.get(name) ?? -1;
      if (knownIndex >= 0) {
        known[knownIndex] = column;
      } else {
        if (name.length === 0 || RESERVED.has(name)) name = `column_${column + 1}${name.length === 0 ? '' : `_${name}`}`;
        if (!unknownNames.includes(name)) {
          unknownNames.push(name);
          unknownSlots.push(column);
        }
      }
      columns.push({ name, kind: kindOf(knownIndex) });
    });
    this.decoder = new SpanDecoder(columns);
    this.byteDecoder = new ByteSpanDecoder(columns, { keepEncoded: true });
    this.known = known;
    this.unknownNames = unknownNames;
    this.unknownSlots = unknownSlots;
    this.columnCount = columns.length;
    this.enumerated = Object.entries(CLOUDFRONT_ENUMERATED)
      .map(([name, values]) => ({ slot: known[KNOWN_INDEX.get(name)!]!, name, values: new Set(values) }))
      .filter((entry) => entry.slot >= 0);
  }
}

/**
 * The column names of a `#Fields:` header line (separated by spaces or tabs), or `undefined` when the line
 * is not one.
 * @example parseFieldsHeader('#Fields: date time x-edge-location') // ['date', 'time', 'x-edge-location']
 */
export function parseFieldsHeader(line: string): string[] | undefined {
  if (!line.startsWith('#Fields:')) return undefined;
  return line
    .slice('#Fields:'.length)
    .split(/\s+/)
    .filter((name) => name.length > 0);
}
