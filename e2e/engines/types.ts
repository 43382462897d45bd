// The engine adapter's shape: what the e2e tests need of a browser (a tab that navigates and holds cookies), whichever driver runs it.

export type EngineName = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: readonly EngineName[] = ['chromium', 'firefox', 'webkit'];

/** A cookie a scenario starts with, set for the host of `origin` (every port of it), path `/`. */
export interface TestCookie {
  name: string;
  value: string;
  origin: string;
  sameSite: 'Strict' | 'Lax' | 'None';
  secure: boolean;
}

/** One tab with a cookie jar of its own, kept across tests. */
export interface Tab {
  /** Navigates and resolves once the page has loaded (bounded by the driver's navigation timeout). */
  goto(url: string): Promise<void>;
  addCookies(cookies: TestCookie[]): Promise<void>;
  /** Removes every cookie of the tab's jar. */
  clearCookies(): Promise<void>;
  close(): Promise<void>;
}

export interface Engine {
  name: EngineName;
  newTab(): Promise<Tab>;
  close(): Promise<void>;
}
