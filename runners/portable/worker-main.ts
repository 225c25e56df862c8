/**
 * @module portable/worker-main
 * Command-line entry of one SDK harness in Beam's PROCESS environment: the job server runs
 * `runners/portable/bin/logbeam-sdk-harness --id=<worker> --provision_endpoint=<host:port> [...]` (Beam's boot
 * arguments); the harness asks the provision service for its control and logging endpoints, connects, and exits
 * when the runner closes the control stream. Explicit `--control_endpoint` / `--logging_endpoint` (older
 * runners pass them) skip the provision call.
 */
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS, loadBeamProtos } from './beam-protos.js';
import { SdkHarness } from './harness/sdk-harness.js';

const flags = new Map<string, string>();
for (const arg of process.argv.slice(2)) {
  const match = /^--([^=]+)=(.*)$/.exec(arg);
  if (match) flags.set(match[1]!, match[2]!);
}
const workerId = flags.get('id') ?? flags.get('worker_id');
if (workerId === undefined) {
  process.stderr.write('logbeam-sdk-harness: missing --id=<worker id> (the job server passes it with --provision_endpoint)\n');
  process.exit(2);
}
const protos = loadBeamProtos();

async function provisionedEndpoints(url: string): Promise<{ control: string; logging?: string }> {
  const Provision = protos.client('fn_execution.v1.ProvisionService');
  const client = new Provision(url, grpc.credentials.createInsecure(), GRPC_OPTIONS);
  const metadata = new grpc.Metadata();
  metadata.set('worker_id', workerId!);
  try {
    const response = await new Promise<{ info?: { control_endpoint?: { url: string }; logging_endpoint?: { url: string } } }>(
      (resolve, reject) =>
        (
          client as unknown as { GetProvisionInfo(r: object, m: grpc.Metadata, cb: (e: Error | null, v: never) => void): void }
        ).GetProvisionInfo({}, metadata, (error, value) => (error ? reject(error) : resolve(value))),
    );
    const control = response.info?.control_endpoint?.url;
    if (!control) throw new Error(`the provision service at ${url} gave no control endpoint`);
    return { control, ...(response.info?.logging_endpoint?.url ? { logging: response.info.logging_endpoint.url } : {}) };
  } finally {
    client.close();
  }
}

const given = flags.get('control_endpoint');
const provision = flags.get('provision_endpoint');
if (given === undefined && provision === undefined) {
  process.stderr.write('logbeam-sdk-harness: give --provision_endpoint=<host:port> or --control_endpoint=<host:port>\n');
  process.exit(2);
}
const endpoints = given !== undefined ? { control: given, logging: flags.get('logging_endpoint') } : await provisionedEndpoints(provision!);
const harness = new SdkHarness(
  { workerId, controlUrl: endpoints.control, ...(endpoints.logging ? { loggingUrl: endpoints.logging } : {}) },
  protos,
);
process.on('SIGTERM', () => {
  harness.close();
  process.exit(0);
});
await harness.done;
process.exit(0);
