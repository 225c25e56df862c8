import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvelopeInfo } from '../../formats/types.js';
import { cloudWatchEnvelopeFramer, type CarriedRecords } from './cloudwatch-envelope-framer.js';
import type { FramerOptions } from './framer.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'cloudwatch');

interface Framed {
  /** [record number, text, log group, log stream, index in logEvents] */
  readonly records: Array<[number, string, string, string, number]>;
  readonly invalid: Array<[number, string]>;
  /** The raw text of each invalid entry, in order. */
  readonly raws: string[];
  readonly skipped: number[];
  readonly framed: number;
}

function frame(bytes: Buffer, cuts: readonly number[] = [], carried: CarriedRecords = 'line', options?: FramerOptions): Framed {
  const records: Framed['records'] = [];
  const invalid: Framed['invalid'] = [];
  const raws: string[] = [];
  const skipped: number[] = [];
  let envelope: EnvelopeInfo | undefined;
  const framer = cloudWatchEnvelopeFramer(
    {
      record: (text, n) => records.push([n, text, envelope!.logGroup, envelope!.logStream, n - envelope!.firstRecord]),
      invalid: (n, reason, raw) => {
        invalid.push([n, reason]);
        raws.push(raw);
      },
      envelope: (info) => {
        envelope = info;
      },
      skipped: (n) => skipped.push(n),
    },
    carried,
    options,
  );
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    framer.push(bytes.subarray(start, cut));
    start = cut;
  }
  framer.push(bytes.subarray(start));
  framer.end();
  return { records, invalid, raws, skipped, framed: framer.recordsFramed };
}

const data = (group: string, stream: string, messages: readonly string[]): Record<string, unknown> => ({
  messageType: 'DATA_MESSAGE',
  owner: '123456789012',
  logGroup: group,
  logStream: stream,
  subscriptionFilters: ['to-firehose'],
  logEvents: messages.map((message, i) => ({ id: String(1000 + i), timestamp: 1717200000000 + i, message })),
});
const control = {
  messageType: 'CONTROL_MESSAGE',
  owner: 'CloudwatchLogs',
  logGroup: '',
  logStream: '',
  subscriptionFilters: [],
  logEvents: [{ id: '', timestamp: 1717200000000, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }],
};

describe('cloudWatchEnvelopeFramer', () => {
  it('reads the AWS documentation example (pretty-printed, owner first, messageType after the stream) and Firehose concatenation', () => {
    const framed = frame(readFileSync(join(fixtures, 'aws-cloudtrail-example.json')), [], 'json');
    expect(framed.invalid).toEqual([]);
    expect(framed.records.map(([n, text, group, stream, index]) => [n, JSON.parse(text).eventName, group, stream, index])).toEqual([
      [1, 'DescribeTrails', 'CloudTrail/logs', '111111111111_CloudTrail/logs_us-east-1', 0],
      [2, 'ConsoleLogin', 'CloudTrail/logs', '111111111111_CloudTrail/logs_us-east-1', 1],
      [3, 'RunInstances', 'CloudTrail/logs', '111111111111_CloudTrail/logs_us-east-2', 0],
    ]);
    expect(framed.framed).toBe(3);
  });

  it('skips CONTROL_MESSAGE envelopes (one skipped record each) and numbers events across envelopes without separators', () => {
    const text = [control, data('g1', 's1', ['a 1', 'b 2']), data('g2', 's2', ['c 3'])].map((e) => JSON.stringify(e)).join('');
    const framed = frame(Buffer.from(text));
    expect(framed.skipped).toEqual([1]);
    expect(framed.records).toEqual([
      [2, 'a 1', 'g1', 's1', 0],
      [3, 'b 2', 'g1', 's1', 1],
      [4, 'c 3', 'g2', 's2', 0],
    ]);
    expect(framed.framed).toBe(4);
  });

  it('holds events written before messageType, logGroup and logStream (sorted keys) and emits them in order', () => {
    const envelope = data('grp', 'str', ['x 1', 'y 2']);
    const sortedText = `{"logEvents":${JSON.stringify(envelope['logEvents'])},"logGroup":"grp","logStream":"str","messageType":"DATA_MESSAGE","owner":"1"}`;
    expect(frame(Buffer.from(sortedText)).records).toEqual([
      [1, 'x 1', 'grp', 'str', 0],
      [2, 'y 2', 'grp', 'str', 1],
    ]);
  });

  it('rejects a malformed envelope with its ordinal and byte offset, and a malformed event with its index, and goes on', () => {
    const first = JSON.stringify(data('g', 's', ['ok 1']));
    const noType = JSON.stringify({ ...data('g', 's', ['lost']), messageType: undefined });
    const badEvent = `{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s2","logEvents":[{"id":"1","message":"ok 2"},{"id":"2","message":17},{"id":"3","message":"ok 3"}]}`;
    const text = `${first}\n${noType}  ${badEvent}`;
    const framed = frame(Buffer.from(text));
    expect(framed.records.map(([n, message, , stream, index]) => [n, message, stream, index])).toEqual([
      [1, 'ok 1', 's', 0],
      [3, 'ok 2', 's2', 0],
      [5, 'ok 3', 's2', 2],
    ]);
    expect(framed.invalid).toEqual([
      [
        2,
        `envelope 2 (byte ${first.length + 1}) has no "messageType" (DATA_MESSAGE or CONTROL_MESSAGE): not a CloudWatch Logs subscription envelope`,
      ],
      [4, `envelope 3 (byte ${first.length + 1 + noType.length + 2}), logEvents[1] has no "message" string`],
    ]);
    expect(framed.framed).toBe(5);
  });

  it('reports bytes between envelopes that are no envelope, a data envelope without logStream, and a truncated file', () => {
    const good = JSON.stringify(data('g', 's', ['a 1']));
    const noStream = JSON.stringify({ ...data('g', 's', ['b 2']), logStream: undefined });
    const text = `${good}garbage here\n${noStream}${good.slice(0, good.indexOf('a 1'))}`;
    const framed = frame(Buffer.from(text));
    expect(framed.records.map(([n, message]) => [n, message])).toEqual([[1, 'a 1']]);
    expect(framed.invalid).toEqual([
      [
        2,
        `bytes ${good.length}-${good.length + 12} are not a CloudWatch Logs envelope (expected "{" at byte ${good.length}, found "g"); reading resumes at the next envelope`,
      ],
      [3, `envelope 2 (byte ${good.length + 13}) has no "logStream"`],
      [4, `the file ends inside envelope 3 (byte ${good.length + 13 + noStream.length}), logEvents[0] (truncated file?)`],
    ]);
  });

  it('rejects an event longer than the limit, and for CloudTrail a message nesting deeper than the limit, keeping the rest', () => {
    const long = 'x'.repeat(300);
    const framed = frame(Buffer.from(JSON.stringify(data('g', 's', ['short', long, 'tail']))), [40, 200], 'line', { maxRecordBytes: 200 });
    expect(framed.records.map(([, message, , , index]) => [message, index])).toEqual([
      ['short', 0],
      ['tail', 2],
    ]);
    expect(framed.invalid).toEqual([[2, expect.stringMatching(/^envelope 1 \(byte 0\), logEvents\[1\] is longer than 200 bytes/)]]);
    // The same when the whole event is in one chunk.
    const whole = frame(Buffer.from(JSON.stringify(data('g', 's', ['short', long, 'tail']))), [], 'line', { maxRecordBytes: 200 });
    expect([whole.records, whole.invalid]).toEqual([framed.records, framed.invalid]);
    const deep = `${'['.repeat(6)}${']'.repeat(6)}`;
    const json = frame(Buffer.from(JSON.stringify(data('g', 's', ['{"eventTime":"x"}', `{"a":${deep}}`]))), [], 'json', {
      maxNestingDepth: 5,
    });
    expect(json.records.map(([, message]) => message)).toEqual(['{"eventTime":"x"}']);
    expect(json.invalid).toEqual([
      [2, expect.stringMatching(/logEvents\[1\]: the message nests objects and arrays 7 levels deep, more than 5/)],
    ]);
  });

  it('reports a logEvents element nesting too deep with the same raw text whatever the chunk boundaries', () => {
    const deepEvent = `{"id":"1","timestamp":1717200000001,"message":"m","extra":${'['.repeat(8)}${']'.repeat(8)}}`;
    const envelope = JSON.stringify(data('g', 's', ['before']));
    const bytes = Buffer.from(envelope.replace(/\]\}$/, `,${deepEvent},{"id":"2","timestamp":1717200000002,"message":"after"}]}`));
    const options = { maxNestingDepth: 5 };
    const whole = frame(bytes, [], 'line', options);
    expect(whole.records.map(([, message]) => message)).toEqual(['before', 'after']);
    expect(whole.invalid).toEqual([[2, expect.stringMatching(/logEvents\[1\] nests objects and arrays more than 5 levels deep/)]]);
    expect(whole.raws).toEqual([deepEvent]);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), (rawCuts) => {
        const framed = frame(
          bytes,
          rawCuts.map((cut) => cut % (bytes.length + 1)),
          'line',
          options,
        );
        expect([framed.records, framed.invalid, framed.raws]).toEqual([whole.records, whole.invalid, whole.raws]);
      }),
      { numRuns: 300 },
    );
  });

  it('strips the newline a line message may end with', () => {
    expect(frame(Buffer.from(JSON.stringify(data('g', 's', ['a b\n', 'c d\r\n'])))).records.map(([, text]) => text)).toEqual([
      'a b',
      'c d',
    ]);
  });

  it('gives the same records for any split of envelopes across chunk boundaries, with or without whitespace between them', () => {
    const tricky = fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '😀', '\t', '\n') });
    const envelope = fc.oneof(
      { weight: 1, arbitrary: fc.constant<Record<string, unknown>>(control) },
      {
        weight: 5,
        arbitrary: fc
          .tuple(
            tricky,
            tricky,
            fc.array(
              tricky.filter((m) => !m.endsWith('\n')),
              { maxLength: 6 },
            ),
          )
          .map(([group, stream, messages]) => data(group, stream, messages)),
      },
    );
    fc.assert(
      fc.property(
        fc.array(envelope, { maxLength: 6 }),
        fc.constantFrom('', '\n', ' \r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 16 }),
        (envelopes, separator, pretty, rawCuts) => {
          const text = envelopes.map((e) => (pretty ? JSON.stringify(e, null, 2) : JSON.stringify(e))).join(separator);
          const bytes = Buffer.from(text);
          const expected: Array<[number, string, string, string, number]> = [];
          let n = 0;
          for (const e of envelopes) {
            if (e['messageType'] === 'CONTROL_MESSAGE') {
              n++;
              continue;
            }
            for (const [index, event] of (e['logEvents'] as Array<{ message: string }>).entries())
              expected.push([++n, event.message, e['logGroup'] as string, e['logStream'] as string, index]);
          }
          const cuts = rawCuts.map((cut) => cut % (bytes.length + 1));
          const framed = frame(bytes, cuts);
          expect(framed.invalid).toEqual([]);
          expect(framed.records).toEqual(expected);
          expect(framed.framed).toBe(n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
