// Playwright setup for e2e/: the three engines as projects (Chromium: Playwright's own when installed, else Debian's headless shell or chromium; Firefox ESR and WebKitGTK through e2e/engines), servers started by e2e/fixtures.ts.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, testChromium } from './e2e/chromium.js';

const executablePath = testChromium().path;

/** The tests every engine runs (bfcache.spec.ts: Firefox and WebKit only, see below). */
const PROOF = /(scenarios|conformance|fuzz|seed|bfcache)\.spec\.ts$/;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  timeout: 30_000,
  // About twice the measured run of the three engines (6.3 minutes on an idle 2-core machine, of
  // which Chromium's 138 tests ~2): every test has its own bound besides.
  globalTimeout: 13 * 60_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['./e2e/slowest-reporter.ts']],
  use: {
    browserName: 'chromium',
    headless: true,
    actionTimeout: 10_000,
    navigationTimeout: 10_000,
    trace: 'off',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [...CHROMIUM_FLAGS],
    },
  },
  projects: [
    // Chromium runs every e2e test; the demo and connect() pages drive Playwright's own pages.
    // Its back/forward cache is tested by lifecycle.spec.ts, in a full Chromium without
    // --disable-back-forward-cache: the headless shell it runs the rest in keeps no page in one.
    { name: 'chromium', use: { browserName: 'chromium' }, testIgnore: /bfcache\.spec\.ts$/ },
    // Firefox and WebKit run the proof: the scenario tables, the seed pages, the fuzz test and the back/forward cache,
    // through the engine adapter (e2e/engines: puppeteer-core and WebKitWebDriver).
    { name: 'firefox', testMatch: PROOF },
    { name: 'webkit', testMatch: PROOF },
  ],
});
