import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLogged } from './logged-process.js';

/** Blocks this thread (and so its event loop) for `ms`, as a synchronous child run in the caller would. */
function blockEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

async function exitOf(child: ReturnType<typeof spawnLogged>['child']): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('spawnLogged', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'logged-process-test-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  test('a child that logs far more than a pipe holds is not blocked while the parent does not read', async () => {
    const marker = join(folder, 'done');
    const script = `for (let i = 0; i < 4096; i++) process.stderr.write('x'.repeat(255) + '\\n'); require('fs').writeFileSync(${JSON.stringify(marker)}, '')`;
    const logged = spawnLogged('noisy child', process.execPath, ['-e', script]);
    let waited = 0;
    while (!existsSync(marker) && waited < 20_000) {
      blockEventLoop(100);
      waited += 100;
    }
    expect(existsSync(marker)).toBe(true);
    expect(await exitOf(logged.child)).toBe(0);
    const tail = logged.tail(1000);
    expect(tail).toHaveLength(1000);
    expect(tail.endsWith(`${'x'.repeat(255)}\n`)).toBe(true);
    logged.dispose();
    expect(existsSync(logged.logPath)).toBe(false);
  });

  test('the tail keeps stdout and stderr in the order written', async () => {
    const logged = spawnLogged('ordered', process.execPath, ['-e', "console.log('first'); console.error('second')"]);
    expect(await exitOf(logged.child)).toBe(0);
    expect(logged.tail()).toBe('first\nsecond\n');
    logged.dispose();
  });

  test('temporary files of the process go to its scratch directory, which dispose removes', async () => {
    const logged = spawnLogged('scratch user', process.execPath, [
      '-e',
      "const { mkdtempSync } = require('node:fs'); const { join } = require('node:path'); console.log('made ' + mkdtempSync(join(require('node:os').tmpdir(), 'scratch-')))",
    ]);
    expect(await exitOf(logged.child)).toBe(0);
    const made = /made (.*)/.exec(logged.tail())?.[1];
    expect(made?.startsWith(`${logged.scratch}/scratch-`)).toBe(true);
    expect(existsSync(made!)).toBe(true);
    logged.dispose();
    expect(existsSync(made!)).toBe(false);
    expect(existsSync(logged.scratch)).toBe(false);
  });

  const java = spawnSync('java', ['-version']).status === 0;
  (java ? test : test.skip)('a JVM is told the scratch directory as java.io.tmpdir', async () => {
    const logged = spawnLogged('jvm', 'java', ['-XshowSettings:properties', '-version']);
    expect(await exitOf(logged.child)).toBe(0);
    expect(logged.tail()).toContain(`java.io.tmpdir = ${logged.scratch}`);
    logged.dispose();
  });
});
