/**
 * @module portable/harness/bundle-processor
 * Runs bundles of one ProcessBundleDescriptor through the operators `DescriptorWiring` built for it: data
 * sources feed elements in arrival order, operators run fused, data sinks send encoded output in bounded
 * chunks and close with `is_last`. Every collection's fanout counts its elements, and the processor reports
 * them per bundle as step counters. A processor runs one bundle at a time and is reused for later bundles of
 * its descriptor.
 */
import type { BeamProtos } from '../beam-protos.js';
import { BYTES_READ, producedName, receivedName, SPLITS_READ, type StepCounter } from '../step-counters.js';
import { NeedMoreData, Reader } from '../wire-format.js';
import type { BundleContext } from './bundle-operator.js';
import type { DataChannel } from './data-channel.js';
import { DataSink } from './data-sink.js';
import { type BundleDescriptor, type DataSource, DescriptorWiring } from './descriptor-wiring.js';

export type { BundleDescriptor } from './descriptor-wiring.js';

export class BundleProcessor {
  /** What the running bundle is doing (for the stall watchdog). */
  private phase = 'idle';

  private constructor(
    readonly descriptor: BundleDescriptor,
    private readonly wiring: DescriptorWiring,
    private readonly channelFor: (url: string) => DataChannel,
    private readonly workerId: string,
    private readonly harnessId: string,
  ) {}

  static async create(
    descriptor: BundleDescriptor,
    protos: BeamProtos,
    channelFor: (url: string) => DataChannel,
    workerId: string,
    harnessId: string,
  ): Promise<BundleProcessor> {
    const wiring = await DescriptorWiring.build(descriptor, protos, channelFor);
    for (const parDo of wiring.parDos) await parDo.setup();
    return new BundleProcessor(descriptor, wiring, channelFor, workerId, harnessId);
  }

  /** The runs whose steps this processor executes. */
  get runIds(): ReadonlySet<string> {
    return this.wiring.runIds;
  }

  /** Runs one bundle to completion. */
  async process(instructionId: string, signal: AbortSignal): Promise<void> {
    const wiring = this.wiring;
    const bundle: BundleContext = {
      instructionId,
      workerId: this.workerId,
      harnessId: this.harnessId,
      signal,
      drain: () => wiring.drain(),
    };
    for (const fanout of wiring.fanouts.values()) fanout.count = 0;
    try {
      this.phase = 'starting';
      for (const operator of wiring.ordered) operator.startBundle?.(bundle);
      for (const source of wiring.sources) {
        this.phase = `reading input ${source.transformId}`;
        await this.feed(source, instructionId);
      }
      this.phase = 'finishing (operators flush, writers close)';
      for (const operator of wiring.ordered) {
        if (operator instanceof DataSink) continue;
        const result = operator.finishBundle?.();
        if (result !== undefined) await result;
      }
      this.phase = 'ending outputs';
      for (const sink of wiring.sinks) await sink.close();
    } catch (error) {
      for (const writer of wiring.writers) await writer.abort();
      throw error;
    } finally {
      this.phase = 'idle';
      for (const source of wiring.sources) this.channelFor(source.url).release(instructionId);
    }
  }

  /** A measure that changes whenever the running bundle makes progress: elements, bytes, data messages in and out. */
  progress(instructionId: string): string {
    const parts = this.counters().map((counter) => counter.value);
    for (const source of this.wiring.sources) parts.push(this.channelFor(source.url).queue(instructionId, source.transformId).received);
    for (const sink of this.wiring.sinks) parts.push(sink.channel.sent);
    return `${this.phase}|${parts.join(',')}`;
  }

  /**
   * What the running bundle waits for: its phase, each input's state, each output channel's backlog; and whether
   * it only waits for the runner's next input (the runner's own schedule, e.g. Flink starting a bundle before the
   * stage upstream of it has finished), rather than for something on the harness's side.
   */
  waitState(instructionId: string): { readonly description: string; readonly onRunnerInput: boolean } {
    const lines = [`phase: ${this.phase}`];
    let inputPending = false;
    for (const source of this.wiring.sources) {
      const queue = this.channelFor(source.url).queue(instructionId, source.transformId);
      if (this.phase === `reading input ${source.transformId}` && !queue.finished) inputPending = true;
      lines.push(
        `input ${source.transformId}: ${queue.received} data message(s) received, ${queue.finished ? 'is_last received' : 'no is_last yet (waiting for the runner)'}`,
      );
    }
    const channels = new Set(this.wiring.sinks.map((sink) => sink.channel));
    for (const channel of channels) lines.push(channel.describe());
    const writeWaiting = [...channels].some((channel) => channel.writeWaiting);
    return { description: lines.join('; '), onRunnerInput: inputPending && !writeWaiting };
  }

  /** Decodes one data source's chunks and pushes each element (once per window) into its consumers. */
  private async feed(source: DataSource, instructionId: string): Promise<void> {
    const queue = this.channelFor(source.url).queue(instructionId, source.transformId);
    const fanout = source.fanout;
    let leftover: Buffer | undefined;
    for (let chunk = await queue.next(); chunk !== undefined; chunk = await queue.next()) {
      const buffer: Buffer = leftover === undefined ? chunk : Buffer.concat([leftover, chunk]);
      leftover = undefined;
      const reader = new Reader(buffer);
      while (!reader.done) {
        const start = reader.offset;
        let element: ReturnType<DataSource['codec']['read']>;
        try {
          element = source.codec.read(reader);
        } catch (error) {
          if (!(error instanceof NeedMoreData)) throw error;
          leftover = buffer.subarray(start);
          break;
        }
        for (const window of element.windows) {
          fanout.count++;
          const targets = fanout.targets;
          // Only the first operator after a data source may return a promise (reads, listing splits, commits).
          for (let i = 0; i < targets.length; i++) {
            const result: unknown = targets[i]!.receive(element.value, element.timestamp, window);
            if (result instanceof Promise) await result;
          }
        }
      }
      const pending = this.wiring.drain();
      if (pending !== undefined) await pending;
    }
    if (leftover !== undefined)
      throw new Error(`the runner's data for ${source.transformId} ended in the middle of an element (${leftover.length} bytes left)`);
  }

  /** The step counters of the last (or running) bundle: elements per collection, bytes and splits read. */
  counters(): StepCounter[] {
    const counters: StepCounter[] = [];
    for (const [collection, producer] of this.wiring.producers) {
      const count = this.wiring.fanouts.get(collection)!.count;
      const name = producer.received
        ? receivedName(this.wiring.collectionName(collection))
        : producedName(this.wiring.collectionName(collection));
      counters.push({ ptransform: producer.transformId, name, value: count });
    }
    for (const { transformId, operator } of this.wiring.reads) {
      counters.push({ ptransform: transformId, name: BYTES_READ, value: operator.bytesRead });
      counters.push({ ptransform: transformId, name: SPLITS_READ, value: operator.splitsRead });
    }
    return counters;
  }

  async teardown(): Promise<void> {
    for (const parDo of this.wiring.parDos) await parDo.teardown();
  }
}
