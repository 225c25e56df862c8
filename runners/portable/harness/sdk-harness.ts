/**
 * @module portable/harness/sdk-harness
 * One logbeam SDK harness: connects the Fn API control stream to the runner, fetches process bundle
 * descriptors, runs bundles (several at once, one processor each), and answers the other instructions:
 * progress and completion with the bundle's step counters as monitoring infos, metadata for their short
 * ids, split requests declined (an empty split response), finalization trivially.
 * Errors of a bundle go back in the instruction's `error` field, which fails the job with that message.
 * With `onLive`, the harness also pushes the counters of its running bundles, per run, every second and the
 * moment a bundle ends (before it answers the runner), for live progress on engines that update their metrics
 * only when a bundle ends (see live-counters).
 * A watchdog (stall-watch) logs, as a warning, any bundle that makes no progress for a long time and what it
 * waits for.
 */
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS, type BeamProtos } from '../beam-protos.js';
import { type LiveReport, sumCounters } from '../live-counters.js';
import type { StepCounter } from '../step-counters.js';
import { BundleProcessor, type BundleDescriptor } from './bundle-processor.js';
import { DataChannel } from './data-channel.js';
import { newHarnessId } from './harness-id.js';
import { LogChannel } from './log-channel.js';
import { describeShortIds, monitoringPayload } from './monitoring-short-ids.js';
import { StallWatch, stallWarnMs } from './stall-watch.js';

interface InstructionRequest {
  instruction_id: string;
  request?: string;
  register?: { process_bundle_descriptor: BundleDescriptor[] };
  process_bundle?: { process_bundle_descriptor_id: string };
  process_bundle_progress?: { instruction_id: string };
  monitoring_infos?: { monitoring_info_id: string[] };
}

type Stream = grpc.ClientDuplexStream<Record<string, unknown>, InstructionRequest>;

export interface HarnessEndpoints {
  /** The engine's id for this worker (sent back as `worker_id` metadata; engines reuse it, see harness-id). */
  readonly workerId: string;
  readonly controlUrl: string;
  readonly loggingUrl?: string;
  /** This harness's unique id (default: a new random one). */
  readonly harnessId?: string;
  /** Called after each bundle this harness processed successfully. */
  readonly onBundle?: () => void;
  /** Receives this harness's in-flight counters per run (see live-counters); default: not reported. */
  readonly onLive?: (report: LiveReport) => void;
}

/** How often a harness pushes the counters of its running bundles. */
const LIVE_INTERVAL_MS = 1000;

export class SdkHarness {
  private readonly controlClient: grpc.Client;
  private readonly control: Stream;
  private readonly descriptors = new Map<string, Promise<BundleDescriptor>>();
  private readonly idle = new Map<string, BundleProcessor[]>();
  private readonly channels = new Map<string, DataChannel>();
  private readonly running = new Map<string, { readonly controller: AbortController; readonly processor: BundleProcessor }>();
  /** Runs whose submitter is gone: their bundles fail (see submitter-lease). */
  private readonly abandoned = new Set<string>();
  private readonly logs: LogChannel | undefined;
  private readonly stallWatch = new StallWatch(stallWarnMs(process.env['LOGBEAM_HARNESS_STALL_WARN_MS']));
  private readonly watchdog: NodeJS.Timeout;
  private readonly liveTimer: NodeJS.Timeout | undefined;
  /** Runs this harness last reported running bundles for (so it reports once when they are all gone). */
  private readonly liveRuns = new Set<string>();
  /** Resolves when the runner closes the control stream. */
  readonly done: Promise<void>;
  /** Unique across hosts, harnesses and restarts; names the files this harness's writers stage. */
  readonly harnessId: string;

  constructor(
    private readonly endpoints: HarnessEndpoints,
    private readonly protos: BeamProtos,
  ) {
    this.harnessId = endpoints.harnessId ?? newHarnessId();
    this.logs =
      endpoints.loggingUrl === undefined || endpoints.loggingUrl === ''
        ? undefined
        : new LogChannel(endpoints.loggingUrl, endpoints.workerId, protos);
    this.logs?.log('INFO', `logbeam SDK harness ${this.harnessId} (worker ${endpoints.workerId}) connected to ${endpoints.controlUrl}`);
    const Control = protos.client('fn_execution.v1.BeamFnControl');
    this.controlClient = new Control(endpoints.controlUrl, grpc.credentials.createInsecure(), GRPC_OPTIONS);
    const metadata = new grpc.Metadata();
    metadata.set('worker_id', endpoints.workerId);
    this.control = (this.controlClient as unknown as { Control(m: grpc.Metadata): Stream }).Control(metadata);
    this.control.on('data', (request: InstructionRequest) => {
      void this.handle(request);
    });
    this.watchdog = setInterval(() => this.checkStalls(), Math.max(100, Math.floor(this.stallWatch.warnAfterMs / 4)));
    this.watchdog.unref();
    if (endpoints.onLive !== undefined) {
      this.liveTimer = setInterval(() => this.pushLive(), LIVE_INTERVAL_MS);
      this.liveTimer.unref();
    }
    this.done = new Promise((resolve) => {
      const finish = (): void => {
        for (const { controller } of this.running.values()) controller.abort(new Error('the runner closed the control stream'));
        this.close();
        resolve();
      };
      this.control.on('end', finish);
      this.control.on('error', finish);
    });
  }

  /**
   * Reports each running bundle that made no progress for the watch's delay, with what it waits for: as a
   * warning on stderr and in the runner's log, or only in the runner's log (INFO) when it merely waits for the
   * runner's next input.
   */
  private checkStalls(): void {
    const now = Date.now();
    for (const [instructionId, { processor }] of this.running) {
      const stalled = this.stallWatch.observe(instructionId, processor.progress(instructionId), now);
      if (stalled === undefined) continue;
      const wait = processor.waitState(instructionId);
      const message =
        `logbeam SDK harness ${this.harnessId} (worker ${this.endpoints.workerId}): bundle ${instructionId} ` +
        `(descriptor ${processor.descriptor.id}) has made no progress for ${Math.round(stalled / 1000)} s; ${wait.description}`;
      if (wait.onRunnerInput) {
        this.logs?.log('INFO', message, { instructionId });
        continue;
      }
      // On stderr too: the runner's log is not where a user watching a stuck run looks first.
      process.stderr.write(`[logbeam harness WARN] ${message}\n`);
      this.logs?.log('WARN', message, { instructionId });
    }
  }

  /**
   * Sends, per run with bundles running now or at the last push, the sum of its running bundles' counters
   * (nothing running once the harness is `closing`).
   */
  private pushLive(closing = false): void {
    const onLive = this.endpoints.onLive;
    if (onLive === undefined) return;
    const byRun = new Map<string, StepCounter[][]>();
    for (const runId of this.liveRuns) byRun.set(runId, []);
    for (const { processor } of closing ? [] : this.running.values())
      for (const runId of processor.runIds) {
        const bundles = byRun.get(runId) ?? [];
        bundles.push(processor.counters());
        byRun.set(runId, bundles);
      }
    this.liveRuns.clear();
    for (const [runId, bundles] of byRun) {
      if (bundles.length > 0) this.liveRuns.add(runId);
      onLive({ harnessId: this.harnessId, runId, counters: sumCounters(bundles) });
    }
  }

  private channelFor = (url: string): DataChannel => {
    let channel = this.channels.get(url);
    if (channel === undefined) {
      channel = new DataChannel(url, this.endpoints.workerId, this.protos);
      this.channels.set(url, channel);
    }
    return channel;
  };

  private respond(instructionId: string, body: Record<string, unknown>): void {
    this.control.write({ instruction_id: instructionId, ...body });
  }

  private async handle(request: InstructionRequest): Promise<void> {
    const id = request.instruction_id;
    try {
      switch (request.request) {
        case 'register':
          for (const descriptor of request.register?.process_bundle_descriptor ?? [])
            this.descriptors.set(descriptor.id, Promise.resolve(descriptor));
          this.respond(id, { register: {} });
          return;
        case 'process_bundle': {
          const counters = await this.processBundle(id, request.process_bundle!.process_bundle_descriptor_id);
          this.respond(id, {
            process_bundle: { residual_roots: [], ...monitoringPayload(counters), requires_finalization: false },
          });
          return;
        }
        case 'process_bundle_progress': {
          const running = this.running.get(request.process_bundle_progress?.instruction_id ?? '');
          this.respond(id, { process_bundle_progress: monitoringPayload(running?.processor.counters() ?? []) });
          return;
        }
        case 'process_bundle_split':
          // Declined: bundles are split by the runner between splits of the input, never inside one.
          this.respond(id, { process_bundle_split: {} });
          return;
        case 'finalize_bundle':
          this.respond(id, { finalize_bundle: {} });
          return;
        case 'monitoring_infos':
          this.respond(id, { monitoring_infos: { monitoring_info: describeShortIds(request.monitoring_infos?.monitoring_info_id ?? []) } });
          return;
        case 'harness_monitoring_infos':
          this.respond(id, { harness_monitoring_infos: {} });
          return;
        default:
          this.respond(id, { error: `the logbeam SDK harness does not support the ${request.request ?? 'unknown'} instruction` });
      }
    } catch (error) {
      const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
      this.logs?.log(
        'ERROR',
        `instruction ${id} (${request.request ?? 'unknown'}) failed: ${error instanceof Error ? error.message : String(error)}`,
        { instructionId: id, trace: message },
      );
      this.respond(id, { error: `logbeam SDK harness ${this.endpoints.workerId}: ${message}` });
    }
  }

  private descriptor(id: string): Promise<BundleDescriptor> {
    let descriptor = this.descriptors.get(id);
    if (descriptor === undefined) {
      descriptor = new Promise((resolve, reject) => {
        (
          this.controlClient as unknown as {
            GetProcessBundleDescriptor(r: object, cb: (e: Error | null, d: BundleDescriptor) => void): void;
          }
        ).GetProcessBundleDescriptor({ process_bundle_descriptor_id: id }, (error, result) => (error ? reject(error) : resolve(result)));
      });
      this.descriptors.set(id, descriptor);
    }
    return descriptor;
  }

  /** Runs a bundle on an idle processor of its descriptor (or a new one); returns the bundle's step counters. */
  private async processBundle(instructionId: string, descriptorId: string): Promise<StepCounter[]> {
    const pool = this.idle.get(descriptorId) ?? [];
    this.idle.set(descriptorId, pool);
    const processor =
      pool.pop() ??
      (await BundleProcessor.create(
        await this.descriptor(descriptorId),
        this.protos,
        this.channelFor,
        this.endpoints.workerId,
        this.harnessId,
      ));
    const gone = [...processor.runIds].find((runId) => this.abandoned.has(runId));
    if (gone !== undefined) {
      pool.push(processor);
      throw new Error(abandonedMessage(gone));
    }
    const controller = new AbortController();
    this.running.set(instructionId, { controller, processor });
    try {
      await processor.process(instructionId, controller.signal);
      // Read before the processor goes back to the pool, where the next bundle resets its counters.
      const counters = processor.counters();
      pool.push(processor);
      this.endpoints.onBundle?.();
      return counters;
    } finally {
      this.running.delete(instructionId);
      this.stallWatch.forget(instructionId);
      // Before the runner hears the bundle ended: its counts leave the live figures before they reach the engine's.
      this.pushLive();
    }
  }

  /** Fails the bundles of `runId`, running and to come: the process that submitted it is gone. */
  abandon(runId: string): void {
    this.abandoned.add(runId);
    for (const { controller, processor } of this.running.values())
      if (processor.runIds.has(runId)) controller.abort(new Error(abandonedMessage(runId)));
  }

  close(): void {
    clearInterval(this.watchdog);
    clearInterval(this.liveTimer);
    this.pushLive(true);
    this.logs?.log('INFO', `logbeam SDK harness ${this.endpoints.workerId} closing`);
    this.logs?.close();
    for (const channel of this.channels.values()) channel.close();
    this.channels.clear();
    this.control.end();
    this.controlClient.close();
  }
}

function abandonedMessage(runId: string): string {
  return `the logbeam process that submitted run ${runId} is gone (killed, or its host is down): failing its bundles so the engine ends the job`;
}
