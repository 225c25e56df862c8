import { describe, expect, it } from '@jest/globals';
import type { Framing } from '../../formats/types.js';
import { createFramer } from './create-framer.js';
import { startsLikeCloudWatchEnvelope } from './envelope-detect.js';
import type { FramerOptions } from './framer.js';

/** Frames `text` pushed `step` bytes at a time; what the receiver saw. */
function frame(framing: Framing, text: string, step: number, options?: FramerOptions) {
  const seen: string[] = [];
  const framer = createFramer(
    framing,
    {
      record: (record, n) => seen.push(`${n} ${record}`),
      invalid: (n, reason) => seen.push(`${n} invalid: ${reason}`),
      skipped: (n) => seen.push(`${n} skipped`),
    },
    options,
  );
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += step) framer.push(bytes.subarray(i, i + step));
  framer.end();
  return { seen, framed: framer.recordsFramed };
}

const ENVELOPE =
  '{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"g","logStream":"s","subscriptionFilters":[],"logEvents":[{"id":"1","timestamp":0,"message":"a b"},{"id":"2","timestamp":0,"message":"c d"}]}';

describe('startsLikeCloudWatchEnvelope', () => {
  it('answers from the first member name, and asks for more bytes until it has one', () => {
    expect(startsLikeCloudWatchEnvelope(Buffer.from(' \n{ "owner":'))).toBe(true);
    expect(startsLikeCloudWatchEnvelope(Buffer.from('\uFEFF{"messageType"'))).toBe(true);
    expect(startsLikeCloudWatchEnvelope(Buffer.from('{"Records":['))).toBe(false);
    expect(startsLikeCloudWatchEnvelope(Buffer.from('{"timestamp":1,"action":"ALLOW"}'))).toBe(false);
    expect(startsLikeCloudWatchEnvelope(Buffer.from('2 123456789012 eni-1 '))).toBe(false);
    expect(startsLikeCloudWatchEnvelope(Buffer.from('  {"messa'))).toBeUndefined();
    expect(startsLikeCloudWatchEnvelope(Buffer.from(''))).toBeUndefined();
  });
});

describe('createFramer with envelope detection', () => {
  it('unwraps envelopes found from content, whatever the chunk size, and frames other files as before', () => {
    for (const step of [1, 7, 4096]) {
      expect(frame('lines', ENVELOPE, step)).toEqual({ seen: ['1 a b', '2 c d'], framed: 2 });
      expect(frame('json-records', ENVELOPE, step).seen).toEqual(['1 a b', '2 c d']);
      expect(frame('lines', 'x y\nz\n', step)).toEqual({ seen: ['1 x y', '2 z'], framed: 2 });
      expect(frame('json-records', '{"Records":[{"a":1}]}', step).seen).toEqual(['1 {"a":1}']);
    }
  });

  it('with envelope: cloudwatch, reports a file that is not envelopes as one invalid record and reads nothing of it', () => {
    expect(frame('lines', ENVELOPE, 5, { envelope: 'cloudwatch' }).seen).toEqual(['1 a b', '2 c d']);
    const plain = frame('lines', '2 123456789012 eni-1 10.0.0.1\nmore\n', 5, { envelope: 'cloudwatch' });
    expect(plain).toEqual({
      seen: [
        '1 invalid: not a CloudWatch Logs subscription delivery: it starts with "2 123456789012 eni-1 10.0.0.1\\nmore\\n", where envelopes start with {"messageType":...; read it without --envelope cloudwatch (envelope: cloudwatch)',
      ],
      framed: 1,
    });
    expect(frame('lines', ' \n', 1, { envelope: 'cloudwatch' })).toEqual({ seen: [], framed: 0 });
    expect(frame('lines', '{"mess', 2, { envelope: 'cloudwatch' }).seen).toEqual([
      '1 invalid: the file ends inside envelope 1 (byte 0) (truncated file?)',
    ]);
  });

  it('refuses the envelope option for CSV framing', () => {
    expect(() => frame('csv-records', 'a,b\n', 1, { envelope: 'cloudwatch' })).toThrow(/not CSV records/);
  });
});
