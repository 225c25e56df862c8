import { GLOBAL_WINDOW } from '../../core/window.js';
import { GLOBAL_WINDOW_MAX } from '../../core/time.js';
import {
  globalWindowCodec,
  intervalWindowCodec,
  iterableCodec,
  kvCodec,
  NeedMoreData,
  Reader,
  WindowedValueCodec,
  Writer,
} from './wire-format.js';
import { keyBytesCodec, valueBytesCodec } from './payload-codecs.js';

describe('WindowedValueCodec', () => {
  const kvIterable = new WindowedValueCodec(kvCodec(keyBytesCodec, iterableCodec(valueBytesCodec)), intervalWindowCodec);

  test('a KV of an object key and values in an interval window survives a round trip with millisecond timestamps', () => {
    const writer = new Writer();
    const window = { start: 1_700_000_000_000_000, end: 1_700_003_600_000_000 };
    kvIterable.write(writer, { key: { user: 'a' }, value: [1, 'two', { three: 3 }] }, 1_700_000_000_123_456, window);
    const element = kvIterable.read(new Reader(writer.take()));
    expect(element).toEqual({
      value: { key: { user: 'a' }, value: [1, 'two', { three: 3 }] },
      timestamp: 1_700_000_000_123_000,
      windows: [window],
    });
  });

  test("a timestamp at the window's last millisecond reads back as the window's last microsecond, as group-by-key outputs carry", () => {
    const writer = new Writer();
    const window = { start: 0, end: 3_600_000_000 };
    kvIterable.write(writer, { key: 'k', value: [] }, window.end - 1, window);
    expect(kvIterable.read(new Reader(writer.take())).timestamp).toBe(window.end - 1);
  });

  test('the global window and its maximum timestamp map to Beam bounds and back', () => {
    const codec = new WindowedValueCodec(valueBytesCodec, globalWindowCodec);
    const writer = new Writer();
    codec.write(writer, 'x', GLOBAL_WINDOW_MAX, GLOBAL_WINDOW);
    const bytes = writer.take();
    // Beam's end of the global window in ms, sign bit flipped, big-endian.
    expect(bytes.readBigUInt64BE(0) ^ (1n << 63n)).toBe(9223371950454775n);
    expect(codec.read(new Reader(bytes))).toEqual({ value: 'x', timestamp: GLOBAL_WINDOW_MAX, windows: [GLOBAL_WINDOW] });
  });

  test('an element cut at a chunk boundary asks for more data instead of decoding garbage', () => {
    const writer = new Writer();
    kvIterable.write(writer, { key: 'k', value: ['a'.repeat(1000)] }, 0, { start: 0, end: 1000 });
    const bytes = writer.take();
    expect(() => kvIterable.read(new Reader(bytes.subarray(0, bytes.length - 10)))).toThrow(NeedMoreData);
  });
});

describe('kvCodec', () => {
  const codec = kvCodec(keyBytesCodec, valueBytesCodec);

  it('writes a key-value pair that reads back', () => {
    const writer = new Writer();
    codec.write(writer, { key: 'k', value: { n: 1 } });
    expect(codec.read(new Reader(writer.take()))).toEqual({ key: 'k', value: { n: 1 } });
  });

  it.each([['a line of text'], [42], [null], [{ user: 'x' }]])('refuses %j, which is not a key-value pair, with what to do', (element) => {
    expect(() => codec.write(new Writer(), element)).toThrow(/only write key-value pairs.*map it to a \{ key, value \} pair/);
  });
});
