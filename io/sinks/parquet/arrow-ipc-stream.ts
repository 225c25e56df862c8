/**
 * @module sinks/parquet/arrow-ipc-stream
 * Arrow IPC stream bytes written straight from the column builders' buffers, without apache-arrow objects:
 * the Schema message is serialised once per file, and each flush becomes one RecordBatch message whose body
 * is the columns' buffers, each padded to 8 bytes. Validity bitmaps and boolean values are bit-packed and
 * int64/timestamp values (held as float64) split into 64-bit words while they are copied into the body, so a
 * flush allocates the output buffer and nothing per column.
 *
 * Layout (Arrow columnar format, IPC streaming): each message is `0xFFFFFFFF`, the metadata length (int32, a
 * multiple of 8), the FlatBuffer `Message`, then the body; the stream ends with `0xFFFFFFFF 0x00000000`.
 */
import type { Field } from '../../../core/schema.js';
import type { ColumnChunk } from './column-builders.js';
import { type FbTable, writeFlatbuffer } from './flatbuffer-writer.js';

// Enum values from Arrow's Schema.fbs / Message.fbs.
const METADATA_V5 = 4;
const HEADER_SCHEMA = 1;
const HEADER_RECORD_BATCH = 3;
const TYPE_INT = 2;
const TYPE_FLOATING_POINT = 3;
const TYPE_UTF8 = 5;
const TYPE_BOOL = 6;
const TYPE_TIMESTAMP = 10;
const PRECISION_DOUBLE = 2;
const UNIT_MICROSECOND = 2;
const CONTINUATION = 0xffffffff;
const TWO_POW_32 = 4294967296;

/** The Arrow type of a declared field: [Type union tag, type table]. */
function arrowType(field: Field): [number, FbTable] {
  switch (field.type) {
    case 'string':
    case 'json':
      return [TYPE_UTF8, []];
    case 'int32':
      return [
        TYPE_INT,
        [
          { kind: 'i32', value: 32 },
          { kind: 'bool', value: 1 },
        ],
      ];
    case 'int64':
      return [
        TYPE_INT,
        [
          { kind: 'i32', value: 64 },
          { kind: 'bool', value: 1 },
        ],
      ];
    case 'double':
      return [TYPE_FLOATING_POINT, [{ kind: 'i16', value: PRECISION_DOUBLE }]];
    case 'boolean':
      return [TYPE_BOOL, []];
    case 'timestamp':
      return [
        TYPE_TIMESTAMP,
        [
          { kind: 'i16', value: UNIT_MICROSECOND },
          { kind: 'string', value: 'UTC' },
        ],
      ];
  }
}

function message(headerType: number, header: FbTable, bodyLength: number): Uint8Array {
  return writeFlatbuffer([
    { kind: 'i16', value: METADATA_V5 },
    { kind: 'u8', value: headerType },
    { kind: 'table', value: header },
    { kind: 'i64', value: bodyLength },
  ]);
}

function framed(metadata: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + metadata.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, CONTINUATION, true);
  view.setInt32(4, metadata.length, true);
  out.set(metadata, 8);
  return out;
}

/** The framed Schema message for these fields (written once per file). */
export function schemaMessage(fields: readonly Field[]): Uint8Array {
  const children: FbTable[] = fields.map((field) => {
    const [typeTag, type] = arrowType(field);
    return [
      { kind: 'string', value: field.name },
      { kind: 'bool', value: field.nullable ? 1 : 0 },
      { kind: 'u8', value: typeTag },
      { kind: 'table', value: type },
      undefined,
      { kind: 'tables', value: [] },
    ];
  });
  // Schema: endianness (0 = little), fields.
  return framed(
    message(
      HEADER_SCHEMA,
      [
        { kind: 'i16', value: 0 },
        { kind: 'tables', value: children },
      ],
      0,
    ),
  );
}

const pad8 = (bytes: number): number => (bytes + 7) & ~7;

/** Bytes of each body buffer of a column, in IPC order (validity, then offsets and data, or values). */
function bufferSizes(chunk: ColumnChunk): number[] {
  const validity = chunk.nullCount === 0 ? 0 : (chunk.length + 7) >> 3;
  switch (chunk.layout) {
    case 'int32':
      return [validity, chunk.length * 4];
    case 'float64':
    case 'int64':
      return [validity, chunk.length * 8];
    case 'bool':
      return [validity, (chunk.length + 7) >> 3];
    case 'utf8':
      return [validity, (chunk.length + 1) * 4, chunk.offsets[chunk.length]!];
  }
}

/** Packs one byte per row (non-zero = set) into an LSB-first bitmap at `out[at...]` (which is zeroed). */
function packBits(bytes: Uint8Array, length: number, out: Uint8Array, at: number): void {
  const whole = length & ~7;
  let i = 0;
  for (; i < whole; i += 8) {
    out[at + (i >> 3)] =
      (bytes[i]! !== 0 ? 1 : 0) |
      (bytes[i + 1]! !== 0 ? 2 : 0) |
      (bytes[i + 2]! !== 0 ? 4 : 0) |
      (bytes[i + 3]! !== 0 ? 8 : 0) |
      (bytes[i + 4]! !== 0 ? 16 : 0) |
      (bytes[i + 5]! !== 0 ? 32 : 0) |
      (bytes[i + 6]! !== 0 ? 64 : 0) |
      (bytes[i + 7]! !== 0 ? 128 : 0);
  }
  for (; i < length; i++) if (bytes[i] !== 0) out[at + (i >> 3)]! |= 1 << (i & 7);
}

function writeInt64Words(values: Float64Array, length: number, out: Uint8Array, at: number): void {
  // `at` is 8-aligned within `out`, which starts 8-aligned in its buffer: word views need no copy.
  const halves = new Uint32Array(out.buffer, out.byteOffset + at, length * 2);
  const signed = new Int32Array(out.buffer, out.byteOffset + at, length * 2);
  for (let i = 0; i < length; i++) {
    const value = values[i]!;
    const high = Math.floor(value / TWO_POW_32);
    halves[2 * i] = value - high * TWO_POW_32;
    signed[2 * i + 1] = high;
  }
}

function writeBody(chunk: ColumnChunk, sizes: readonly number[], out: Uint8Array, start: number): number {
  let at = start;
  // An all-null column's bitmap is all zeros, as `out` already is.
  if (sizes[0]! > 0 && chunk.nullCount < chunk.length) packBits(chunk.valid, chunk.length, out, at);
  at += pad8(sizes[0]!);
  switch (chunk.layout) {
    case 'int32':
    case 'float64':
      out.set(new Uint8Array(chunk.values.buffer, chunk.values.byteOffset, sizes[1]!), at);
      break;
    case 'int64':
      writeInt64Words(chunk.values, chunk.length, out, at);
      break;
    case 'bool':
      packBits(chunk.values, chunk.length, out, at);
      break;
    case 'utf8':
      out.set(new Uint8Array(chunk.offsets.buffer, chunk.offsets.byteOffset, sizes[1]!), at);
      out.set(chunk.bytes.subarray(0, sizes[2]!), at + pad8(sizes[1]!));
      break;
  }
  for (let i = 1; i < sizes.length; i++) at += pad8(sizes[i]!);
  return at;
}

/** Gives `size` zeroed bytes, starting 8-aligned in their ArrayBuffer. */
export type IpcAllocator = (size: number) => Uint8Array;

const freshBytes: IpcAllocator = (size) => new Uint8Array(size);

/**
 * One complete IPC stream (the file's schema message, one record batch of `length` rows from `chunks`, the
 * end-of-stream marker) in a single buffer from `allocate`. The chunks' buffers are copied: the builders may
 * reuse them. A caller that flushes often can pass an allocator that reuses one buffer.
 */
export function recordBatchStream(
  schema: Uint8Array,
  chunks: readonly ColumnChunk[],
  length: number,
  allocate: IpcAllocator = freshBytes,
): Uint8Array {
  const nodes: number[] = [];
  const buffers: number[] = [];
  const sizes = chunks.map(bufferSizes);
  let bodyLength = 0;
  chunks.forEach((chunk, index) => {
    nodes.push(chunk.length, chunk.nullCount);
    for (const size of sizes[index]!) {
      buffers.push(bodyLength, size);
      bodyLength += pad8(size);
    }
  });
  const metadata = message(
    HEADER_RECORD_BATCH,
    [
      { kind: 'i64', value: length },
      { kind: 'i64-pairs', value: nodes },
      { kind: 'i64-pairs', value: buffers },
    ],
    bodyLength,
  );
  const bodyStart = schema.length + 8 + metadata.length;
  const size = bodyStart + bodyLength + 8;
  const out = allocate(size);
  out.set(schema, 0);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(schema.length, CONTINUATION, true);
  view.setInt32(schema.length + 4, metadata.length, true);
  out.set(metadata, schema.length + 8);
  let at = bodyStart;
  chunks.forEach((chunk, index) => {
    at = writeBody(chunk, sizes[index]!, out, at);
  });
  view.setUint32(at, CONTINUATION, true);
  view.setUint32(at + 4, 0, true);
  return out;
}
