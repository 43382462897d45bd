// Playwright fixtures: one demo server per worker on 127.0.0.1 (OS-picked port), its request log, and runScenario() to play a scripted stream in one mode.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
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
  /** Runs on the mode's kept browser context before the page opens: cookies only (they are cleared after each scenario). */
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

/** What a harness page says of itself (see demo-server/pages.js): which engine ran, and the requests it made per API. */
export interface PageFacts {
  /** 'native' or 'ssekit'. */
  engine: string | null;
  transport: { xhr: number; fetch: number };
}

/**
 * One page per mode, kept open across the tests a worker runs: each visit navigates it to a
 * test page and then to about:blank, which ends every request the test page made. A new context
 * and page cost 0.4-1 s each on our 2-core machines (a renderer process and its start), a
 * navigation in a kept page ~0.1 s. Visits stay isolated: each has its own document, scripted
 * stream keys and URLs (so nothing cached or preflighted carries over), cookies are cleared
 * after each, and a test releases its server-side connections before the next (runScenario).
 */
export class Lanes {
  private readonly pages = new Map<Mode, Promise<Page>>();

  constructor(private readonly browser: Browser) {}

  /** The kept page of `mode`, opened on first use. */
  private page(mode: Mode): Promise<Page> {
    let page = this.pages.get(mode);
    if (!page) {
      page = this.browser.newContext().then((context) => context.newPage());
      this.pages.set(mode, page);
    }
    return page;
  }

  /** Drops the page of `mode`: the next visit opens a fresh one. */
  private async discard(mode: Mode): Promise<void> {
    const page = this.pages.get(mode);
    this.pages.delete(mode);
    if (page) await page.then((p) => p.context().close()).catch(() => undefined);
  }

  /**
   * Opens `url` in the kept page of `mode` (after `setup`, which may add cookies to its
   * context), runs `read` on it, then leaves it. Returns what `read` returned, the page's
   * uncaught errors meanwhile, and its facts. A visit that throws discards the page (its state
   * is unknown) and rethrows.
   */
  async visit<T>(
    mode: Mode,
    url: string,
    read: (page: Page) => Promise<T>,
    setup?: (context: BrowserContext) => Promise<void>,
  ): Promise<{ value: T; pageErrors: string[] } & PageFacts> {
    const page = await this.page(mode);
    const pageErrors: string[] = [];
    const onError = (error: Error) => pageErrors.push(error.message);
    page.on('pageerror', onError);
    try {
      if (setup) await setup(page.context());
      await page.goto(url);
      const value = await read(page);
      const transport = page.locator('#transport');
      const facts: PageFacts = {
        engine: await page.locator('#engine').getAttribute('data-engine'),
        transport: { xhr: Number(await transport.getAttribute('data-xhr')), fetch: Number(await transport.getAttribute('data-fetch')) },
      };
      // Leaving the document ends whatever it still has open, as closing a context does.
      await page.goto('about:blank');
      // Cookies are the one state a visit leaves in the context (its setup, or a server's).
      await page.context().clearCookies();
      return { value, pageErrors, ...facts };
    } catch (error) {
      await this.discard(mode);
      if (pageErrors.length && error instanceof Error) error.message += ` (${mode} page errors: ${JSON.stringify(pageErrors)})`;
      throw error;
    } finally {
      page.off('pageerror', onError);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pages.keys()].map((mode) => this.discard(mode)));
  }
}

/**
 * Plays `definition` to a harness page in `mode` and returns what the page recorded and what the
 * server saw, in the mode's kept page (see Lanes). Waits for the page's stop condition (bounded
 * by `timeout`; a page that never finishes comes back with `record.done` false), then leaves the
 * page, closes what the server still holds of the scenario and waits for the server to see every
 * connection end, so the log is complete.
 *
 * Whether the client aborted a held-open response on close() is in the log (`aborted`) but not
 * compared: Chromium may keep the socket up to 5 s after a cancel to drain the body for reuse
 * (HttpResponseBodyDrainer), whichever API cancelled, so when the server sees it is timing.
 */
export async function runScenario(
  lanes: Lanes,
  server: DemoServer,
  definition: ScriptDefinition,
  mode: Mode,
  timeout = 5_000,
  options: ScenarioOptions = {},
): Promise<ScenarioRun> {
  const key = server.scripts.add(definition);
  const visit = await lanes.visit(
    mode,
    `${server.url}/harness?mode=${mode}&key=${key}`,
    async (page) => {
      await page
        .locator('#record[data-done="true"]')
        .waitFor({ state: 'attached', timeout })
        .catch(() => undefined);
      return JSON.parse((await page.locator('#record').textContent()) || 'null') as Recording;
    },
    options.setup,
  );
  const { value: record, pageErrors, engine, transport } = visit;
  // Each run has its own key; the comparison is about everything else in the URL.
  if (record && record.url) record.url = record.url.split(`/script/${key}`).join('/script/{key}');
  // No page reads this key any more; a socket Chromium keeps to drain a cancelled body would
  // otherwise hold the server (and the kept page's connection pool) for up to 5 s.
  server.scripts.release(key);
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

export const test = base.extend<{ server: DemoServer }, { workerServer: DemoServer; lanes: Lanes }>({
  lanes: [
    async ({ browser }, use) => {
      const lanes = new Lanes(browser);
      await use(lanes);
      await lanes.close();
    },
    { scope: 'worker' },
  ],
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
