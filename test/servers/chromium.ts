/**
 * @module test/servers/chromium
 * Debian's chromium, headless, through playwright-core (which never downloads a browser of its own): a fresh
 * user-data directory per launch, no sandbox (tests run as root in CI), no GPU, and every background
 * connection Chromium makes by itself turned off, so a test can require that viewing a page requests nothing.
 * When chromium is missing the launch fails with the command that installs it; nothing is skipped.
 */
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env['LOGBEAM_CHROMIUM'] ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless chromium with a fresh profile; `close()` stops it and removes the profile. */
export async function launchChromium(): Promise<Browser> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `${CHROMIUM_PATH} not found: the report tests need Debian's chromium; install it with \`bash test/servers/install-chromium.sh\` (as root), or set LOGBEAM_CHROMIUM to a Chromium binary`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), 'logbeam-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
