// Playwright fixtures: one demo server per worker on 127.0.0.1 (OS-picked port), its request log, and runScenario() to play a scripted stream in one mode.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test as base, expect, type Browser, type BrowserContext } from '@playwright/test';
import { createApp, type LogEntry, type ScriptDefinition } from '../demo-server/app.js';

export { expect };

export type Mode = 'native' | 'modern' | 'legacy';
export const MODES: readonly Mode[] = ['native', 'modern', 'legacy'];
/** The page of each mode in the seed demo. */
export const SEED_PATHS: Record<Mode, string> = { native: '/', modern: '/modern', legacy: '/legacy' };

export interface DemoServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every request but static files, with how its response ended. */
  log: ReturnType<typeof createApp>['log'];
  scripts: ReturnType<typeof createApp>['scripts'];
}

/** One event as the harness page recorded it (see demo-server/pages.js). */
export interface RecordedEvent {
  type: string;
  readyState: number;
  iface: string;
  data?: string;
  lastEventId?: string;
  origin?: string;
  source?: null | string;
  ports?: number | string;
  afterClose?: boolean;
}

export interface Recording {
  url: string | null;
  readyStateAtStart: number | null;
  readyStateAtEnd: number | null;
  events: RecordedEvent[];
  thrown: string | null;
  done: boolean;
  /** A probe's named results (`page.probe`, see demo-server/pages.js). */
  results?: Record<string, unknown>;
}

/** What the server saw of one connection, in the form the modes are compared on. */
export interface RequestSummary {
  leg: string;
  index: number;
  method: string;
  accept: string | null;
  cacheControl: string | null;
  lastEventId: string | null;
}

export interface ScenarioRun {
  mode: Mode;
  record: Recording;
  requests: RequestSummary[];
  /** Milliseconds from the first request to each one: for reading failures, never asserted. */
  timing: number[];
  pageErrors: string[];
  /** What the page ran: 'native' or 'ssekit', and the requests it made per API (see pages.js). */
  engine: string | null;
  transport: { xhr: number; fetch: number };
  /** The server's log entries of this run's key (every leg, preflights too), in arrival order. */
  entries: LogEntry[];
}

export interface ScenarioOptions {
  /** Runs on the fresh browser context before the page opens (cookies, permissions). */
  setup?: (context: BrowserContext) => Promise<void>;
}

function header(entry: LogEntry, name: string): string | null {
  const value = entry.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

function summarize(entry: LogEntry): RequestSummary {
  return {
    leg: entry.leg ?? '',
    index: entry.index ?? 0,
    method: entry.method,
    accept: header(entry, 'accept'),
    cacheControl: header(entry, 'cache-control'),
    lastEventId: header(entry, 'last-event-id'),
  };
}

/**
 * Plays `definition` to a fresh harness page in `mode` and returns what the page recorded and
 * what the server saw. Waits for the page's stop condition (bounded by `timeout`; a page that
 * never finishes comes back with `record.done` false), then closes the page's context and waits
 * for the server to see every connection end, so the log is complete.
 *
 * Whether the client aborted a held-open response on close() is in the log (`aborted`) but not
 * compared: Chromium may keep the socket up to 5 s after a cancel to drain the body for reuse
 * (HttpResponseBodyDrainer), whichever API cancelled, so when the server sees it is timing.
 */
export async function runScenario(
  browser: Browser,
  server: DemoServer,
  definition: ScriptDefinition,
  mode: Mode,
  timeout = 5_000,
  options: ScenarioOptions = {},
): Promise<ScenarioRun> {
  const key = server.scripts.add(definition);
  const context = await browser.newContext({ baseURL: server.url });
  if (options.setup) await options.setup(context);
  const pageErrors: string[] = [];
  let record: Recording;
  let engine: string | null;
  const transport = { xhr: 0, fetch: 0 };
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`/harness?mode=${mode}&key=${key}`);
    await page
      .locator('#record[data-done="true"]')
      .waitFor({ state: 'attached', timeout })
      .catch(() => undefined);
    record = JSON.parse((await page.locator('#record').textContent()) || 'null') as Recording;
    engine = await page.locator('#engine').getAttribute('data-engine');
    transport.xhr = Number(await page.locator('#transport').getAttribute('data-xhr'));
    transport.fetch = Number(await page.locator('#transport').getAttribute('data-fetch'));
  } finally {
    await context.close();
  }
  // Each run has its own key; the comparison is about everything else in the URL.
  if (record && record.url) record.url = record.url.split(`/script/${key}`).join('/script/{key}');
  const settled = () => server.log.forKey(key).every((entry: LogEntry) => entry.closedAt !== undefined);
  try {
    await expect.poll(settled, { timeout: 5_000 }).toBe(true);
  } catch {
    const open = server.log.forKey(key).filter((entry: LogEntry) => entry.closedAt === undefined);
    throw new Error(`${mode}: the page is gone, but the server still holds ${JSON.stringify(open)}`);
  }
  const entries = server.log.forKey(key);
  const first = entries[0]?.time ?? 0;
  return {
    mode,
    record,
    requests: entries.map(summarize),
    timing: entries.map((entry: LogEntry) => entry.time - first),
    pageErrors,
    engine,
    transport,
    entries,
  };
}

export const test = base.extend<{ server: DemoServer }, { workerServer: DemoServer }>({
  workerServer: [
    // Playwright reads a fixture's dependencies from this destructuring pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const app = createApp();
      const httpServer = app.listen(0, '127.0.0.1');
      await once(httpServer, 'listening');
      const { port } = httpServer.address() as AddressInfo;
      await use({ url: `http://127.0.0.1:${port}`, log: app.log, scripts: app.scripts });
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
    { scope: 'worker' },
  ],
  server: async ({ workerServer }, use) => use(workerServer),
  baseURL: async ({ workerServer }, use) => use(workerServer.url),
});
