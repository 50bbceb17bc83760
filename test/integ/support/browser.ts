// Debian's headless chromium, driven by playwright-core, with the flags this closed network needs (see the
// environment notes): no sandbox as root, no background connections. playwright gives each launch a fresh
// profile directory of its own and removes it on close.
import * as fs from 'fs';
import { Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CCF_CHROMIUM ?? '/usr/bin/chromium';

/** `describe` when chromium is installed; otherwise a printed skip, or a failure under CCF_REQUIRE_DOCKER=1 (CI). */
export function describeWithBrowser(title: string, fn: () => void): void {
  if (fs.existsSync(CHROMIUM)) {
    describe(title, fn);
  } else if (process.env.CCF_REQUIRE_DOCKER === '1') {
    describe(title, () => test('chromium is installed (CCF_REQUIRE_DOCKER=1)', () => {
      throw new Error(`${CHROMIUM} is missing: run .ci/setup-browser.sh (apt-get install -y chromium).`);
    }));
  } else {
    process.stderr.write(`\nSKIPPED browser tests "${title}": ${CHROMIUM} is missing. Install it with .ci/setup-browser.sh.\n`);
    describe.skip(title, fn);
  }
}

/** Launches chromium; `hostRules` maps names to addresses (`MAP rebind.example 127.0.0.1`), as DNS would. */
export async function launchChromium(hostRules?: string, extraArgs: string[] = []): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'];
  if (hostRules) args.push(`--host-resolver-rules=${hostRules}`);
  args.push(...extraArgs);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args });
  return {
    browser,
    close: () => browser.close(),
  };
}
