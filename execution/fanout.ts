/**
 * @module execution/fanout
 * A collection at run time: counts the elements that pass and forwards each one to every consumer. The count
 * is the step's "elements out" for that output tag, on both runners (`BatchFanout` on a batch edge counts a
 * batch as its rows).
 */
import { kv } from '../core/kv.js';
import type { Micros } from '../core/time.js';
import type { TupleKeyBuilder } from '../core/tuple-key-builder.js';
import type { Window } from '../core/window.js';
import type { Receiver } from './receiver.js';

export class Fanout implements Receiver {
  count = 0;
  targets: Receiver[] = [];

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.count++;
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) targets[i]!.receive(value, timestamp, window);
  }

  /**
   * `receive(kv(keys.key(), value))`; a lone consumer that files keys as bytes (a shuffle input) gets the key's
   * bytes instead, when it is ASCII, and no string is made for it.
   */
  receiveKeyed(keys: TupleKeyBuilder, value: unknown, timestamp: Micros, window: Window): void {
    const targets = this.targets;
    const bytes = keys.asciiBytes();
    if (bytes !== undefined && targets.length === 1 && targets[0]!.receiveKeyedBytes !== undefined) {
      this.count++;
      targets[0]!.receiveKeyedBytes(bytes, keys.byteLength, value, timestamp, window);
      return;
    }
    this.receive(kv(keys.key(), value), timestamp, window);
  }
}
