/**
 * @module sinks/dead-letters
 * `writeDeadLetters`: rejected inputs (DeadLetter records) as JSON lines at a location of their own, with the
 * same staged commit as data, so a failed run leaves no dead letters behind and a replay sees each once.
 */
import type { DeadLetter } from '../../core/dead-letter.js';
import type { PCollection } from '../../core/pcollection.js';
import type { PTransform } from '../../core/ptransform.js';
import { writeJsonLines, type JsonLinesOptions } from './json-lines/index.js';

/** Options besides the location; by default JSON lines, not partitioned, append. */
export type DeadLetterOptions = Omit<JsonLinesOptions, 'output' | 'partitionBy' | 'schema'>;

/**
 * @example parsed.deadLetter.apply(writeDeadLetters('out/_dead_letter', { s3: options.s3 }))
 * // out/_dead_letter/part-<runId>-<writer>-0.jsonl: {"step":"ParseAlb","source":"...","line":7,"reason":"...","raw":"..."}
 */
export function writeDeadLetters(uri: string, options: DeadLetterOptions = {}): PTransform<PCollection<DeadLetter>, PCollection<never>> {
  return writeJsonLines<DeadLetter>({ ...options, output: uri, label: options.label ?? 'WriteDeadLetters' });
}
