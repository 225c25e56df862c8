/**
 * @module sources/parse-outcomes
 * The non-record elements a log source emits besides records (or record batches): dead letters made while
 * framing or parsing, and the marker counted once per skipped record. `readLogs`'s Route step separates them.
 */
import type { DeadLetter } from '../../core/dead-letter.js';

/** A dead-letter entry made by the source; a class so the Route step recognises it with one `instanceof`. */
export class SourceDeadLetter implements DeadLetter {
  constructor(
    readonly step: string,
    readonly source: string | null,
    readonly line: number | null,
    readonly reason: string,
    readonly raw: string,
  ) {}
}

/** The marker emitted once per skipped record (header, blank line, outside since/until). */
export const SKIPPED: { readonly skipped: true } = Object.freeze({ skipped: true });
