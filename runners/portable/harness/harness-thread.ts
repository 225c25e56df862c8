/**
 * @module portable/harness/harness-thread
 * A worker thread of a worker pool: hosts the SDK harnesses the pool places on it, each with its own control
 * stream, and tells the pool when one finishes a bundle or ends. Threads give a pool one CPU per thread.
 */
import { parentPort } from 'node:worker_threads';
import { loadBeamProtos } from '../beam-protos.js';
import type { FromHarnessThread, ToHarnessThread } from './harness-thread-protocol.js';
import { SdkHarness } from './sdk-harness.js';

const port = parentPort!;
const protos = loadBeamProtos();
const harnesses = new Map<string, SdkHarness>();
const abandoned = new Set<string>();
const send = (message: FromHarnessThread): void => port.postMessage(message);

/** Forgets a harness that ended (its control stream closed, or the pool stopped it); says so once. */
function ended(harnessId: string): void {
  if (harnesses.delete(harnessId)) send({ type: 'done', harnessId });
}

port.on('message', (message: ToHarnessThread) => {
  switch (message.type) {
    case 'start': {
      const { harnessId } = message;
      try {
        const harness = new SdkHarness(
          {
            workerId: message.workerId,
            controlUrl: message.controlUrl,
            ...(message.loggingUrl === undefined ? {} : { loggingUrl: message.loggingUrl }),
            harnessId,
            onBundle: () => send({ type: 'bundle', harnessId }),
            onLive: (report) => send({ type: 'live', report }),
          },
          protos,
        );
        for (const runId of abandoned) harness.abandon(runId);
        harnesses.set(harnessId, harness);
        void harness.done.then(() => ended(harnessId));
        send({ type: 'started', harnessId });
      } catch (error) {
        send({ type: 'startFailed', harnessId, error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    case 'stop':
      harnesses.get(message.harnessId)?.close();
      ended(message.harnessId);
      return;
    case 'abandon':
      abandoned.add(message.runId);
      for (const harness of harnesses.values()) harness.abandon(message.runId);
      return;
    case 'close':
      for (const harness of harnesses.values()) harness.close();
      send({ type: 'closed' });
      port.close();
      return;
  }
});
