/** Runs once after every test file: removes the run's private temporary folder (see global-setup.ts). */
export default async function globalTeardown(): Promise<void> {
  const leave = (globalThis as Record<symbol, unknown>)[Symbol.for('logbeam.leavePrivateTmpdir')];
  if (typeof leave !== 'function') throw new Error('globalTeardown: global-setup.ts did not run; the private TMPDIR is unknown');
  leave();
}
