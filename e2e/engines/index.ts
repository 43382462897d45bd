// Launches the engine a Playwright project names: Chromium through Playwright, Firefox through puppeteer-core, WebKit through WebKitWebDriver.
import type { BrowserType, LaunchOptions } from '@playwright/test';
import { launchChromium } from './chromium';
import { launchFirefox } from './firefox';
import { ENGINES, type Engine, type EngineName } from './types';
import { launchWebKit } from './webkit';

export * from './types';

/** The engine of a Playwright project (its name is the engine's name). */
export function engineOf(projectName: string): EngineName {
  const name = ENGINES.find((e) => e === projectName);
  if (!name) throw new Error(`No engine for the Playwright project "${projectName}": name projects ${ENGINES.join(', ')}.`);
  return name;
}

/** Starts `name`; `chromium` and `options` come from the Playwright project (its launch options). */
export function launchEngine(name: EngineName, chromium: BrowserType, options: LaunchOptions): Promise<Engine> {
  if (name === 'chromium') return launchChromium(chromium, options);
  if (name === 'firefox') return launchFirefox();
  return launchWebKit();
}
