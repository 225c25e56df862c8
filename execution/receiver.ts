/**
 * @module execution/receiver
 * The push contract every operator implements: an element with its timestamp and window is handed to the
 * next operator by a direct call, so a fused chain of steps runs as nested calls per element.
 */
import type { Micros } from '../core/time.js';
import type { Window } from '../core/window.js';

export interface Receiver {
  receive(value: unknown, timestamp: Micros, window: Window): void;
  /**
   * Optional (experiment): a `{key, value}` element whose string key is given as its Latin-1 bytes
   * `bytes[0, length)`, for a shuffle store that holds keys as bytes.
   */
  receiveKeyedBytes?(bytes: Uint8Array, length: number, value: unknown, timestamp: Micros, window: Window): void;
}
