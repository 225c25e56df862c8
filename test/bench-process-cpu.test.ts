import { spawn } from 'node:child_process';
import { treeCpuSeconds } from '../bench/harness/process-cpu.js';

describe('treeCpuSeconds', () => {
  it("counts the CPU time of a process's children, reaped or live", async () => {
    // A shell whose child burns 0.6 s of its own CPU time (however loaded the machine), then the shell sleeps.
    const burn = 'const end = 600000; while (process.cpuUsage().user < end) {}';
    const shell = spawn('sh', ['-c', `node -e "${burn}"; sleep 30`], { stdio: 'ignore' });
    try {
      const before = treeCpuSeconds([shell.pid!]);
      let used = 0;
      for (const started = Date.now(); Date.now() - started < 30_000 && used < 0.6; ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        used = treeCpuSeconds([shell.pid!]) - before;
      }
      expect(used).toBeGreaterThanOrEqual(0.6);
      expect(treeCpuSeconds([])).toBe(0);
    } finally {
      shell.kill('SIGKILL');
    }
  });
});
