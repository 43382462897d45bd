// The page's lifecycle in Chromium: the back/forward cache (native EventSource, ssekit's EventSource and connect(), modern and IE-class pages), frozen pages (EventSource against native, connect()), hidden pages with pauseWhenHidden, offline (EventSource against native, connect()), as the page and the server see them.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';
import puppeteer, { type Browser as PuppeteerBrowser, type Page as PuppeteerPage } from 'puppeteer-core';
import type { LogEntry, ScriptDefinition } from '../demo-server/app.js';
import { CHROMIUM_FLAGS, chromiumPath, DEBIAN_HEADLESS_SHELL, testChromium } from './chromium.js';
import { expect, test as base, type DemoServer } from './fixtures';
import { held, RETRY } from './records';

/** One entry of the lifecycle page's log (demo-server/pages.js, LIFECYCLE_RECORDER). */
interface Entry {
  type: string;
  readyState: number;
  /** Requests the page's engine had started by then (fetch and XHR; native EventSource uses neither). */
  requests: number;
  data?: string;
  lastEventId?: string;
  error?: string;
  persisted?: boolean;
  visibilityState?: string;
}

type Mode = 'native' | 'modern' | 'legacy';
type Api = 'eventsource' | 'connect';

// Bounds of the waits below (the page's and the server's): a step of these tests takes ~0.1 s.
const STEP = 10_000;

const test = base.extend<object, { cachingBrowser: Browser; puppeteerBrowser: PuppeteerBrowser }>({
  // Debian's headless shell keeps no page in a back/forward cache (its browser delegate disables
  // it: Page.backForwardCacheNotUsed says BackForwardCacheDisabledForDelegate), so these tests
  // run the full Chromium (Playwright's own, else /usr/bin/chromium), without the
  // --disable-back-forward-cache that Playwright adds by default.
  cachingBrowser: [
    // Playwright reads a fixture's dependencies from this destructuring pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_FLAGS], ignoreDefaultArgs: ['--disable-back-forward-cache'] });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  // Playwright turns on focus emulation in every page it drives, which keeps the page visible:
  // Page.setWebLifecycleState('frozen') then neither hides nor freezes it. puppeteer-core's pages
  // do not, so the frozen and hidden tests drive the e2e Chromium through it.
  puppeteerBrowser: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const path = testChromium().path ?? (existsSync(DEBIAN_HEADLESS_SHELL) ? DEBIAN_HEADLESS_SHELL : chromium.executablePath());
      const browser = await puppeteer.launch({ executablePath: path, headless: true, args: [...CHROMIUM_FLAGS] });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

/** Reads the lifecycle page's #log (through the DOM: the IE-class page deleted what a script of the driver's might need). */
type LogReader = () => Promise<string | null>;
const playwrightLog =
  (page: Page): LogReader =>
  () =>
    page.locator('#log').textContent();
const puppeteerLog =
  (page: PuppeteerPage): LogReader =>
  () =>
    page.$eval('#log', (element) => element.textContent);

// Without the page's first pageshow (persisted false), which comes before or after the stream's
// first events as the load happens to go.
async function readLog(read: LogReader): Promise<Entry[]> {
  return (JSON.parse((await read()) || '[]') as Entry[]).filter((e) => e.persisted !== false);
}

/** Waits (bounded) until the page's log satisfies `done`, and returns it. */
async function logWhen(read: LogReader, done: (log: Entry[]) => boolean, what: string): Promise<Entry[]> {
  let log: Entry[] = [];
  try {
    await expect
      .poll(
        async () => {
          log = await readLog(read);
          return done(log);
        },
        { timeout: STEP },
      )
      .toBe(true);
  } catch (error) {
    throw new Error(`${what}: not within ${STEP} ms; the page's log: ${JSON.stringify(log)}`, { cause: error });
  }
  return log;
}

const messages = (log: Entry[]) => log.filter((e) => e.type === 'message');
/** The log as `type readyState[ data/lastEventId][ persisted]` lines, the form compared below. */
const lines = (log: Entry[]) =>
  log.map(
    (e) =>
      `${e.type} ${e.readyState}` +
      (e.data !== undefined ? ` ${e.data}/${e.lastEventId}` : '') +
      (e.error ? ` ${e.error}` : '') +
      (e.persisted !== undefined ? ` persisted=${e.persisted}` : '') +
      (e.visibilityState ? ` ${e.visibilityState}` : ''),
  );

/** What the server saw of one connection: its Last-Event-ID, and whether it was over when asked. */
const seen = (entry: LogEntry) => ({ lastEventId: entry.headers['last-event-id'] ?? null, closed: entry.closedAt !== undefined });

function lifecycleUrl(server: DemoServer, mode: Mode, definition: ScriptDefinition): { url: string; key: string } {
  const key = server.scripts.add(definition);
  return { key, url: `${server.url}/lifecycle?mode=${mode}&key=${key}` };
}

/** Waits (bounded) until the server has seen the first connection of `key` end. */
async function firstConnectionClosed(server: DemoServer, key: string): Promise<void> {
  await expect.poll(() => server.log.forKey(key)[0]?.closedAt !== undefined, { timeout: STEP, message: 'the first connection ends' }).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// The back/forward cache: navigate away and back; the server keeps the socket, or kills it
// silently while the page is cached.
// ---------------------------------------------------------------------------------------------

const CACHED: Array<[Mode, Api]> = [
  ['native', 'eventsource'],
  ['modern', 'eventsource'],
  ['legacy', 'eventsource'],
  ['modern', 'connect'],
  ['legacy', 'connect'],
];

for (const [mode, api] of CACHED) {
  for (const kill of [false, true]) {
    const how = kill ? 'the server kills the socket silently while the page is cached' : 'the server keeps the socket';
    test(`back/forward cache, ${api === 'connect' ? 'connect()' : 'EventSource'} in the ${mode} page, ${how}`, async ({ cachingBrowser, server }) => {
      const { key, url } = lifecycleUrl(server, mode, {
        connections: [held(RETRY + 'id: 1\ndata: a\n\n'), held('id: 2\ndata: b\n\n')],
        // A native reconnection would come 50 ms after an error; the control stream reconnects after 600 ms.
        legs: {
          ctl: [
            { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' }, chunks: ['retry: 600\ndata: 1\n\n'], end: 'end' },
            held('data: 2\n\n'),
          ],
        },
        page: { api },
      });
      const context = await cachingBrowser.newContext();
      try {
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Page.enable');
        const notUsed: unknown[] = [];
        cdp.on('Page.backForwardCacheNotUsed', (event) => notUsed.push(event.notRestoredExplanations));
        const log = playwrightLog(page);
        await page.goto(url);
        await logWhen(log, (l) => messages(l).length === 1, 'the first event arrives');
        await page.goto(`${server.url}/lifecycle/away`);
        // ssekit aborts its request on pagehide: the first connection ends while the page is
        // cached, unless the server kills it first.
        if (kill) server.scripts.release(key);
        if (kill || mode !== 'native') await firstConnectionClosed(server, key);
        await page.goBack({ waitUntil: 'commit' });

        // Entering the cache, the page is hidden and frozen; restored, resumed, visible and shown.
        const restore = ['visibilitychange', 'freeze', 'resume', 'visibilitychange', 'pageshow'];
        if (mode === 'native') {
          await logWhen(log, (l) => l.some((e) => e.type === 'pageshow'), 'the page is shown again');
          if (!kill) {
            // Chromium keeps the connection of a cached page's EventSource, and the restored
            // source goes on with it, OPEN,
            // without reconnecting: by the time a control stream has reconnected once (after
            // 600 ms), a reconnection (after 50 ms) would have shown. whatwg/html#12381 would have
            // it closed on entry and reestablished on restore, as ssekit does.
            await page.evaluate(
              (ctl) =>
                new Promise<void>((resolve) => {
                  const es = new EventSource(ctl);
                  let n = 0;
                  es.onmessage = () => {
                    if (++n < 2) return;
                    es.close();
                    resolve();
                  };
                }),
              `/script/${key}/ctl`,
            );
            expect(lines(await readLog(log))).toEqual([
              'open 1',
              'message 1 a/1',
              'pagehide 1 persisted=true',
              'visibilitychange 1 hidden',
              'freeze 1',
              'resume 1',
              'visibilitychange 1 visible',
              'pageshow 1 persisted=true',
            ]);
            expect(
              server.log
                .forKey(key)
                .filter((e) => e.leg === '')
                .map(seen),
            ).toEqual([{ lastEventId: null, closed: false }]);
          } else {
            // The socket the server killed is reported once the page is restored: the source
            // reestablishes the connection after an error event.
            const entries = await logWhen(log, (l) => messages(l).length === 2, 'the restored page reconnects');
            expect(lines(entries)).toEqual([
              'open 1',
              'message 1 a/1',
              'pagehide 1 persisted=true',
              'visibilitychange 1 hidden',
              'freeze 1',
              'resume 1',
              'visibilitychange 1 visible',
              'pageshow 1 persisted=true',
              'error 0',
              'open 1',
              'message 1 b/2',
            ]);
            expect(server.log.forKey(key).map(seen)).toEqual([
              { lastEventId: null, closed: true },
              { lastEventId: '1', closed: false },
            ]);
          }
        } else {
          const entries = await logWhen(log, (l) => messages(l).length === 2, 'the restored page reconnects');
          if (api === 'eventsource') {
            // The source stays OPEN until its pageshow listener (which runs before the page's)
            // reestablishes the connection: CONNECTING, no error event.
            expect(lines(entries)).toEqual([
              'open 1',
              'message 1 a/1',
              'pagehide 1 persisted=true',
              'visibilitychange 1 hidden',
              'freeze 1',
              'resume 1',
              'visibilitychange 1 visible',
              'pageshow 0 persisted=true',
              'open 1',
              'message 1 b/2',
            ]);
          } else {
            // connect()'s stream is CONNECTING from pagehide on and reconnects when the page is
            // resumed, the first of the events of the restore: its response may come before the
            // others, so the stream's events and the page's are compared apart. No error event.
            expect(lines(entries.filter((e) => !e.persisted && !restore.includes(e.type)))).toEqual(['open 1', 'message 1 a/1', 'open 1', 'message 1 b/2']);
            expect(entries.filter((e) => e.persisted || restore.includes(e.type)).map((e) => `${e.type} requests=${e.requests}`)).toEqual([
              'pagehide requests=1',
              'visibilitychange requests=1',
              'freeze requests=1',
              'resume requests=2',
              'visibilitychange requests=2',
              'pageshow requests=2',
            ]);
            expect(entries.find((e) => e.type === 'pagehide')?.readyState).toBe(0);
          }
          expect(server.log.forKey(key).map(seen)).toEqual([
            { lastEventId: null, closed: true },
            { lastEventId: '1', closed: false },
          ]);
        }
        // The page was restored from the cache (pageshow persisted above), and nothing kept it out.
        expect(notUsed).toEqual([]);
      } finally {
        await context.close();
        server.scripts.release(key);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// connect(): frozen and hidden pages (puppeteer-core, see puppeteerBrowser), offline (the
// context's offline emulation).
// ---------------------------------------------------------------------------------------------

/** Opens the lifecycle page in a tab of its own; returns it with its DevTools session. */
async function puppeteerTab(browser: PuppeteerBrowser, url: string) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultNavigationTimeout(STEP);
  await page.goto(url, { waitUntil: 'load' });
  const cdp = await page.createCDPSession();
  return { page, cdp, close: () => context.close() };
}

for (const mode of ['modern', 'legacy'] as const) {
  test(`connect() in the ${mode} page: frozen, the request is closed; resumed, it reconnects at once with Last-Event-ID, no error`, async ({
    puppeteerBrowser,
    server,
  }) => {
    const { key, url } = lifecycleUrl(server, mode, {
      connections: [held('id: 1\ndata: a\n\n'), held('id: 2\ndata: b\n\n')],
      page: { api: 'connect', options: { retry: { initial: 600_000, min: 600_000, max: 600_000 } } },
    });
    const tab = await puppeteerTab(puppeteerBrowser, url);
    const log = puppeteerLog(tab.page);
    try {
      await logWhen(log, (l) => messages(l).length === 1, 'the first event arrives');
      await tab.cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
      await firstConnectionClosed(server, key);
      await tab.cdp.send('Page.setWebLifecycleState', { state: 'active' });
      const entries = await logWhen(log, (l) => messages(l).length === 2, 'the resumed page reconnects');
      // Freezing hides the page first; a hidden page keeps its stream (no pauseWhenHidden).
      expect(lines(entries)).toEqual(['open 1', 'message 1 a/1', 'visibilitychange 1 hidden', 'freeze 0', 'resume 0', 'open 1', 'message 1 b/2']);
      expect(server.log.forKey(key).map(seen)).toEqual([
        { lastEventId: null, closed: true },
        { lastEventId: '1', closed: false },
      ]);
    } finally {
      await tab.close();
      server.scripts.release(key);
    }
  });

  test(`connect() in the ${mode} page with pauseWhenHidden: hidden, no request, resumed or not; visible, it reconnects at once with Last-Event-ID`, async ({
    puppeteerBrowser,
    server,
  }) => {
    const { key, url } = lifecycleUrl(server, mode, {
      connections: [held('id: 1\ndata: a\n\n'), held('id: 2\ndata: b\n\n')],
      page: { api: 'connect', options: { pauseWhenHidden: true } },
    });
    const tab = await puppeteerTab(puppeteerBrowser, url);
    const log = puppeteerLog(tab.page);
    try {
      await logWhen(log, (l) => messages(l).length === 1, 'the first event arrives');
      // Frozen, then resumed: the page stays hidden (visible again only with focus emulation).
      await tab.cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
      await firstConnectionClosed(server, key);
      await tab.cdp.send('Page.setWebLifecycleState', { state: 'active' });
      await logWhen(log, (l) => l.some((e) => e.type === 'resume'), 'the page is resumed');
      await tab.cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true });
      const entries = await logWhen(log, (l) => messages(l).length === 2, 'the visible page reconnects');
      // `requests` counts what the engine started: one request until the page is visible again.
      expect(entries.map((e) => `${lines([e])[0]} requests=${e.requests}`)).toEqual([
        'open 1 requests=1',
        'message 1 a/1 requests=1',
        'visibilitychange 0 hidden requests=1',
        'freeze 0 requests=1',
        'resume 0 requests=1',
        'visibilitychange 0 visible requests=2',
        'open 1 requests=2',
        'message 1 b/2 requests=2',
      ]);
      expect(server.log.forKey(key).map(seen)).toEqual([
        { lastEventId: null, closed: true },
        { lastEventId: '1', closed: false },
      ]);
    } finally {
      await tab.close();
      server.scripts.release(key);
    }
  });

  test(`connect() in the ${mode} page offline: failures count no attempt toward retry.maxAttempts; back online, it reconnects`, async ({ browser, server }) => {
    const { key, url } = lifecycleUrl(server, mode, {
      connections: [held('id: 1\ndata: a\n\n'), held('id: 2\ndata: b\n\n')],
      page: { api: 'connect', options: { retry: { maxAttempts: 1, initial: 100, min: 100, max: 100 } } },
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const log = playwrightLog(page);
      await page.goto(url);
      await logWhen(log, (l) => messages(l).length === 1, 'the first event arrives');
      await context.setOffline(true);
      await logWhen(log, (l) => l.some((e) => e.type === 'offline'), 'the page is offline');
      // The connection breaks; offline, every attempt fails at once, and none counts.
      server.scripts.release(key);
      await logWhen(log, (l) => l.filter((e) => e.type === 'error').length >= 3, 'three failures offline');
      await context.setOffline(false);
      const entries = await logWhen(log, (l) => messages(l).length === 2, 'back online, the stream reconnects');
      expect(entries.filter((e) => e.type === 'close')).toEqual([]);
      expect(new Set(entries.filter((e) => e.type === 'error').map((e) => e.error))).toEqual(new Set(['NetworkError']));
      expect(server.log.forKey(key).map(seen)).toEqual([
        { lastEventId: null, closed: true },
        { lastEventId: '1', closed: false },
      ]);
    } finally {
      await context.close();
      server.scripts.release(key);
    }
  });

  test(`connect() in the ${mode} page: the online event ends a backoff wait at once`, async ({ browser, server }) => {
    const { key, url } = lifecycleUrl(server, mode, {
      connections: [held('id: 1\ndata: a\n\n'), held('id: 2\ndata: b\n\n')],
      // Ten minutes: only the online event can bring the reconnection within the test's bounds.
      page: { api: 'connect', options: { retry: { initial: 600_000, min: 600_000, max: 600_000 } } },
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const log = playwrightLog(page);
      await page.goto(url);
      await logWhen(log, (l) => messages(l).length === 1, 'the first event arrives');
      await context.setOffline(true);
      await logWhen(log, (l) => l.some((e) => e.type === 'offline'), 'the page is offline');
      server.scripts.release(key);
      await logWhen(log, (l) => l.some((e) => e.type === 'error'), 'the failure');
      await context.setOffline(false);
      const entries = await logWhen(log, (l) => messages(l).length === 2, 'online, the stream reconnects');
      expect(lines(entries)).toEqual(['open 1', 'message 1 a/1', 'offline 1', 'error 0 NetworkError', 'online 0', 'open 1', 'message 1 b/2']);
      expect(server.log.forKey(key).map((e) => e.headers['last-event-id'] ?? null)).toEqual([null, '1']);
    } finally {
      await context.close();
      server.scripts.release(key);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// EventSource while frozen and offline: ssekit's, in both pages, records what native records.
// ---------------------------------------------------------------------------------------------

/** Consecutive error events as one: how many a source fires while offline depends on how long it is. */
const collapsed = (l: string[]) => l.filter((line, i) => !(line.startsWith('error ') && l[i - 1] === line));

for (const mode of ['native', 'modern', 'legacy'] as const) {
  test(`EventSource in the ${mode} page: the server ends the stream while the page is frozen; resumed, the source reconnects with Last-Event-ID after an error event`, async ({
    puppeteerBrowser,
    server,
  }) => {
    const { key, url } = lifecycleUrl(server, mode, {
      connections: [held(RETRY + 'id: 1\ndata: a\n\n'), held('id: 2\ndata: b\n\n')],
      page: { api: 'eventsource' },
    });
    const tab = await puppeteerTab(puppeteerBrowser, url);
    const log = puppeteerLog(tab.page);
    try {
      await logWhen(log, (l) => messages(l).length === 1, 'the first event arrives');
      await tab.cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
      server.scripts.release(key);
      await firstConnectionClosed(server, key);
      await tab.cdp.send('Page.setWebLifecycleState', { state: 'active' });
      const entries = await logWhen(log, (l) => messages(l).length === 2, 'the resumed page reconnects');
      // A frozen page runs no task: the end of the stream is seen once it is resumed. Neither
      // native nor ssekit's EventSource closes its request when frozen (connect() does).
      expect(lines(entries)).toEqual(['open 1', 'message 1 a/1', 'visibilitychange 1 hidden', 'freeze 1', 'resume 1', 'error 0', 'open 1', 'message 1 b/2']);
      expect(server.log.forKey(key).map(seen)).toEqual([
        { lastEventId: null, closed: true },
        { lastEventId: '1', closed: false },
      ]);
    } finally {
      await tab.close();
      server.scripts.release(key);
    }
  });

  test(`EventSource in the ${mode} page offline: the connection is kept; once it ends, every reconnection fails (error, CONNECTING) until the page is online`, async ({
    browser,
    server,
  }) => {
    const { key, url } = lifecycleUrl(server, mode, {
      // A third, as the second: see below.
      connections: [held(RETRY + 'id: 1\ndata: a\n\n'), held('id: 2\ndata: b\n\n'), held('id: 2\ndata: b\n\n')],
      page: { api: 'eventsource' },
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const log = playwrightLog(page);
      await page.goto(url);
      await logWhen(log, (l) => messages(l).length === 1, 'the first event arrives');
      await context.setOffline(true);
      await logWhen(log, (l) => l.some((e) => e.type === 'offline'), 'the page is offline');
      // Chromium's offline emulation fails new requests only.
      expect(server.log.forKey(key).map(seen)).toEqual([{ lastEventId: null, closed: false }]);
      server.scripts.release(key);
      await logWhen(log, (l) => l.filter((e) => e.type === 'error').length >= 3, 'three failures offline');
      await context.setOffline(false);
      const entries = await logWhen(log, (l) => messages(l).length === 2, 'back online, the source reconnects');
      // A request in flight at the switch may still fail after the online event: with fetch, ssekit's
      // no-cors probe of that failure can reach the server (taking the second connection) before
      // the page hears of the failure. At most that one failure follows online; the probe, which
      // asks for any type (Accept */*), is not a connection of the stream.
      const after = collapsed(lines(entries));
      const online = after.indexOf('online 0');
      if (after[online + 1] === 'error 0') after.splice(online + 1, 1);
      expect(after).toEqual(['open 1', 'message 1 a/1', 'offline 1', 'error 0', 'online 0', 'open 1', 'message 1 b/2']);
      const streamRequests = server.log.forKey(key).filter((entry) => entry.headers['accept'] === 'text/event-stream');
      expect(streamRequests.map(seen)).toEqual([
        { lastEventId: null, closed: true },
        { lastEventId: '1', closed: false },
      ]);
    } finally {
      await context.close();
      server.scripts.release(key);
    }
  });
}
