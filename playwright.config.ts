// Playwright setup for e2e/: the three engines as projects (Chromium: Playwright's own when installed, else Debian's headless shell or chromium; Firefox ESR and WebKitGTK through e2e/engines), servers started by e2e/fixtures.ts.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, testChromium } from './e2e/chromium.js';

const executablePath = testChromium().path;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  timeout: 30_000,
  // Twice the 4-minute budget of the suite (measured: under 2 minutes on an idle 2-core machine).
  globalTimeout: 8 * 60_000,
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
    { name: 'chromium', use: { browserName: 'chromium' } },
  ],
});
