/**
 * @module portable/wire-format
 * Beam's standard coders, as the Fn API data plane and the runner see the bytes: varints, big-endian
 * timestamps, bytes, KV, iterable, length prefix, global and interval windows, and windowed values.
 *
 * logbeam elements travel as `beam:coder:bytes:v1` holding a compact encoding of the value, and keys of KV
 * collections a deterministic one, so equal keys have equal bytes (the runner groups by key bytes): see
 * payload-codecs.
 *
 * Time: Beam counts milliseconds, logbeam microseconds. Timestamps are written as `floor(µs / 1000)` ms; when
 * read back, a timestamp equal to its window's last millisecond becomes the window's last microsecond
 * (`end - 1` µs, what the direct runner gives group-by-key outputs), any other is `ms * 1000`. So sub-millisecond
 * event times are truncated where elements cross the runner (not inside one fused stage), and window bounds
 * must be whole milliseconds (durations are given in ms, so fixed and sliding windows are; session windows
 * start at an element's time truncated to the millisecond).
 */
import { GLOBAL_WINDOW_MAX, MIN_TIMESTAMP, type Micros } from '../../core/time.js';
import { GLOBAL_WINDOW, isGlobalWindow, type Window } from '../../core/window.js';

/** Beam's minimum timestamp and the end of its global window, in milliseconds (beyond 2^53: BigInt). */
const BEAM_MIN_MS = -9223372036854775n;
const BEAM_GLOBAL_MAX_MS = 9223371950454775n;
const SIGN = 1n << 63n;

/** Thrown by readers that reach the end of the buffer in the middle of an element (wait for more data). */
export class NeedMoreData extends Error {
  constructor() {
    super('element continues in the next data chunk');
  }
}

/** A cursor over one buffer. */
export class Reader {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  get done(): boolean {
    return this.offset >= this.buffer.length;
  }

  byte(): number {
    if (this.offset >= this.buffer.length) throw new NeedMoreData();
    return this.buffer[this.offset++]!;
  }

  varint(): number {
    let result = 0;
    let shift = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * shift;
      if ((b & 0x80) === 0) return result;
      shift *= 128;
    }
  }

  bytes(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw new NeedMoreData();
    const out = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  int32(): number {
    const b = this.bytes(4);
    return b.readInt32BE(0);
  }

  /** `length` bytes of UTF-8 text. */
  utf8(length: number): string {
    const end = this.offset + length;
    if (end > this.buffer.length) throw new NeedMoreData();
    const text = this.buffer.toString('utf8', this.offset, end);
    this.offset = end;
    return text;
  }

  float64(): number {
    if (this.offset + 8 > this.buffer.length) throw new NeedMoreData();
    const value = this.buffer.readDoubleLE(this.offset);
    this.offset += 8;
    return value;
  }

  /** A Beam timestamp (ms, sign bit flipped, big-endian) as BigInt milliseconds. */
  timestampMs(): bigint {
    const b = this.bytes(8);
    return BigInt.asIntN(64, b.readBigUInt64BE(0) ^ SIGN);
  }
}

/** An append-only byte builder (doubling buffer). */
export class Writer {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.byte((rest % 128) | 0x80);
      rest = Math.floor(rest / 128);
    }
    this.byte(rest);
  }

  bytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  int32(value: number): void {
    this.ensure(4);
    this.buffer.writeInt32BE(value, this.length);
    this.length += 4;
  }

  /**
   * A string as a varint of its UTF-8 length plus `plus`, then the bytes, in one pass: the text is written after
   * room for the longest prefix it may need and moved back when the prefix turns out shorter.
   */
  utf8(value: string, plus = 0): void {
    if (value.length > 0xffff) {
      // Long text: its exact length first, rather than room for three bytes per character.
      const length = Buffer.byteLength(value, 'utf8');
      this.varint(length + plus);
      this.ensure(length);
      this.length += this.buffer.write(value, this.length, 'utf8');
      return;
    }
    const room = varintSize(value.length * 3 + plus);
    this.ensure(room + value.length * 3);
    const at = this.length + room;
    const written = this.buffer.write(value, at, 'utf8');
    const size = varintSize(written + plus);
    if (size < room) this.buffer.copyWithin(this.length + size, at, at + written);
    this.varint(written + plus);
    this.length += written;
  }

  /** A string's UTF-8 bytes, without a length. */
  text(value: string): void {
    this.ensure(value.length * 3);
    this.length += this.buffer.write(value, this.length, 'utf8');
  }

  float64(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  timestampMs(ms: bigint): void {
    this.ensure(8);
    this.buffer.writeBigUInt64BE(BigInt.asUintN(64, ms) ^ SIGN, this.length);
    this.length += 8;
  }

  /** Room for a varint length at `at`, filled by `endLengthPrefix(at)` once what follows is written. */
  startLengthPrefix(): number {
    const at = this.length;
    this.byte(0);
    return at;
  }

  /** Writes the length of the bytes after `at` as a varint at `at`, moving them when it needs more than a byte. */
  endLengthPrefix(at: number): void {
    const length = this.length - at - 1;
    const size = varintSize(length);
    if (size > 1) {
      this.ensure(size - 1);
      this.buffer.copyWithin(at + size, at + 1, this.length);
    }
    const end = this.length + size - 1;
    this.length = at;
    this.varint(length);
    this.length = end;
  }

  /** Copies out the bytes written and resets. */
  take(): Buffer {
    const out = Buffer.from(this.buffer.subarray(0, this.length));
    this.length = 0;
    return out;
  }
}

/** The bytes of `value` as a varint. */
function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 128)) size++;
  return size;
}

/** logbeam µs -> Beam ms (clamped to Beam's range; the global window's end maps to Beam's). */
export function microsToBeamMs(micros: Micros): bigint {
  if (micros <= MIN_TIMESTAMP) return BEAM_MIN_MS;
  if (micros >= GLOBAL_WINDOW_MAX) return BEAM_GLOBAL_MAX_MS;
  return BigInt(Math.floor(micros / 1000));
}

/** Beam ms -> logbeam µs (clamped). */
export function beamMsToMicros(ms: bigint): Micros {
  if (ms <= BEAM_MIN_MS) return MIN_TIMESTAMP;
  if (ms >= BEAM_GLOBAL_MAX_MS) return GLOBAL_WINDOW_MAX;
  const micros = Number(ms) * 1000;
  return micros < MIN_TIMESTAMP ? MIN_TIMESTAMP : Math.min(micros, GLOBAL_WINDOW_MAX);
}

/** How the bytes of one value are read and written, built from a coder spec of the process bundle descriptor. */
export interface ValueCodec {
  read(reader: Reader): unknown;
  write(writer: Writer, value: unknown): void;
}

/** How a window is read and written. */
export interface WindowCodec {
  read(reader: Reader): Window;
  write(writer: Writer, window: Window): void;
}

/** A windowed element as decoded from the data plane. */
export interface WindowedElement {
  value: unknown;
  timestamp: Micros;
  windows: Window[];
}

/** `beam:coder:kv:v1` as logbeam's `{key, value}`. */
export function kvCodec(key: ValueCodec, value: ValueCodec): ValueCodec {
  return {
    read(reader) {
      const k = key.read(reader);
      return { key: k, value: value.read(reader) };
    },
    write(writer, element) {
      // A collection gets this coder when it (or a collection flattened with it) feeds a shuffle: an element that
      // is not a key-value pair would be written as an undefined key, so it fails here instead.
      if (typeof element !== 'object' || element === null || !('key' in element))
        throw new Error(
          `the portable runner can only write key-value pairs ({ key, value }) to a collection that feeds a group-by-key (directly or through a flatten), got ${describeElement(element)}; map it to a { key, value } pair first`,
        );
      const pair = element as { key: unknown; value: unknown };
      key.write(writer, pair.key);
      value.write(writer, pair.value);
    },
  };
}

function describeElement(element: unknown): string {
  if (element === null || typeof element !== 'object')
    return `${typeof element === 'string' ? 'the text' : typeof element} ${JSON.stringify(element)?.slice(0, 80) ?? String(element)}`;
  return `an object with fields ${Object.keys(element).slice(0, 8).join(', ') || '(none)'}`;
}

/** `beam:coder:iterable:v1` as an array (reads both the counted and the chunked, `-1`-prefixed forms). */
export function iterableCodec(element: ValueCodec): ValueCodec {
  return {
    read(reader) {
      const count = reader.int32();
      const out: unknown[] = [];
      if (count >= 0) {
        for (let i = 0; i < count; i++) out.push(element.read(reader));
        return out;
      }
      for (let chunk = reader.varint(); chunk > 0; chunk = reader.varint()) {
        for (let i = 0; i < chunk; i++) out.push(element.read(reader));
      }
      return out;
    },
    write(writer, value) {
      const values = value as unknown[];
      writer.int32(values.length);
      for (const item of values) element.write(writer, item);
    },
  };
}

/** `beam:coder:length_prefix:v1` around another codec. */
export function lengthPrefixCodec(inner: ValueCodec): ValueCodec {
  const scratch = new Writer();
  return {
    read(reader) {
      const bytes = reader.bytes(reader.varint());
      return inner.read(new Reader(bytes));
    },
    write(writer, value) {
      inner.write(scratch, value);
      const bytes = scratch.take();
      writer.varint(bytes.length);
      writer.bytes(bytes);
    },
  };
}

export const globalWindowCodec: WindowCodec = {
  read: () => GLOBAL_WINDOW,
  write: () => undefined,
};

/** `beam:coder:interval_window:v1`: end (timestamp), then the duration in ms as a varint. */
export const intervalWindowCodec: WindowCodec = {
  read(reader) {
    const endMs = reader.timestampMs();
    const durationMs = BigInt(reader.varint());
    return { start: beamMsToMicros(endMs - durationMs), end: beamMsToMicros(endMs) };
  },
  write(writer, window) {
    const endMs = microsToBeamMs(window.end);
    const startMs = microsToBeamMs(window.start);
    writer.timestampMs(endMs);
    writer.varint(Number(endMs - startMs));
  },
};

/** `beam:coder:windowed_value:v1`: timestamp, windows, pane (written as "no firing"), value. */
export class WindowedValueCodec {
  constructor(
    readonly value: ValueCodec,
    readonly window: WindowCodec,
  ) {}

  read(reader: Reader): WindowedElement {
    const ms = reader.timestampMs();
    const count = reader.int32();
    const windows: Window[] = [];
    for (let i = 0; i < count; i++) windows.push(this.window.read(reader));
    const pane = reader.byte();
    // The high nibble says how many varints (pane index, on-time index) follow the first byte.
    if (pane >> 4 === 1) reader.varint();
    else if (pane >> 4 === 2) {
      reader.varint();
      reader.varint();
    }
    const value = this.value.read(reader);
    let timestamp = beamMsToMicros(ms);
    if (windows.length === 1 && !isGlobalWindow(windows[0]!) && ms === microsToBeamMs(windows[0]!.end) - 1n)
      timestamp = windows[0]!.end - 1;
    return { value, timestamp, windows };
  }

  write(writer: Writer, value: unknown, timestamp: Micros, window: Window): void {
    writer.timestampMs(microsToBeamMs(timestamp));
    writer.int32(1);
    this.window.write(writer, window);
    writer.byte(0x0f);
    this.value.write(writer, value);
  }
}
