// ssekit/shared across pages of one Chromium context: one connection for many tabs (the six-connections limit of HTTP/1.1), hand-over when the leader closes, crashes or is frozen (exactly once, in order), close(), separate streams, headers in the leader only, the fallback, a worker.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import puppeteer from 'puppeteer-core';
import type { LogEntry } from '../demo-server/app.js';
import { chromiumPath } from './chromium.js';
import { expect, test, type DemoServer } from './fixtures';

// Every wait is bounded by this; none is a measure of speed.
const BOUND = 10_000;

let unique = 0;
/** A query string of its own per stream, to find its requests in the server's log. */
const tag = () => `tag=${Date.now()}-${unique++}`;

const requestsOf = (server: DemoServer, t: string): LogEntry[] => server.log.entries.filter((e) => e.path === '/shared/count' && e.url.includes(t));
const openRequests = (server: DemoServer, t: string) => requestsOf(server, t).filter((e) => e.closedAt === undefined);

type Api = 'SharedEventSource' | 'connectShared' | 'EventSource';

interface Start {
  api: Api;
  /** The stream's URL, relative to the page. */
  url: string;
  /** SharedEventSource's init, or connectShared's options without functions. */
  init?: Record<string, unknown>;
  /** connectShared: a headers function that counts its calls and sends X-Tab (and X-User when `user` is set). */
  tab?: string;
  user?: string;
}

/**
 * Opens `start.api` on `start.url` in `page`: each event's `n` goes to window.__events, other
 * events (as `open`, `error:readyState`) to window.__log, the page's freeze and resume to
 * window.__lifecycle; window.__source is the source. Resolves once the constructor returned.
 */
async function begin(page: Page, start: Start): Promise<void> {
  await page.evaluate(async ({ api, url, init, tab, user }) => {
    const w = window as unknown as Record<string, unknown> & { __events: unknown[]; __log: string[]; __lifecycle: string[]; __headerCalls: number };
    w.__events = [];
    w.__log = [];
    w.__lifecycle = [];
    w.__headerCalls = 0;
    for (const type of ['freeze', 'resume']) document.addEventListener(type, () => w.__lifecycle.push(type));
    const entry = '/dist/shared.mjs';
    const shared = api === 'EventSource' ? null : await import(entry);
    let source: EventTarget & { readyState: number };
    if (api === 'EventSource') source = new EventSource(url);
    else if (api === 'SharedEventSource') source = new shared.SharedEventSource(url, init);
    else {
      const options: Record<string, unknown> = { ...init, json: true };
      if (tab) {
        options['headers'] = () => {
          w.__headerCalls++;
          return user ? { 'X-Tab': tab, 'X-User': user } : { 'X-Tab': tab };
        };
      }
      source = shared.connectShared(url, options);
    }
    w['__source'] = source;
    source.addEventListener('message', (e) => {
      const data = (e as MessageEvent).data;
      w.__events.push(typeof data === 'string' ? JSON.parse(data) : data);
    });
    source.addEventListener('open', () => w.__log.push('open'));
    source.addEventListener('error', () => w.__log.push('error:' + source.readyState));
  }, start);
}

interface Received {
  n: number;
  tab: string | null;
  user: string | null;
}

const received = (page: Page) => page.evaluate(() => (window as unknown as { __events: Received[] }).__events);
const numbers = async (page: Page) => (await received(page)).map((e) => e.n);
const logOf = (page: Page) => page.evaluate(() => (window as unknown as { __log: string[] }).__log);

/** Waits until `page` has received events up to at least number `n`. */
async function until(page: Page, n: number): Promise<void> {
  await expect.poll(async () => Math.max(0, ...(await numbers(page))), { timeout: BOUND }).toBeGreaterThanOrEqual(n);
}

/** The record of a page: the server's sequence from its first event on, each number once, in order. */
function expectSequence(ns: number[], label: string): void {
  expect(ns.length, `${label}: received events`).toBeGreaterThan(0);
  const from = ns[0] as number;
  expect(ns, `${label}: the server's sequence from ${from}, exactly once, in order`).toEqual(ns.map((_, i) => from + i));
}

async function newPage(context: BrowserContext, server: DemoServer): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}/shared/blank`);
  return page;
}

async function pages(context: BrowserContext, server: DemoServer, count: number): Promise<Page[]> {
  const list: Page[] = [];
  for (let i = 0; i < count; i++) list.push(await newPage(context, server));
  return list;
}

/** Resolves with the stream's next request after `seen` requests and how long after `since` it reached the server (ms). */
async function nextRequest(server: DemoServer, t: string, seen: number, since: number): Promise<{ entry: LogEntry; ms: number }> {
  await expect.poll(() => requestsOf(server, t).length, { timeout: BOUND }).toBeGreaterThan(seen);
  const entry = requestsOf(server, t)[seen] as LogEntry;
  return { entry, ms: entry.time - since };
}

let context: BrowserContext;
test.beforeEach(async ({ browser }: { browser: Browser }) => {
  context = await browser.newContext();
});
test.afterEach(async () => {
  await context.close();
});

test.describe('ssekit/shared across pages (HTTP/1.1, one browser context)', () => {
  test('eight pages, one stream connection; the seventh page can still fetch, where six native EventSources stall it', async ({ server }) => {
    test.setTimeout(90_000);
    const t = tag();
    const shared = await pages(context, server, 8);
    for (const page of shared) await begin(page, { api: 'SharedEventSource', url: `/shared/count?${t}&every=200` });
    for (const page of shared) await until(page, 1);
    expect(requestsOf(server, t), 'the server saw one stream connection for eight pages').toHaveLength(1);
    const answer = await shared[6]?.evaluate(() => fetch('/shared/ping').then((r) => r.text()));
    expect(answer).toBe('pong');
    for (const page of shared) await page.close();

    // The same with the browser's EventSource: six connections fill the pool of the origin.
    const n = tag();
    const native = await pages(context, server, 7);
    for (const page of native.slice(0, 6)) await begin(page, { api: 'EventSource', url: `/shared/count?${n}&every=200` });
    await expect.poll(() => openRequests(server, n).length, { timeout: BOUND }).toBe(6);
    const seventh = native[6] as Page;
    const race = await seventh.evaluate(() => {
      const ping = fetch('/shared/ping?stalled').then((r) => r.text());
      (window as unknown as { __ping: Promise<string> }).__ping = ping;
      return Promise.race([ping, new Promise((resolve) => setTimeout(() => resolve('no answer within 2 s'), 2000))]);
    });
    expect(race).toBe('no answer within 2 s');
    expect(server.log.entries.filter((e) => e.url === '/shared/ping?stalled')).toHaveLength(0);
    // It was the pool: once a page lets its connection go, the request goes through.
    await native[0]?.close();
    expect(await seventh.evaluate(() => (window as unknown as { __ping: Promise<string> }).__ping)).toBe('pong');
  });

  for (const how of ['closed', 'navigated', 'crashed'] as const) {
    test(`leader page ${how}: the next page resumes with Last-Event-ID, unseen; every page's record is the server's sequence, exactly once`, async ({
      server,
    }) => {
      test.setTimeout(60_000);
      const t = tag();
      const url = `/shared/count?${t}&every=40`;
      const [leader, ...others] = await pages(context, server, 3);
      await begin(leader as Page, { api: 'SharedEventSource', url });
      await until(leader as Page, 3);
      for (const page of others) await begin(page, { api: 'SharedEventSource', url });
      for (const page of others) await until(page, 8);
      expect(requestsOf(server, t)).toHaveLength(1);
      const before = Math.max(...(await numbers(others[0] as Page)));
      const since = Date.now();
      if (how === 'closed') await leader?.close();
      // A navigation runs beforeunload, after which Chromium aborts the page's requests before
      // pagehide: the leader must have handed over by then, or the others see its connection fail.
      else if (how === 'navigated') await leader?.goto(`${server.url}/shared/blank?away`);
      else {
        const crashed = new Promise((resolve) => leader?.once('crash', resolve));
        const cdp = await context.newCDPSession(leader as Page);
        void cdp.send('Page.crash').catch(() => undefined);
        await crashed;
      }
      const { entry, ms } = await nextRequest(server, t, 1, since);
      console.log(`ssekit/shared hand-over, leader page ${how}: the new leader's request reached the server ${ms} ms later`);
      expect(Number(entry.headers['last-event-id'])).toBeGreaterThanOrEqual(before);
      for (const page of others) await until(page, Number(entry.headers['last-event-id']) + 10);
      for (const [i, page] of others.entries()) {
        expectSequence(await numbers(page), `page ${i + 2}`);
        expect(await logOf(page), 'the hand-over is unseen: one open, no error').toEqual(['open']);
      }
      expect(openRequests(server, t)).toHaveLength(1);
    });
  }

  test("a page's close() ends its own source only; the leader's close() hands over and the page gets nothing more", async ({ server }) => {
    test.setTimeout(60_000);
    const t = tag();
    const url = `/shared/count?${t}&every=40`;
    const [a, b, c] = (await pages(context, server, 3)) as [Page, Page, Page];
    await begin(a, { api: 'SharedEventSource', url });
    await until(a, 1);
    await begin(b, { api: 'SharedEventSource', url });
    await begin(c, { api: 'SharedEventSource', url });
    await until(c, 3);
    const closedAt = await b.evaluate(() => {
      const w = window as unknown as { __source: { close(): void; readyState: number }; __events: { n: number }[] };
      w.__source.close();
      return { readyState: w.__source.readyState, count: w.__events.length };
    });
    expect(closedAt.readyState).toBe(2);
    await until(c, Math.max(...(await numbers(c))) + 5);
    expect(requestsOf(server, t), "a follower's close() leaves the connection alone").toHaveLength(1);
    expect(await received(b)).toHaveLength(closedAt.count);
    const leaderCount = await a.evaluate(() => {
      const w = window as unknown as { __source: { close(): void }; __events: unknown[] };
      w.__source.close();
      return w.__events.length;
    });
    const { entry } = await nextRequest(server, t, 1, Date.now());
    await until(c, Number(entry.headers['last-event-id']) + 5);
    expect(await received(a)).toHaveLength(leaderCount);
    expectSequence(await numbers(c), 'the page that stayed');
    expect(openRequests(server, t)).toHaveLength(1);
  });

  test('different URLs or shareKeys are separate connections, and nothing of one stream reaches another', async ({ server }) => {
    test.setTimeout(60_000);
    const t = tag();
    const u = tag();
    const [a1, a2, b1, b2, other] = (await pages(context, server, 5)) as [Page, Page, Page, Page, Page];
    await begin(a1, { api: 'connectShared', url: `/shared/count?${t}`, tab: 'a1', user: 'alice', init: { shareKey: 'alice' } });
    await begin(a2, { api: 'connectShared', url: `/shared/count?${t}`, tab: 'a2', user: 'alice', init: { shareKey: 'alice' } });
    await begin(b1, { api: 'connectShared', url: `/shared/count?${t}`, tab: 'b1', user: 'bob', init: { shareKey: 'bob' } });
    await begin(b2, { api: 'connectShared', url: `/shared/count?${t}`, tab: 'b2', user: 'bob', init: { shareKey: 'bob' } });
    await begin(other, { api: 'connectShared', url: `/shared/count?${u}`, tab: 'o', user: 'alice', init: { shareKey: 'alice' } });
    for (const page of [a1, a2, b1, b2, other]) await until(page, 5);
    expect(requestsOf(server, t).map((e) => e.headers['x-user'])).toEqual(['alice', 'bob']);
    expect(requestsOf(server, u)).toHaveLength(1);
    for (const [page, user] of [
      [a1, 'alice'],
      [a2, 'alice'],
      [b1, 'bob'],
      [b2, 'bob'],
    ] as const) {
      const events = await received(page);
      expect(new Set(events.map((e) => e.user))).toEqual(new Set([user]));
      expect(new Set(events.map((e) => e.tab))).toEqual(new Set([user === 'alice' ? 'a1' : 'b1']));
    }
    expect(new Set((await received(other)).map((e) => e.tab))).toEqual(new Set(['o']));
  });

  test('a headers function runs in the page holding the connection only, and in the next one after a hand-over', async ({ server }) => {
    test.setTimeout(60_000);
    const t = tag();
    const url = `/shared/count?${t}`;
    const [a, b, c] = (await pages(context, server, 3)) as [Page, Page, Page];
    await begin(a, { api: 'connectShared', url, tab: 'a' });
    await until(a, 1);
    await begin(b, { api: 'connectShared', url, tab: 'b' });
    await begin(c, { api: 'connectShared', url, tab: 'c' });
    await until(c, 5);
    const calls = (page: Page) => page.evaluate(() => (window as unknown as { __headerCalls: number }).__headerCalls);
    expect([await calls(a), await calls(b), await calls(c)]).toEqual([1, 0, 0]);
    expect(requestsOf(server, t).map((e) => e.headers['x-tab'])).toEqual(['a']);
    await a.close();
    const { entry } = await nextRequest(server, t, 1, Date.now());
    expect(entry.headers['x-tab']).toBe('b');
    await until(c, Number(entry.headers['last-event-id']) + 3);
    expect([await calls(b), await calls(c)]).toEqual([1, 0]);
    expect(new Set((await received(c)).map((e) => e.tab))).toEqual(new Set(['a', 'b']));
    expectSequence(await numbers(c), 'page c');
  });

  test('without navigator.locks each page opens its own connection and behaves as an EventSource', async ({ browser, server }) => {
    test.setTimeout(60_000);
    const bare = await browser.newContext();
    await bare.addInitScript(() => {
      delete (Navigator.prototype as unknown as Record<string, unknown>)['locks'];
    });
    try {
      const t = tag();
      const list = await pages(bare, server, 3);
      expect(await list[0]?.evaluate(() => 'locks' in navigator)).toBe(false);
      for (const page of list) await begin(page, { api: 'SharedEventSource', url: `/shared/count?${t}` });
      for (const page of list) await until(page, 5);
      expect(requestsOf(server, t)).toHaveLength(3);
      for (const [i, page] of list.entries()) {
        expect(await numbers(page)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
        expectSequence(await numbers(page), `page ${i + 1}`);
        expect(await logOf(page)).toEqual(['open']);
      }
    } finally {
      await bare.close();
    }
  });

  test('a page and a worker of the origin share one connection', async ({ server }) => {
    test.setTimeout(60_000);
    const t = tag();
    const url = `/shared/count?${t}`;
    const [a, b] = (await pages(context, server, 2)) as [Page, Page];
    await begin(a, { api: 'SharedEventSource', url });
    await until(a, 1);
    const fromWorker = await b.evaluate(async (streamUrl) => {
      const code = `import { SharedEventSource } from '${location.origin}/dist/shared.mjs';
        const es = new SharedEventSource('${location.origin}${streamUrl}');
        const ns = [];
        es.onmessage = (e) => { ns.push(JSON.parse(e.data).n); if (ns.length === 5) { es.close(); postMessage(ns); } };`;
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
      return new Promise<number[]>((resolve) => (worker.onmessage = (e) => resolve(e.data as number[])));
    }, url);
    expectSequence(fromWorker, 'the worker');
    expect(requestsOf(server, t)).toHaveLength(1);
  });
});

// Chromium freezes only hidden pages (Page.setWebLifecycleState does nothing to a visible one), and
// Playwright keeps every page visible; so this test drives Chromium with puppeteer-core, where the
// pages of a window are tabs and all but the front one are hidden.
test('leader page frozen: it resigns, the next page resumes with Last-Event-ID; resumed, the frozen page has every event exactly once', async ({ server }) => {
  test.setTimeout(90_000);
  const chrome = await puppeteer.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const t = tag();
    const url = `/shared/count?${t}&every=40`;
    const tabs = [];
    for (let i = 0; i < 3; i++) {
      const tab = await chrome.newPage();
      await tab.goto(`${server.url}/shared/blank`);
      tabs.push(tab);
    }
    const [leader, b, c] = tabs as [(typeof tabs)[number], (typeof tabs)[number], (typeof tabs)[number]];
    const count = (tab: typeof leader) => tab.evaluate(() => (window as unknown as { __events: { n: number }[] }).__events.map((e) => e.n));
    const reach = async (tab: typeof leader, n: number) =>
      expect.poll(async () => Math.max(0, ...(await count(tab))), { timeout: BOUND }).toBeGreaterThanOrEqual(n);
    for (const tab of [leader, b, c]) await tab.evaluate(recorder, url);
    await reach(leader, 3);
    await reach(c, 5);
    expect(await leader.evaluate(() => document.visibilityState)).toBe('hidden');
    const session = await leader.createCDPSession();
    const since = Date.now();
    await session.send('Page.setWebLifecycleState', { state: 'frozen' });
    const { entry, ms } = await nextRequest(server, t, 1, since);
    console.log(`ssekit/shared hand-over, leader page frozen: the new leader's request reached the server ${ms} ms later`);
    const resumedFrom = Number(entry.headers['last-event-id']);
    await reach(c, resumedFrom + 10);
    await session.send('Page.setWebLifecycleState', { state: 'active' });
    await reach(leader, resumedFrom + 10);
    expect(await leader.evaluate(() => (window as unknown as { __lifecycle: string[] }).__lifecycle)).toEqual(['freeze', 'resume']);
    for (const [name, tab] of [
      ['the frozen page', leader],
      ['page 2', b],
      ['page 3', c],
    ] as const) {
      expectSequence(await count(tab), name);
      expect(await tab.evaluate(() => (window as unknown as { __log: string[] }).__log)).toEqual(['open']);
    }
    expect(openRequests(server, t)).toHaveLength(1);
  } finally {
    await chrome.close();
  }
});

// The recorder of begin() for SharedEventSource, as a function puppeteer can evaluate.
async function recorder(url: string): Promise<void> {
  const w = window as unknown as Record<string, unknown> & { __events: unknown[]; __log: string[]; __lifecycle: string[] };
  w.__events = [];
  w.__log = [];
  w.__lifecycle = [];
  for (const type of ['freeze', 'resume']) document.addEventListener(type, () => w.__lifecycle.push(type));
  const entry = '/dist/shared.mjs';
  const { SharedEventSource } = await import(entry);
  const source = new SharedEventSource(url);
  source.addEventListener('message', (e: MessageEvent) => w.__events.push(JSON.parse(e.data)));
  source.addEventListener('open', () => w.__log.push('open'));
  source.addEventListener('error', () => w.__log.push('error:' + source.readyState));
}
