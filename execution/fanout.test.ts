import { describe, expect, it } from '@jest/globals';
import { tupleKey } from '../core/kv.js';
import type { Micros } from '../core/time.js';
import { TupleKeyBuilder } from '../core/tuple-key-builder.js';
import { GLOBAL_WINDOW, type Window } from '../core/window.js';
import { Fanout } from './fanout.js';
import type { Receiver } from './receiver.js';

/** A consumer that records what it is handed, by either call. */
class Recorder implements Receiver {
  readonly elements: unknown[] = [];
  readonly byteKeys: string[] = [];
  receive(value: unknown, _timestamp: Micros, _window: Window): void {
    this.elements.push(value);
  }
}

class ByteKeyRecorder extends Recorder {
  receiveKeyedBytes(bytes: Uint8Array, length: number, value: unknown): void {
    this.byteKeys.push(Buffer.from(bytes.subarray(0, length)).toString('latin1'));
    this.elements.push(value);
  }
}

const keyOf = (builder: TupleKeyBuilder, region: string): TupleKeyBuilder =>
  builder.begin().number(7).text(Buffer.from(region), 0, Buffer.byteLength(region));

describe('Fanout.receiveKeyed', () => {
  it('hands a lone byte-key consumer the bytes of an ASCII key, and counts the element', () => {
    const fanout = new Fanout();
    const consumer = new ByteKeyRecorder();
    fanout.targets = [consumer];
    fanout.receiveKeyed(keyOf(new TupleKeyBuilder(), 'eu-west-1'), { bytes: 5 }, 0, GLOBAL_WINDOW);
    expect(consumer.byteKeys).toEqual([tupleKey([7, 'eu-west-1'])]);
    expect(consumer.elements).toEqual([{ bytes: 5 }]);
    expect(fanout.count).toBe(1);
  });

  it('makes the {key, value} element for a non-ASCII key, for several consumers, and for one without byte keys', () => {
    const builder = new TupleKeyBuilder();
    const lone = new ByteKeyRecorder();
    const wide = new Fanout();
    wide.targets = [lone];
    wide.receiveKeyed(keyOf(builder, 'région'), 1, 0, GLOBAL_WINDOW);
    expect(lone.byteKeys).toEqual([]);
    expect(lone.elements).toEqual([{ key: tupleKey([7, 'région']), value: 1 }]);

    const first = new ByteKeyRecorder();
    const second = new Recorder();
    const shared = new Fanout();
    shared.targets = [first, second];
    shared.receiveKeyed(keyOf(builder, 'us-east-1'), 2, 0, GLOBAL_WINDOW);
    const element = { key: tupleKey([7, 'us-east-1']), value: 2 };
    expect(first.elements).toEqual([element]);
    expect(second.elements).toEqual([element]);
    expect(shared.count).toBe(1);

    const plain = new Recorder();
    const single = new Fanout();
    single.targets = [plain];
    single.receiveKeyed(keyOf(builder, 'us-east-1'), 2, 0, GLOBAL_WINDOW);
    expect(plain.elements).toEqual([element]);
  });
});
