/**
 * @module test/servers/flink-cluster
 * A real multi-process Flink session cluster on this machine, for the portable tests and benchmarks: one
 * JobManager (`StandaloneSessionClusterEntrypoint`) and N TaskManagers (`TaskManagerRunner`), each a JVM in its
 * own process group with its own config directory, started from the Maven class path that
 * `runners/portable/scripts/fetch-beam.sh` resolves (flink-runtime, flink-streaming-java and Beam's Flink runner,
 * so jobs need to ship no jars). Everything binds to 127.0.0.1; memory is small (JobManager 768 MB, TaskManager
 * 1 GB process size); each process logs to `<root>/logs/<name>.log`, which `logs()` returns for failure messages.
 * A TaskManager's JVM and memory flags are what Flink's own scripts use: the output of
 * `BashJavaUtils GET_TM_RESOURCE_PARAMS` for its config (likewise `GET_JM_RESOURCE_PARAMS` for the JobManager).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { flinkJobServerClassPath, fetchBeam } from '../../runners/portable/flink-job-server.js';
import { freePort } from '../../runners/portable/job-server.js';

/**
 * The Java 17 module flags Flink 1.19's distribution sets for every process (`env.java.opts.all` in its
 * config.yaml): Flink's and Kryo's reflection into java.base.
 */
export const FLINK_JAVA17_FLAGS: readonly string[] = [
  '--add-exports=java.base/sun.net.util=ALL-UNNAMED',
  '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.net=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens=java.base/java.text=ALL-UNNAMED',
  '--add-opens=java.base/java.time=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED',
];

/** slf4j-simple settings: INFO with timestamps, to the process's stderr (its log file). */
const LOGGING_FLAGS = ['-Dorg.slf4j.simpleLogger.defaultLogLevel=info', '-Dorg.slf4j.simpleLogger.showDateTime=true'];

export interface FlinkClusterOptions {
  /** TaskManager processes (default 2). */
  readonly taskManagers?: number;
  /** Slots per TaskManager (default 1, so a job of parallelism N runs on N TaskManagers). */
  readonly slotsPerTaskManager?: number;
  /**
   * A host name that each TaskManager resolves to an address of its own, 127.0.0.<i> for TaskManager i (a JVM
   * hosts file, `-Djdk.net.hosts.file`): an EXTERNAL environment at `<name>:<port>` then reaches a different
   * worker pool from each TaskManager, as it would with one pool per worker host.
   */
  readonly workerHostName?: string;
  /** How long to wait for the JobManager's REST API and every TaskManager to register (default 180 s). */
  readonly timeoutMs?: number;
}

export interface FlinkCluster {
  /** `127.0.0.1:<port>` of the JobManager's REST API (Beam's `--flink-master`). */
  readonly restEndpoint: string;
  /** The folder holding every process's log. */
  readonly logDirectory: string;
  /** The TaskManagers' resource ids (`tm-1`, `tm-2`, ...), as the REST API reports them. */
  readonly taskManagerIds: readonly string[];
  /** The address `workerHostName` resolves to on each TaskManager (index 0 is `tm-1`). */
  readonly workerHostAddresses: readonly string[];
  /** Process ids of the JobManager and every TaskManager (the benchmark reads their CPU time). */
  readonly pids: readonly number[];
  /** GET on the REST API; resolves with the parsed JSON. */
  rest<T>(path: string): Promise<T>;
  /** The tail (last `chars` characters, default 4,000) of every process's log, for failure messages. */
  logs(chars?: number): string;
  /**
   * Stops every process (SIGTERM to each process group, SIGKILL after 10 s) and removes the folder, logs
   * included unless `LOGBEAM_KEEP_FLINK_LOGS=1`. Idempotent.
   */
  stop(): Promise<void>;
}

interface ClusterProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

/**
 * Runs `BashJavaUtils <command>` for a config directory; returns its two result lines: the JVM flags
 * (`-Xmx... -Xms...`) and the dynamic properties (`-D key=value ...`), split into arguments.
 */
function resourceParams(
  classPath: string,
  command: 'GET_TM_RESOURCE_PARAMS' | 'GET_JM_RESOURCE_PARAMS',
  configDir: string,
): { jvm: string[]; dynamic: string[] } {
  const result = spawnSync(
    'java',
    ['-cp', classPath, 'org.apache.flink.runtime.util.bash.BashJavaUtils', command, '--configDir', configDir],
    { encoding: 'utf8' },
  );
  const lines = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('BASH_JAVA_UTILS_EXEC_RESULT:'))
    .map((line) => line.slice('BASH_JAVA_UTILS_EXEC_RESULT:'.length).trim());
  if (result.status !== 0 || lines.length < 2)
    throw new Error(`BashJavaUtils ${command} failed (exit ${result.status}):\n${result.stdout.slice(-2000)}${result.stderr.slice(-2000)}`);
  const split = (line: string): string[] => line.split(/\s+/).filter((word) => word !== '');
  return { jvm: split(lines[0]!), dynamic: split(lines[1]!) };
}

function flinkConf(settings: Record<string, string | number>): string {
  return `${Object.entries(settings)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n')}\n`;
}

function spawnJvm(name: string, logDirectory: string, args: readonly string[]): ClusterProcess {
  const log = openSync(join(logDirectory, `${name}.log`), 'a');
  // Own process group (detached), so stop() reaches every thread and child the JVM may start.
  const child = spawn('java', args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', () => undefined);
  return { name, child, exited };
}

async function stopProcess(process_: ClusterProcess): Promise<void> {
  const { child } = process_;
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
  await Promise.race([process_.exited, timer]);
  if (child.exitCode === null && child.signalCode === null) {
    signalGroup('SIGKILL');
    await process_.exited;
  }
}

/**
 * Starts the cluster and resolves once the REST API answers and every TaskManager has registered; on failure,
 * stops what it started and rejects with the logs.
 * @example const cluster = await startFlinkCluster(); const server = await startFlinkJobServer({ flinkMaster: cluster.restEndpoint });
 */
export async function startFlinkCluster(options: FlinkClusterOptions = {}): Promise<FlinkCluster> {
  const taskManagers = options.taskManagers ?? 2;
  const slots = options.slotsPerTaskManager ?? 1;
  const timeoutMs = options.timeoutMs ?? 180_000;
  fetchBeam();
  const classPath = flinkJobServerClassPath();
  const root = mkdtempSync(join(tmpdir(), 'logbeam-flink-cluster-'));
  const logDirectory = join(root, 'logs');
  mkdirSync(logDirectory);
  const rpcPort = await freePort();
  const restPort = await freePort();
  const blobPort = await freePort();
  const common = {
    'jobmanager.rpc.address': '127.0.0.1',
    'jobmanager.rpc.port': rpcPort,
    'jobmanager.bind-host': '127.0.0.1',
    'taskmanager.bind-host': '127.0.0.1',
    'taskmanager.host': '127.0.0.1',
    'rest.address': '127.0.0.1',
    'rest.bind-address': '127.0.0.1',
    'rest.port': restPort,
    'blob.server.port': blobPort,
    'jobmanager.memory.process.size': '768m',
    'taskmanager.memory.process.size': '1024m',
    'taskmanager.memory.managed.fraction': '0.1',
    'taskmanager.numberOfTaskSlots': slots,
    'parallelism.default': taskManagers * slots,
    // A finished job's slots go back at once, so consecutive jobs of a suite do not wait for idle timeouts.
    'slot.idle.timeout': 1000,
    'heartbeat.timeout': 60_000,
  };
  const processes: ClusterProcess[] = [];
  const logs = (chars = 4000): string =>
    readdirSync(logDirectory)
      .sort()
      .map((file) => `--- ${file} ---\n${readFileSync(join(logDirectory, file), 'utf8').slice(-chars)}`)
      .join('\n');
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(processes.map(stopProcess));
    if (process.env['LOGBEAM_KEEP_FLINK_LOGS'] === '1') process.stderr.write(`Flink cluster logs kept in ${logDirectory}\n`);
    else rmSync(root, { recursive: true, force: true });
  };
  const restUrl = `http://127.0.0.1:${restPort}`;
  const rest = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${restUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`Flink REST ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  try {
    const jmConf = join(root, 'jobmanager', 'conf');
    mkdirSync(jmConf, { recursive: true });
    const jmTmp = join(root, 'jobmanager', 'tmp');
    mkdirSync(jmTmp);
    writeFileSync(
      join(jmConf, 'flink-conf.yaml'),
      flinkConf({ ...common, 'io.tmp.dirs': jmTmp, 'web.tmpdir': jmTmp, 'blob.storage.directory': jmTmp }),
    );
    const jm = resourceParams(classPath, 'GET_JM_RESOURCE_PARAMS', jmConf);
    processes.push(
      spawnJvm('jobmanager', logDirectory, [
        ...jm.jvm,
        ...FLINK_JAVA17_FLAGS,
        ...LOGGING_FLAGS,
        '-cp',
        classPath,
        'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint',
        '--configDir',
        jmConf,
        ...jm.dynamic,
      ]),
    );
    const taskManagerIds: string[] = [];
    const workerHostAddresses: string[] = [];
    for (let i = 1; i <= taskManagers; i++) {
      const id = `tm-${i}`;
      const conf = join(root, id, 'conf');
      const tmp = join(root, id, 'tmp');
      mkdirSync(conf, { recursive: true });
      mkdirSync(tmp);
      const hostsFlags: string[] = [];
      if (options.workerHostName !== undefined) {
        // The file replaces the system resolver for this JVM, so it also names localhost and this host.
        const hosts = join(root, id, 'hosts');
        writeFileSync(hosts, `127.0.0.1 localhost ${hostname()}\n127.0.0.${i} ${options.workerHostName}\n`);
        hostsFlags.push(`-Djdk.net.hosts.file=${hosts}`);
        workerHostAddresses.push(`127.0.0.${i}`);
      }
      writeFileSync(join(conf, 'flink-conf.yaml'), flinkConf({ ...common, 'taskmanager.resource-id': id, 'io.tmp.dirs': tmp }));
      const tm = resourceParams(classPath, 'GET_TM_RESOURCE_PARAMS', conf);
      processes.push(
        spawnJvm(id, logDirectory, [
          ...tm.jvm,
          ...FLINK_JAVA17_FLAGS,
          ...LOGGING_FLAGS,
          ...hostsFlags,
          '-cp',
          classPath,
          'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
          '--configDir',
          conf,
          ...tm.dynamic,
        ]),
      );
      taskManagerIds.push(id);
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const dead = processes.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
      if (dead !== undefined) throw new Error(`the Flink ${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode})`);
      const registered = await rest<{ taskmanagers: { id: string }[] }>('/taskmanagers').then(
        (body) => body.taskmanagers.map((tm) => tm.id),
        () => [] as string[],
      );
      if (taskManagerIds.every((id) => registered.includes(id))) break;
      if (Date.now() > deadline)
        throw new Error(
          `the Flink cluster was not up within ${timeoutMs} ms (TaskManagers registered: ${registered.join(', ') || 'none'})`,
        );
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const pids = processes.map((p) => p.child.pid).filter((pid): pid is number => pid !== undefined);
    return { restEndpoint: `127.0.0.1:${restPort}`, logDirectory, taskManagerIds, workerHostAddresses, pids, rest, logs, stop };
  } catch (error) {
    const text = logs();
    await stop();
    throw new Error(`${(error as Error).message}\n${text}`);
  }
}
