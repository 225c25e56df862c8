/**
 * @module portable/harness/harness-id
 * Identities of SDK harnesses and of the files their writers stage. The engine's worker id (`1-1`) is reused by
 * every TaskManager and numbers instructions on its own, so it names nothing uniquely; a harness draws a random
 * id when it starts, and every writer of this process takes the next number of one counter, so a staged file's
 * name is unique across hosts, harnesses, threads and bundle retries.
 */
import { randomBytes } from 'node:crypto';

/** A new random harness id (12 hex digits, 48 bits). */
export function newHarnessId(): string {
  return randomBytes(6).toString('hex');
}

let writers = 0;

/** The writer identity of a bundle's sink writer: `<harness id>-<instruction id>-<number in this thread>`. */
export function writerName(harnessId: string, instructionId: string): string {
  return `${harnessId}-${instructionId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${writers++}`;
}
