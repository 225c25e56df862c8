/**
 * @module portable/prism-job-server
 * Starts Beam's Go portable runner Prism (`github.com/apache/beam/sdks/v2/go/cmd/prism`, installed by
 * `scripts/install-prism.sh` with `go install` into `.cache/prism/bin`) as a local job service on 127.0.0.1.
 * A second, independent engine: the same pipelines and harness run on it as on Flink.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_BEAM_VERSION } from './beam-protos.js';
import { freePort, startJobService, type JobServer } from './job-server.js';
import { packageRoot } from './package-root.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const INSTALL_SCRIPT = join(HERE, 'scripts', 'install-prism.sh');

/** Where `install-prism.sh` puts the binary: `<package root>/.cache/prism` (override the folder with `LOGBEAM_PRISM_CACHE`). */
export function prismBinary(): string {
  return join(process.env['LOGBEAM_PRISM_CACHE'] ?? join(packageRoot(), '.cache', 'prism'), 'bin', 'prism');
}

/** Why Prism cannot run here (not installed and no Go to build it), or `undefined`. */
export function prismMissing(): string | undefined {
  if (existsSync(prismBinary())) return undefined;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error !== undefined || go.status !== 0) return 'Prism is not installed in .cache/prism and Go is not available to build it';
  return undefined;
}

/** Runs `scripts/install-prism.sh` (quick when installed); returns the binary's path. */
export function installPrism(): string {
  const result = spawnSync('bash', [INSTALL_SCRIPT], {
    encoding: 'utf8',
    env: { PRISM_VERSION: `v${DEFAULT_BEAM_VERSION}`, ...process.env },
  });
  if (result.status !== 0)
    throw new Error(`install-prism.sh failed (go install of Prism through the Go module proxy):\n${result.stderr.slice(-2000)}`);
  return result.stdout.trim();
}

/**
 * Installs Prism if needed, starts it without its web UI and waits until its Job API answers.
 * @example const prism = await startPrismJobServer(); await runPortable(p, { jobEndpoint: prism.endpoint }); await prism.stop();
 */
export async function startPrismJobServer(options: { timeoutMs?: number } = {}): Promise<JobServer> {
  const binary = installPrism();
  const jobPort = await freePort();
  return startJobService(
    'Prism',
    binary,
    [`--job_port=${jobPort}`, '--serve_http=false', '--log_level=warn'],
    `127.0.0.1:${jobPort}`,
    options.timeoutMs ?? 60_000,
  );
}
