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
   * `receive({key, value})` for a string key given as its Latin-1 bytes `bytes[0, length)` (read during the
   * call, not kept): implemented by shuffle inputs, which file keys as bytes without making the string.
   */
  receiveKeyedBytes?(bytes: Uint8Array, length: number, value: unknown, timestamp: Micros, window: Window): void;
}
