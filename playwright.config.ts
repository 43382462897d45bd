// Playwright setup for e2e/: Chromium only (Playwright's own when installed, else Debian's), headless, servers started by e2e/fixtures.ts.
import { existsSync } from 'node:fs';
import { chromium, defineConfig } from '@playwright/test';

// Playwright's browser download does not work on our machines, so Debian's Chromium is the usual one.
function chromiumPath(): string {
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    // This Playwright build knows no browser for the platform: fall back to Debian's.
  }
  if (bundled && existsSync(bundled)) return bundled;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error(
    "No Chromium for the e2e tests: neither Playwright's (" +
      (bundled || 'unknown path') +
      ') nor /usr/bin/chromium exists. ' +
      "Install Debian's with `apt-get install -y chromium` (as root), then run `npx playwright test` again.",
  );
}

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  timeout: 30_000,
  globalTimeout: 10 * 60_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    actionTimeout: 10_000,
    navigationTimeout: 10_000,
    trace: 'off',
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
