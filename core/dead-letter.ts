/**
 * @module dead-letter
 * The record of an input that could not be processed: where it came from, why, and the raw text, so nothing
 * is lost and a fixed pipeline can replay it.
 */

/** One rejected input. */
export interface DeadLetter {
  /** The step that rejected it. */
  readonly step: string;
  /** The input file or object URI, when known. */
  readonly source: string | null;
  /** 1-based line (or record) number in `source`, when known. */
  readonly line: number | null;
  /** Why it was rejected, naming the field and value where possible. */
  readonly reason: string;
  /** The raw input text (or the element as JSON). */
  readonly raw: string;
}

/** The tag of dead-letter outputs. */
export const DEAD_LETTER_TAG = 'deadLetter';
