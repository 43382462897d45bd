// Which Chromium the e2e tests and the bench launch, and with which flags (both fixed by the project's design card).
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** The launch flags that work on our machines. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Playwright's own Chromium when installed, else Debian's /usr/bin/chromium; throws a message
 * saying how to get one otherwise (Playwright's browser download does not work on our machines).
 */
export function chromiumPath() {
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    // This Playwright build knows no browser for the platform: fall back to Debian's.
  }
  if (bundled && existsSync(bundled)) return bundled;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error(
    "No Chromium: neither Playwright's (" +
      (bundled || 'unknown path') +
      ') nor /usr/bin/chromium exists. ' +
      "Install Debian's with `apt-get install -y chromium` (as root), then run the command again.",
  );
}
