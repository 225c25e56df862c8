/**
 * @module portable/compact-value
 * The payload of logbeam's `beam:coder:bytes:v1` values on the Fn API data plane: a compact tagged encoding of
 * plain JSON-like values (what records, accumulators and keyed pairs are), with `node:v8` serialisation kept for
 * anything else. Per element it costs a fraction of `v8.serialize` (no serializer object, no extra buffer) and
 * takes fewer bytes, which the engine also pays for.
 *
 * The payload starts with `COMPACT` (0xC0); a V8 payload starts with its version tag 0xFF, so old bytes still
 * read. Inside, every value is a tag byte and its data:
 * `u` undefined, `z` null, `t`/`f` booleans, `i` an integer within ±2^51 (zig-zag varint, never -0), `d` any other number
 * (float64 LE), `s` a string (varint UTF-8 length, bytes), `a` a dense array (varint length, elements), `o` an
 * object whose prototype is `Object.prototype` or null (entries as key string and value, ended by a 0 byte where
 * the key length would be: key lengths are written plus one), and `v` any other value (Date, Map, Set, BigInt,
 * typed arrays, class instances, arrays with holes or named properties, strings with lone surrogates) as its own
 * V8 serialisation (varint length, bytes).
 * What reads back equals what `v8.deserialize(v8.serialize(value))` gives, except that an object reached twice
 * (shared, not cyclic) comes back as two equal copies; values nested deeper than `MAX_DEPTH` (or cyclic), and
 * objects with a key holding a lone surrogate, are serialised whole by V8.
 */
import { deserialize, serialize } from 'node:v8';
import { NeedMoreData, type Reader, type Writer } from './wire-format.js';

/** The first byte of a compact payload (a V8 payload starts with 0xFF). */
export const COMPACT = 0xc0;
const V8_VERSION_TAG = 0xff;
/** Deeper values (or cycles) are left to V8, which handles both. */
export const MAX_DEPTH = 64;

const TAG = {
  undefined: 0x75, // u
  null: 0x7a, // z
  true: 0x74, // t
  false: 0x66, // f
  int: 0x69, // i
  double: 0x64, // d
  string: 0x73, // s
  array: 0x61, // a
  object: 0x6f, // o
  v8: 0x76, // v
} as const;

/** Thrown inside the writer for what the compact form cannot hold exactly: the whole value is left to V8. */
class NotCompact extends Error {}

/** No lone surrogates, so UTF-8 holds the text exactly (ES2024's `isWellFormed`, in Node 20, not in our lib). */
export function isWellFormedText(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** Writes `value` as a compact payload (not length-prefixed). */
export function writeCompactValue(writer: Writer, value: unknown): void {
  const start = writer.length;
  writer.byte(COMPACT);
  try {
    writeValue(writer, value, 0);
  } catch (error) {
    if (!(error instanceof NotCompact)) throw error;
    writer.length = start;
    writer.bytes(serialize(value));
  }
}

/** Reads a payload of `length` bytes written by `writeCompactValue`, or by `v8.serialize`. */
export function readCompactValue(reader: Reader, length: number): unknown {
  const end = reader.offset + length;
  if (end > reader.buffer.length) throw new NeedMoreData();
  const first = reader.buffer[reader.offset];
  if (first === V8_VERSION_TAG) return deserialize(reader.bytes(length));
  if (first !== COMPACT) throw new Error(`a logbeam value payload starts with byte ${first}: not written by this version of logbeam`);
  reader.offset++;
  const value = readValue(reader);
  if (reader.offset !== end) throw new Error(`a logbeam value payload has ${end - reader.offset} byte(s) after its value`);
  return value;
}

function writeValue(writer: Writer, value: unknown, depth: number): void {
  switch (typeof value) {
    case 'string':
      if (!isWellFormedText(value)) break;
      writer.byte(TAG.string);
      writer.utf8(value);
      return;
    case 'number':
      // Zig-zag doubles the value: 2^51 keeps it exact.
      if (Number.isInteger(value) && value <= 2 ** 51 && value >= -(2 ** 51) && !Object.is(value, -0)) {
        writer.byte(TAG.int);
        writer.varint(value < 0 ? -2 * value - 1 : 2 * value);
      } else {
        writer.byte(TAG.double);
        writer.float64(value);
      }
      return;
    case 'boolean':
      writer.byte(value ? TAG.true : TAG.false);
      return;
    case 'undefined':
      writer.byte(TAG.undefined);
      return;
    case 'object':
      if (value === null) {
        writer.byte(TAG.null);
        return;
      }
      if (depth >= MAX_DEPTH) throw new NotCompact();
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) === Array.prototype && writeArray(writer, value, depth + 1)) return;
      } else {
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto === Object.prototype || proto === null) {
          writeObject(writer, value as Record<string, unknown>, depth + 1);
          return;
        }
      }
      break;
  }
  const bytes = serialize(value);
  writer.byte(TAG.v8);
  writer.varint(bytes.length);
  writer.bytes(bytes);
}

/** A dense array without other properties; false (nothing written) for one with holes or named properties (a RegExp match), which V8 keeps. */
function writeArray(writer: Writer, array: readonly unknown[], depth: number): boolean {
  if (Object.keys(array).length !== array.length) return false;
  writer.byte(TAG.array);
  writer.varint(array.length);
  for (let i = 0; i < array.length; i++) writeValue(writer, array[i], depth);
  return true;
}

function writeObject(writer: Writer, object: Record<string, unknown>, depth: number): void {
  writer.byte(TAG.object);
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    if (!isWellFormedText(key)) throw new NotCompact();
    writer.utf8(key, 1);
    writeValue(writer, object[key], depth);
  }
  writer.byte(0);
}

function readValue(reader: Reader): unknown {
  const tag = reader.byte();
  switch (tag) {
    case TAG.string:
      return reader.utf8(reader.varint());
    case TAG.int: {
      const n = reader.varint();
      return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
    }
    case TAG.double:
      return reader.float64();
    case TAG.null:
      return null;
    case TAG.undefined:
      return undefined;
    case TAG.true:
      return true;
    case TAG.false:
      return false;
    case TAG.array: {
      const length = reader.varint();
      const array = new Array<unknown>(length);
      for (let i = 0; i < length; i++) array[i] = readValue(reader);
      return array;
    }
    case TAG.object: {
      const object: Record<string, unknown> = {};
      for (let length = reader.varint(); length > 0; length = reader.varint()) {
        const key = reader.utf8(length - 1);
        // Assigning `__proto__` would set the prototype; V8 defines an own property, and so does this.
        if (key === '__proto__')
          Object.defineProperty(object, key, { value: readValue(reader), enumerable: true, writable: true, configurable: true });
        else object[key] = readValue(reader);
      }
      return object;
    }
    case TAG.v8:
      return deserialize(reader.bytes(reader.varint()));
    default:
      throw new Error(`a logbeam value payload holds unknown tag ${tag} at byte ${reader.offset - 1}`);
  }
}
