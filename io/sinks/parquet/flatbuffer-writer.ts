/**
 * @module sinks/parquet/flatbuffer-writer
 * A minimal FlatBuffers serialiser for the few tables of Arrow IPC metadata (Message, Schema, Field, the type
 * tables, RecordBatch). Unlike the FlatBuffers library, which builds back to front, it writes front to back:
 * root offset, then each table preceded by its vtable, then the table's children (strings, vectors, tables)
 * after it, so every unsigned offset points forward as the format requires. Scalars are aligned to their size
 * relative to the buffer start; the caller places the buffer at an 8-byte boundary.
 */

/** One field of a table. Absent fields are `undefined` in the table's array (their vtable slot is 0). */
export type FbField =
  | { readonly kind: 'bool' | 'u8'; readonly value: number }
  | { readonly kind: 'i16'; readonly value: number }
  | { readonly kind: 'i32'; readonly value: number }
  /** An int64 given as a JS number (exact below 2^53). */
  | { readonly kind: 'i64'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'table'; readonly value: FbTable }
  | { readonly kind: 'tables'; readonly value: readonly FbTable[] }
  /** A vector of structs made of two int64s each (Arrow's FieldNode and Buffer), given as flat pairs. */
  | { readonly kind: 'i64-pairs'; readonly value: readonly number[] };

/** A table: its fields by field id. */
export type FbTable = readonly (FbField | undefined)[];

const TWO_POW_32 = 4294967296;
const encoder = new TextEncoder();

function inlineSize(field: FbField): number {
  switch (field.kind) {
    case 'bool':
    case 'u8':
      return 1;
    case 'i16':
      return 2;
    case 'i64':
      return 8;
    default:
      // i32 and every offset (uoffset_t)
      return 4;
  }
}

class Writer {
  bytes = new Uint8Array(512);
  view = new DataView(this.bytes.buffer);
  used = 0;

  private reserve(count: number): number {
    const at = this.used;
    if (at + count > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, at + count));
      grown.set(this.bytes.subarray(0, at));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.used += count;
    return at;
  }

  /** Pads with zeros until `(used + shift) % alignment === 0`. */
  align(alignment: number, shift = 0): void {
    const gap = (alignment - ((this.used + shift) % alignment)) % alignment;
    this.reserve(gap);
  }

  u32(value: number): number {
    const at = this.reserve(4);
    this.view.setUint32(at, value, true);
    return at;
  }

  i64At(at: number, value: number): void {
    const high = Math.floor(value / TWO_POW_32);
    this.view.setUint32(at, value - high * TWO_POW_32, true);
    this.view.setInt32(at + 4, high, true);
  }

  /** Points the uoffset at `site` to `target` (which lies after it). */
  patch(site: number, target: number): void {
    this.view.setUint32(site, target - site, true);
  }

  table(fields: FbTable): number {
    const present = fields.map((field, id) => ({ field, id })).filter((entry) => entry.field !== undefined) as {
      field: FbField;
      id: number;
    }[];
    // Largest scalars first keeps the inline part tightly packed and each field aligned.
    present.sort((a, b) => inlineSize(b.field) - inlineSize(a.field));
    const slots = new Array<number>(fields.length).fill(0);
    let size = 4;
    for (const { field, id } of present) {
      const width = inlineSize(field);
      size = Math.ceil(size / width) * width;
      slots[id] = size;
      size += width;
    }
    const hasWide = present.some((entry) => inlineSize(entry.field) === 8);
    // vtable: u16 vtable bytes, u16 table bytes, one u16 per field; the table follows, 8-aligned if needed.
    this.align(2);
    const vtableBytes = 4 + 2 * fields.length;
    const vtable = this.reserve(vtableBytes);
    this.align(hasWide ? 8 : 4);
    const table = this.reserve(size);
    this.view.setUint16(vtable, vtableBytes, true);
    this.view.setUint16(vtable + 2, size, true);
    for (let id = 0; id < fields.length; id++) this.view.setUint16(vtable + 4 + 2 * id, slots[id]!, true);
    this.view.setInt32(table, table - vtable, true);
    const children: { site: number; field: FbField }[] = [];
    for (const { field, id } of present) {
      const at = table + slots[id]!;
      switch (field.kind) {
        case 'bool':
        case 'u8':
          this.view.setUint8(at, field.value);
          break;
        case 'i16':
          this.view.setInt16(at, field.value, true);
          break;
        case 'i32':
          this.view.setInt32(at, field.value, true);
          break;
        case 'i64':
          this.i64At(at, field.value);
          break;
        default:
          children.push({ site: at, field });
      }
    }
    for (const { site, field } of children) this.patch(site, this.child(field));
    return table;
  }

  private child(field: FbField): number {
    switch (field.kind) {
      case 'string': {
        const text = encoder.encode(field.value);
        this.align(4);
        const at = this.u32(text.length);
        const start = this.reserve(text.length + 1);
        this.bytes.set(text, start);
        return at;
      }
      case 'table':
        return this.table(field.value);
      case 'tables': {
        this.align(4);
        const at = this.u32(field.value.length);
        const sites = field.value.map(() => this.u32(0));
        field.value.forEach((table, index) => {
          this.patch(sites[index]!, this.table(table));
        });
        return at;
      }
      case 'i64-pairs': {
        // The elements (16-byte structs of int64s) must be 8-aligned: the length word sits just before them.
        this.align(8, 4);
        const at = this.u32(field.value.length / 2);
        const start = this.reserve(field.value.length * 8);
        field.value.forEach((value, index) => {
          this.i64At(start + index * 8, value);
        });
        return at;
      }
      default:
        throw new Error(`flatbuffer: a ${field.kind} field is written inline, not as a child`);
    }
  }
}

/** Serialises `root` as a FlatBuffer; the result's length is a multiple of 8. */
export function writeFlatbuffer(root: FbTable): Uint8Array {
  const writer = new Writer();
  const site = writer.u32(0);
  writer.patch(site, writer.table(root));
  writer.align(8);
  return writer.bytes.slice(0, writer.used);
}
