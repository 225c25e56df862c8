/** Needs Beam's model protos (fetched by runners/portable/scripts/fetch-beam.sh), so it runs in the portable suite. */
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS, loadBeamProtos } from '../../runners/portable/beam-protos.js';
import { DataChannel, OUTBOUND_STALL_MS } from '../../runners/portable/harness/data-channel.js';

interface Received {
  data?: { instruction_id: string; transform_id: string; data: Buffer; is_last: boolean }[];
}

/**
 * A runner's data service that reads nothing until `resume` (as Flink's batch runner, which takes a bundle's
 * output only after the bundle's response); then collects every data entry.
 */
async function stalledDataService(): Promise<{ url: string; resume: () => void; received: () => Received['data']; stop: () => void }> {
  const protos = loadBeamProtos();
  const entries: NonNullable<Received['data']> = [];
  const streams: grpc.ServerDuplexStream<Received, unknown>[] = [];
  const server = new grpc.Server(GRPC_OPTIONS);
  server.addService(protos.service('fn_execution.v1.BeamFnData'), {
    Data(stream: grpc.ServerDuplexStream<Received, unknown>) {
      streams.push(stream);
      stream.pause();
      stream.on('data', (message: Received) => entries.push(...(message.data ?? [])));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    url: `127.0.0.1:${port}`,
    resume: () => {
      for (const stream of streams) stream.resume();
    },
    received: () => entries,
    stop: () => server.forceShutdown(),
  };
}

describe('the harness data channel', () => {
  it('stops waiting for a runner that reads nothing until the bundle ends, and delivers everything once it reads', async () => {
    const service = await stalledDataService();
    const channel = new DataChannel(service.url, 'worker-1', loadBeamProtos());
    try {
      const chunk = Buffer.alloc(64 * 1024, 7);
      let sent = 0;
      let pushedBack: Promise<void> | undefined;
      // Until gRPC's buffers and the HTTP/2 window fill, writes do not push back.
      while (pushedBack === undefined && sent < 2000) {
        pushedBack = channel.send('b1', 'out', chunk, false);
        sent++;
      }
      expect(pushedBack).toBeDefined();
      const started = Date.now();
      await pushedBack;
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(OUTBOUND_STALL_MS - 50);
      expect(channel.stalls).toBe(1);
      expect(channel.describe()).toMatch(/the runner is not reading them/);
      // The rest of the bundle's output does not wait (gRPC buffers it) until the runner reads again.
      for (let i = 0; i < 50; i++, sent++) expect(channel.send('b1', 'out', chunk, false)).toBeUndefined();
      expect(channel.send('b1', 'out', Buffer.from('end'), true)).toBeUndefined();
      sent++;

      service.resume();
      const deadline = Date.now() + 30_000;
      while ((service.received()?.length ?? 0) < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const received = service.received() ?? [];
      expect(received).toHaveLength(sent);
      expect(received.at(-1)).toMatchObject({ instruction_id: 'b1', transform_id: 'out', is_last: true });
      expect(received.at(-1)!.data.toString()).toBe('end');
      expect(received.slice(0, -1).every((entry) => entry.data.length === chunk.length && !entry.is_last)).toBe(true);
    } finally {
      channel.close();
      service.stop();
    }
  }, 60_000);
});
