/**
 * @module portable/harness/sink-operators
 * A write step in the harness: `Write` hands elements to the execution layer's write operator with one sink
 * writer per bundle and emits the writer's `close()` result; `Kick` emits a marker so the commit runs even
 * when no bundle wrote; `Commit` commits the sink once with every writer's result.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KV } from '../../../core/kv.js';
import type { Sink, SinkContext } from '../../../core/sink.js';
import type { Micros } from '../../../core/time.js';
import { GLOBAL_WINDOW, type Window } from '../../../core/window.js';
import type { Fanout } from '../../../execution/fanout.js';
import { WriteOperator } from '../../../execution/write-operator.js';
import type { BundleContext, BundleOperator } from './bundle-operator.js';

/** The name of a bundle's staged writer: unique per harness, bundle and write step instance. */
export function bundleWriterName(workerId: string, instructionId: string, sequence: number): string {
  return `${workerId}-${instructionId}-${sequence}`;
}

/** A sink writer per bundle; emits `{key: null, value: close() result}` at the end of the bundle. */
export class BundleWriteOperator implements BundleOperator {
  readonly write: WriteOperator;
  private sequence = 0;

  constructor(
    private readonly sink: Sink<unknown>,
    private readonly context: SinkContext,
    private readonly next: Fanout,
  ) {
    this.write = new WriteOperator(context.stepLabel);
  }

  startBundle(bundle: BundleContext): void {
    this.write.open(this.sink.createWriter(this.context, bundleWriterName(bundle.workerId, bundle.instructionId, this.sequence++)));
  }

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.write.receive(value, timestamp, window);
  }

  async finishBundle(): Promise<void> {
    const result = await this.write.close();
    this.next.receive({ key: null, value: result }, GLOBAL_WINDOW.end - 1, GLOBAL_WINDOW);
  }

  abort(): Promise<void> {
    return this.write.abort();
  }
}

/** Emits the marker that makes a commit run even when no bundle wrote anything. */
export class KickOperator implements BundleOperator {
  constructor(private readonly next: Fanout) {}

  receive(): void {
    this.next.receive({ key: null, value: undefined }, GLOBAL_WINDOW.end - 1, GLOBAL_WINDOW);
  }
}

/** Commits a sink once with every writer's result (all gathered under one key). */
export class CommitOperator implements BundleOperator {
  constructor(
    private readonly sink: Sink<unknown>,
    private readonly context: SinkContext,
    private readonly resultsDirectory: string | undefined,
    private readonly next: Fanout,
  ) {}

  async receive(element: unknown): Promise<void> {
    const results = (element as KV<null, unknown[]>).value.filter((result) => result !== undefined);
    const summary = await this.sink.commit(results, this.context);
    if (this.resultsDirectory !== undefined) {
      await writeFile(join(this.resultsDirectory, `${encodeURIComponent(this.context.stepLabel)}.json`), JSON.stringify(summary));
    }
    this.next.receive({ key: null, value: undefined }, GLOBAL_WINDOW.end - 1, GLOBAL_WINDOW);
  }
}
