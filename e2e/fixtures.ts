// Playwright fixtures: one demo server per worker on 127.0.0.1 (OS-picked port), its request log, and runScenario() to play a scripted stream in one mode.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test as base, expect } from '@playwright/test';
import { createApp, type LogEntry, type ScriptDefinition } from '../demo-server/app.js';
import { engineOf, launchEngine, type Engine, type Tab, type TestCookie } from './engines';

export { expect };

export type Mode = 'native' | 'modern' | 'legacy';
export const MODES: readonly Mode[] = ['native', 'modern', 'legacy'];
/** The harness page's modes: the three above, and `shared` (a modern page whose source is ssekit/shared's SharedEventSource). */
export type HarnessMode = Mode | 'shared';
/** The page of each mode in the seed demo. */
export const SEED_PATHS: Record<Mode, string> = { native: '/', modern: '/modern', legacy: '/legacy' };

export interface DemoServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every request but static files, with how its response ended. */
  log: ReturnType<typeof createApp>['log'];
  scripts: ReturnType<typeof createApp>['scripts'];
  /** What the test pages reported (POST /report/KEY). */
  reports: ReturnType<typeof createApp>['reports'];
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
  mode: HarnessMode;
  record: Recording;
  requests: RequestSummary[];
  /** Milliseconds from the first request to each one: for reading failures, never asserted. */
  timing: number[];
  pageErrors: string[];
  /** What the page ran: 'native' or 'ssekit', and the requests it made per API (see pages.js). */
  engine: string | null;
  transport: { xhr: number; fetch: number };
  /** The globals the page lacked before its engine loaded (see pages.js). */
  missing: string[];
  /** The server's log entries of this run's key (every leg, preflights too), in arrival order. */
  entries: LogEntry[];
}

export interface ScenarioOptions {
  /** Cookies the mode's tab holds when the page opens (cleared after each scenario). */
  cookies?: TestCookie[];
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

/** What a test page sends when it is done (see `report` in demo-server/pages.js). */
export interface PageReport<T> {
  /** What the page found: a record, a batch of records, a seed page's lines. */
  payload: T;
  /** 'native' or 'ssekit' ('' when the page reported before its engine was known). */
  engine: string | null;
  /** The requests the page's engine made per API. */
  transport: { xhr: number; fetch: number };
  /** The globals the page lacked before its engine loaded. */
  missing: string[];
  /** The page's uncaught errors, in order. */
  pageErrors: string[];
}

interface RawReport {
  payload: unknown;
  engine: string;
  transport: { xhr: number; fetch: number };
  missing: string[];
  errors: string[];
}

/**
 * One tab per mode, kept open across the tests a worker runs, in the worker's engine: each visit
 * navigates it to a test page, waits for that page's report to reach the server, and leaves it
 * for about:blank, which ends every request the page made. A new context and page cost 0.4-1 s
 * each on our 2-core machines (a new WebKit session more), a navigation ~0.1 s. Visits stay
 * isolated: each has its own document, scripted stream keys and URLs (so nothing cached or
 * preflighted carries over), cookies are cleared after each, and runScenario releases a
 * scenario's server-side connections before the next.
 *
 * Pages report to the server (POST /report/KEY) instead of being read through the driver: the
 * same in every engine, and WebKit's WebDriver runs its scripts in the page's own world, where
 * the IE-class page deleted the Promise and Map they need.
 */
export class Lanes {
  private readonly tabs = new Map<HarnessMode, Promise<Tab>>();

  constructor(readonly engine: Engine) {}

  private tab(mode: HarnessMode): Promise<Tab> {
    let tab = this.tabs.get(mode);
    if (!tab) {
      tab = this.engine.newTab();
      this.tabs.set(mode, tab);
      // A tab that failed to open is not kept: the next visit tries again.
      tab.catch(() => this.tabs.delete(mode));
    }
    return tab;
  }

  /** Drops the tab of `mode`: the next visit opens a fresh one. */
  private async discard(mode: HarnessMode): Promise<void> {
    const tab = this.tabs.get(mode);
    this.tabs.delete(mode);
    if (tab) await tab.then((t) => t.close()).catch(() => undefined);
  }

  /**
   * Opens `url` (a page of `server` that reports as `key`) in the tab of `mode`, holding
   * `cookies`, and returns its report, or undefined when none reached the server within `timeout` ms of the
   * navigation's start. A visit whose navigation throws discards the tab (its state is unknown)
   * and rethrows.
   */
  async visit<T>(server: DemoServer, mode: HarnessMode, url: string, key: string, timeout: number, cookies?: TestCookie[]): Promise<PageReport<T> | undefined> {
    const tab = await this.tab(mode);
    try {
      if (cookies?.length) await tab.addCookies(cookies);
      const report = server.reports.take(key, timeout);
      await tab.goto(url);
      const raw = (await report) as RawReport | undefined;
      // Leaving the document ends whatever it still has open, as closing a context does.
      await tab.goto('about:blank');
      if (cookies?.length) await tab.clearCookies();
      if (!raw) return undefined;
      return { payload: raw.payload as T, engine: raw.engine, transport: raw.transport, missing: raw.missing, pageErrors: raw.errors };
    } catch (error) {
      await this.discard(mode);
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.tabs.keys()].map((mode) => this.discard(mode)));
  }
}

/** The record a harness page that never reported stands for. */
const NO_RECORD: Recording = { url: null, readyStateAtStart: null, readyStateAtEnd: null, events: [], thrown: null, done: false };

/**
 * Plays `definition` to a harness page in `mode` and returns what the page recorded and what the
 * server saw, in the mode's kept tab (see Lanes). The page reports when its stop condition is
 * met, or after `timeout` ms with what it has (`record.done` false); then the tab leaves the
 * page, the server closes what it still holds of the scenario and waits to see every
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
  mode: HarnessMode,
  timeout = 5_000,
  options: ScenarioOptions = {},
): Promise<ScenarioRun> {
  const key = server.scripts.add(definition);
  // The page's own timer reports after `timeout`; the margin covers loading the page.
  const report = await lanes.visit<Recording>(
    server,
    mode,
    `${server.url}/harness?mode=${mode}&key=${key}&reportAfter=${timeout}`,
    key,
    timeout + 10_000,
    options.cookies,
  );
  const record = report ? report.payload : NO_RECORD;
  const pageErrors = report ? report.pageErrors : [`${mode}: the harness page sent no report within ${timeout + 10_000} ms`];
  const engine = report ? report.engine : null;
  const transport = report ? report.transport : { xhr: 0, fetch: 0 };
  const missing = report ? report.missing : [];
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
    missing,
    entries,
  };
}

export const test = base.extend<{ server: DemoServer }, { workerServer: DemoServer; engine: Engine; lanes: Lanes }>({
  engine: [
    async ({ playwright }, use, workerInfo) => {
      const name = engineOf(workerInfo.project.name);
      const engine = await launchEngine(name, playwright.chromium, workerInfo.project.use.launchOptions ?? {});
      await use(engine);
      await engine.close();
    },
    // Firefox takes ~5 s to start on our machines, more when the other core is busy.
    { scope: 'worker', timeout: 60_000 },
  ],
  lanes: [
    async ({ engine }, use) => {
      const lanes = new Lanes(engine);
      await use(lanes);
      await lanes.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  workerServer: [
    // Playwright reads a fixture's dependencies from this destructuring pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const app = createApp();
      const httpServer = app.listen(0, '127.0.0.1');
      await once(httpServer, 'listening');
      const { port } = httpServer.address() as AddressInfo;
      await use({ url: `http://127.0.0.1:${port}`, log: app.log, scripts: app.scripts, reports: app.reports });
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
    { scope: 'worker' },
  ],
  server: async ({ workerServer }, use) => use(workerServer),
  baseURL: async ({ workerServer }, use) => use(workerServer.url),
});
