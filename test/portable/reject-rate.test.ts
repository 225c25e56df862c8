/**
 * Counts on the portable runner, through the CLI (from the sources) on Prism: the summary's records read,
 * rejects and per-step counts equal the direct runner's, and `--max-reject-rate` exits 3 as on the direct runner.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobServer } from '../../runners/portable/job-server.js';
import { prismMissing, startPrismJobServer } from '../../runners/portable/prism-job-server.js';
import { REPO_ROOT } from './fixtures/installed-package.js';
import { writeAlbInput } from './fixtures/log-inputs.js';
import { describeIfPrerequisites } from './prerequisites.js';

interface Summary {
  status: string;
  recordsRead: number;
  rejected: number;
  filesRead: number;
  steps: Array<{ label: string; kind: string; in: number; out: Record<string, number> }>;
}

describeIfPrerequisites('reject counts on the portable runner (CLI, Prism)', prismMissing(), () => {
  const root = mkdtempSync(join(tmpdir(), 'logbeam-reject-rate-'));
  const input = join(root, 'in');
  let server: JobServer;
  const cli = (args: readonly string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

  beforeAll(async () => {
    writeAlbInput(input, 3000, 3);
    // 120 lines no ALB parser accepts: 3.8% of the records.
    writeFileSync(join(input, 'broken.log'), Array.from({ length: 120 }, (_, i) => `not an alb line ${i}\n`).join(''));
    server = await startPrismJobServer();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('the summary counts equal the direct runner, and rejects above --max-reject-rate exit 3', async () => {
    const run = (name: string, runner: readonly string[]) =>
      cli([
        'run',
        'alb',
        '--input',
        input,
        '--output',
        join(root, name),
        '--json',
        '--no-progress',
        '--max-reject-rate',
        '0.01',
        ...runner,
      ]);
    const direct = run('direct', []);
    const portable = run('portable', ['--runner', 'portable', '--job-endpoint', server.endpoint]);
    expect({ code: direct.status, stderr: direct.stderr }).toEqual({
      code: 3,
      stderr: expect.stringContaining('above --max-reject-rate 0.01'),
    });
    expect({ code: portable.status, stderr: portable.stderr }).toEqual({
      code: 3,
      stderr: expect.stringContaining('above --max-reject-rate 0.01'),
    });
    const directSummary = JSON.parse(direct.stdout) as Summary;
    const portableSummary = JSON.parse(portable.stdout) as Summary;
    expect(portableSummary.status).toBe('too-many-rejects');
    expect({ recordsRead: portableSummary.recordsRead, rejected: portableSummary.rejected, filesRead: portableSummary.filesRead }).toEqual({
      recordsRead: 3120,
      rejected: 120,
      filesRead: 4,
    });
    expect(directSummary.recordsRead).toBe(3120);
    expect(directSummary.rejected).toBe(120);
    // Every step the harness runs (reads, ParDos) counts what the direct runner counts.
    const byLabel = new Map(directSummary.steps.map((step) => [step.label, step]));
    expect(portableSummary.steps.length).toBeGreaterThan(1);
    for (const step of portableSummary.steps) {
      if (step.kind === 'write') continue;
      expect({ label: step.label, out: step.out }).toEqual({ label: step.label, out: byLabel.get(step.label)?.out });
    }
  });
});
