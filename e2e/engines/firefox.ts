// Firefox ESR (Debian's stock build) through puppeteer-core over WebDriver BiDi: a tab is a page in a browser context of its own.
import puppeteer, { type BrowserContext, type Page } from 'puppeteer-core';
import type { Engine, Tab, TestCookie } from './types';

export const FIREFOX = '/usr/bin/firefox-esr';

// Firefox 153 sometimes refuses to open a tab while another context is closing: such steps are tried again.
async function again<T>(what: string, step: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await step();
    } catch (error) {
      if (i >= tries) throw new Error(`Firefox: ${what} failed ${tries} times: ${String(error)}`, { cause: error });
    }
  }
}

export async function launchFirefox(): Promise<Engine> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // Nothing but the test pages on the network: no updates, telemetry or captive-portal checks.
    extraPrefsFirefox: {
      // The three tabs of a worker share one window: the two in the background must not have their
      // timers clamped to 1 s (as Playwright runs Chromium with --disable-background-timer-throttling).
      'dom.min_background_timeout_value': 4,
      'dom.min_background_timeout_value_without_budget_throttling': 4,
      'dom.timeout.enable_budget_timer_throttling': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
    },
  });
  return {
    name: 'firefox',
    async newTab(): Promise<Tab> {
      const context: BrowserContext = await again('creating a context', () => browser.createBrowserContext());
      const page: Page = await again('opening a tab', () => context.newPage());
      page.setDefaultNavigationTimeout(10_000);
      return {
        async goto(url) {
          await page.goto(url, { waitUntil: 'load' });
        },
        async addCookies(cookies: TestCookie[]) {
          await context.setCookie(
            ...cookies.map((c) => ({ name: c.name, value: c.value, domain: new URL(c.origin).hostname, path: '/', sameSite: c.sameSite, secure: c.secure })),
          );
        },
        async clearCookies() {
          const cookies = await context.cookies();
          if (cookies.length) await context.deleteCookie(...cookies);
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
