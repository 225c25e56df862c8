/**
 * @module portable/harness/log-channel
 * The harness side of Beam's Fn API logging service: a `BeamFnLogging.Logging` stream on which the harness
 * reports what happens to it (bundles started and failed, the control stream closing), so the runner's job log
 * shows the harness's side of a failure. Entries are batched per event loop turn. Logging never fails a
 * bundle: if the stream breaks, later entries go to stderr instead.
 */
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS, type BeamProtos } from '../beam-protos.js';

export type LogSeverity = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

interface LogEntry {
  severity: LogSeverity;
  timestamp: { seconds: number; nanos: number };
  message: string;
  trace: string;
  instruction_id: string;
  log_location: string;
  thread: string;
}

export class LogChannel {
  private readonly client: grpc.Client;
  private readonly stream: grpc.ClientDuplexStream<{ log_entries: LogEntry[] }, unknown>;
  private pending: LogEntry[] = [];
  private broken = false;

  constructor(url: string, workerId: string, protos: BeamProtos) {
    const Logging = protos.client('fn_execution.v1.BeamFnLogging');
    this.client = new Logging(url, grpc.credentials.createInsecure(), GRPC_OPTIONS);
    const metadata = new grpc.Metadata();
    metadata.set('worker_id', workerId);
    this.stream = (
      this.client as unknown as { Logging(m: grpc.Metadata): grpc.ClientDuplexStream<{ log_entries: LogEntry[] }, unknown> }
    ).Logging(metadata);
    this.stream.on('data', () => undefined);
    this.stream.on('error', () => {
      this.broken = true;
    });
  }

  /** Queues one entry; entries queued in the same turn go out as one list. */
  log(severity: LogSeverity, message: string, details: { instructionId?: string; trace?: string } = {}): void {
    const now = Date.now();
    const entry: LogEntry = {
      severity,
      timestamp: { seconds: Math.floor(now / 1000), nanos: (now % 1000) * 1_000_000 },
      message,
      trace: details.trace ?? '',
      instruction_id: details.instructionId ?? '',
      log_location: 'logbeam.sdk-harness',
      thread: String(process.pid),
    };
    if (this.broken) {
      process.stderr.write(`[logbeam harness ${severity}] ${message}\n`);
      return;
    }
    if (this.pending.push(entry) === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.pending.length === 0 || this.broken) return;
    const entries = this.pending;
    this.pending = [];
    this.stream.write({ log_entries: entries });
  }

  close(): void {
    this.flush();
    this.stream.end();
    this.client.close();
  }
}
