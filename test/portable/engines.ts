/**
 * The Beam engines the portable suite runs on: Flink's job server (embedded cluster) and, when it can be
 * installed, Prism. Each says why it cannot run here instead of failing.
 */
import { portablePrerequisitesMissing, startFlinkJobServer, type JobServer } from '../../runners/portable/flink-job-server.js';
import { prismMissing, startPrismJobServer } from '../../runners/portable/prism-job-server.js';

export interface Engine {
  readonly name: string;
  /** Why the engine cannot run here, or `undefined`. */
  readonly missing: string | undefined;
  /**
   * Whether the engine merges session windows by Beam's rule (windows that overlap). Prism v2.62.0 also merges
   * windows up to one more gap apart (`iw.End+gapSize < cur.Start` in prism/internal/handlerunner.go), so its
   * sessions are longer than Beam's; the suite then skips that one comparison.
   */
  readonly beamSessionMerging: boolean;
  start(): Promise<JobServer>;
}

export const ENGINES: readonly Engine[] = [
  { name: 'Flink', missing: portablePrerequisitesMissing(), beamSessionMerging: true, start: () => startFlinkJobServer() },
  { name: 'Prism', missing: prismMissing(), beamSessionMerging: false, start: () => startPrismJobServer() },
];
