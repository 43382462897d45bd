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

/** Debian's headless shell (package chromium-headless-shell): Blink and the network stack of /usr/bin/chromium without its UI. */
export const DEBIAN_HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';

function bundledChromium() {
  try {
    const bundled = chromium.executablePath();
    return bundled && existsSync(bundled) ? bundled : '';
  } catch {
    // This Playwright build knows no browser for the platform.
    return '';
  }
}

/**
 * Playwright's own Chromium when installed, else Debian's /usr/bin/chromium; throws a message
 * saying how to get one otherwise (Playwright's browser download does not work on our machines).
 */
export function chromiumPath() {
  const bundled = bundledChromium();
  if (bundled) return bundled;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error(
    "No Chromium: neither Playwright's nor /usr/bin/chromium exists. " +
      "Install Debian's with `apt-get install -y chromium chromium-headless-shell` (as root), then run the command again.",
  );
}

/**
 * The Chromium of the headless e2e tests: `path` is undefined to let Playwright pick its own;
 * `headlessShell` says whether it is a headless shell. Like Playwright with its own browsers
 * (which runs headless tests in its chromium-headless-shell), the tests prefer a headless shell:
 * full Chromium renders its browser UI in extra renderer processes even when headless, which on
 * our 2-core machines costs about three times the CPU of the pages under test. Order:
 * Playwright's own, Debian's headless shell, Debian's chromium. Blink and the network stack are
 * the same; the browser-level settings are not (a headless shell has no third-party cookie
 * blocking).
 * @returns {{ path: string | undefined, headlessShell: boolean }}
 */
export function testChromium() {
  if (bundledChromium()) return { path: undefined, headlessShell: true };
  if (existsSync(DEBIAN_HEADLESS_SHELL)) return { path: DEBIAN_HEADLESS_SHELL, headlessShell: true };
  return { path: chromiumPath(), headlessShell: false };
}
