// Chromium through Playwright: a tab is a page in a browser context of its own.
import type { BrowserType, LaunchOptions } from '@playwright/test';
import type { Engine, Tab, TestCookie } from './types';

export async function launchChromium(type: BrowserType, options: LaunchOptions): Promise<Engine> {
  const browser = await type.launch(options);
  return {
    name: 'chromium',
    async newTab(): Promise<Tab> {
      const context = await browser.newContext();
      const page = await context.newPage();
      return {
        async goto(url) {
          await page.goto(url);
        },
        async addCookies(cookies: TestCookie[]) {
          await context.addCookies(
            cookies.map((c) => ({ name: c.name, value: c.value, domain: new URL(c.origin).hostname, path: '/', sameSite: c.sameSite, secure: c.secure })),
          );
        },
        clearCookies: () => context.clearCookies(),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
