// The back/forward cache in Firefox and WebKit, through the engine adapters: whether a page with a stream is cached and restored, and what its stream does then (Chromium's: lifecycle.spec.ts).
import type { ScriptDefinition } from '../demo-server/app.js';
import type { Tab } from './engines';
import { expect, test as base, type DemoServer, type Mode } from './fixtures';
import { held, RETRY } from './records';

type Api = 'eventsource' | 'connect';
/** One entry of the lifecycle page's log (demo-server/pages.js, LIFECYCLE_RECORDER). */
interface Entry {
  type: string;
  readyState: number;
  data?: string;
  lastEventId?: string;
  error?: string;
  persisted?: boolean;
  visibilityState?: string;
}

const STEP = 10_000;

// One tab of the worker's engine for the tests of this file (history and all).
const test = base.extend<object, { historyTab: Tab }>({
  historyTab: [
    async ({ engine }, use) => {
      const tab = await engine.newTab();
      await use(tab);
      await tab.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

/** What the lifecycle page reports (`report: true`): its log so far. */
interface Report {
  log: Entry[];
}

/**
 * Reads the reports of the lifecycle page of `key` (KEY.1, KEY.2, ... in the order the page sent
 * them): each call takes those that arrived (waiting up to 200 ms for the first) and returns the
 * log of the last.
 */
function reportReader(server: DemoServer, key: string): () => Promise<Entry[]> {
  let next = 1;
  let log: Entry[] = [];
  return async () => {
    for (let wait = 200; ; wait = 0) {
      const report = (await server.reports.take(`${key}.${next}`, wait)) as Report | undefined;
      if (!report) return log;
      next++;
      log = report.log;
    }
  };
}

async function logWhen(read: () => Promise<Entry[]>, done: (log: Entry[]) => boolean, what: string): Promise<Entry[]> {
  let log: Entry[] = [];
  try {
    await expect
      .poll(
        async () => {
          log = await read();
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

const lines = (log: Entry[]) =>
  log.map(
    (e) =>
      `${e.type} ${e.readyState}` +
      (e.data !== undefined ? ` ${e.data}/${e.lastEventId}` : '') +
      (e.error ? ` ${e.error}` : '') +
      (e.persisted !== undefined ? ` persisted=${e.persisted}` : '') +
      (e.visibilityState ? ` ${e.visibilityState}` : ''),
  );

function lifecycleUrl(server: DemoServer, mode: Mode, definition: ScriptDefinition) {
  const key = server.scripts.add(definition);
  return { key, url: `${server.url}/lifecycle?mode=${mode}&key=${key}` };
}

const PAGES: Array<[Mode, Api]> = [
  ['native', 'eventsource'],
  ['modern', 'eventsource'],
  ['legacy', 'eventsource'],
  ['modern', 'connect'],
  ['legacy', 'connect'],
];

/** Consecutive error events as one: how many come while the page is being left is timing. */
const collapsed = (l: string[]) => l.filter((line, i) => !(line.startsWith('error ') && l[i - 1] === line));
const PAGE_EVENTS = ['pageshow', 'pagehide', 'visibilitychange', 'freeze', 'resume'];

for (const [mode, api] of PAGES) {
  test(`back/forward cache, ${api === 'connect' ? 'connect()' : 'EventSource'} in the ${mode} page: away and back while the server keeps the socket`, async ({
    engine,
    historyTab,
    server,
  }) => {
    const { key, url } = lifecycleUrl(server, mode, {
      // A third connection as the second: see Firefox below.
      connections: [held(RETRY + 'id: 1\ndata: a\n\n'), held('id: 2\ndata: b\n\n'), held('id: 2\ndata: b\n\n')],
      page: { api, report: true },
    });
    const read = reportReader(server, key);
    try {
      await historyTab.goto(url);
      await logWhen(read, (l) => l.some((e) => e.type === 'message'), 'the first event arrives');
      await historyTab.goto(`${server.url}/lifecycle/away`);
      await historyTab.back();
      const log = collapsed(lines(await logWhen(read, (l) => l.some((e) => e.data === 'b'), 'the second event arrives')));
      const requests = server.log.forKey(key).map((e) => ({ lastEventId: e.headers['last-event-id'] ?? null, closed: e.closedAt !== undefined }));
      if (engine.name === 'firefox') {
        // Firefox keeps no page with a request in flight in its cache (the control below shows it
        // keeps others): going back loads the page anew, a new document, a new stream.
        expect(log).toEqual(['pageshow 0 persisted=false', 'open 1', 'message 1 b/2']);
        // Leaving the page, Firefox may end ssekit's request before the page is unloaded: ssekit
        // then reconnects, from the page being left (Last-Event-ID 1), if that page lasts past the
        // reconnection time (50 ms). Native does not.
        expect(requests[0]).toEqual({ lastEventId: null, closed: true });
        expect(requests.slice(1, -1)).toEqual(mode === 'native' ? [] : requests.length === 3 ? [{ lastEventId: '1', closed: true }] : []);
        expect(requests.at(-1)).toEqual({ lastEventId: null, closed: false });
        return;
      }
      // WebKit caches the page. Its EventSource stays OPEN while cached and finds the connection
      // gone once restored: error, then it reconnects after the reconnection time.
      if (mode === 'native') {
        expect(log).toEqual([
          'pageshow 0 persisted=false',
          'open 1',
          'message 1 a/1',
          'pagehide 1 persisted=true',
          'visibilitychange 1 hidden',
          'visibilitychange 1 visible',
          'pageshow 1 persisted=true',
          'error 0',
          'open 1',
          'message 1 b/2',
        ]);
      } else {
        // WebKit cancels the page's requests as it leaves it, before pagehide: ssekit sees a
        // network error (error, CONNECTING); pagehide (persisted) then cancels the reconnection's
        // wait, and pageshow (persisted) reconnects at once, with Last-Event-ID. The stream's
        // events and the page's are compared apart: that cancellation's report may come after pagehide.
        expect(log.filter((line) => !PAGE_EVENTS.includes(line.split(' ')[0] as string))).toEqual([
          'open 1',
          'message 1 a/1',
          `error 0${api === 'connect' ? ' NetworkError' : ''}`,
          'open 1',
          'message 1 b/2',
        ]);
        expect(log.filter((line) => PAGE_EVENTS.includes(line.split(' ')[0] as string)).map((line) => line.replace(/ \d /, ' '))).toEqual([
          'pageshow persisted=false',
          'pagehide persisted=true',
          'visibilitychange hidden',
          'visibilitychange visible',
          'pageshow persisted=true',
        ]);
      }
      expect(requests).toEqual([
        { lastEventId: null, closed: true },
        { lastEventId: '1', closed: false },
      ]);
    } finally {
      server.scripts.release(key);
    }
  });
}

test('back/forward cache, the control: a page whose source failed (no request in flight) is restored from the cache', async ({ historyTab, server }) => {
  const { key, url } = lifecycleUrl(server, 'native', { connections: [{ status: 204 }], page: { api: 'eventsource', report: true } });
  const read = reportReader(server, key);
  try {
    await historyTab.goto(url);
    await logWhen(read, (l) => l.some((e) => e.type === 'error'), 'the source fails');
    await historyTab.goto(`${server.url}/lifecycle/away`);
    await historyTab.back();
    const log = await logWhen(read, (l) => l.filter((e) => e.type === 'pageshow').length === 2, 'the page is shown again');
    expect(lines(log)).toEqual([
      'pageshow 0 persisted=false',
      'error 2',
      'pagehide 2 persisted=true',
      'visibilitychange 2 hidden',
      'visibilitychange 2 visible',
      'pageshow 2 persisted=true',
    ]);
    expect(server.log.forKey(key)).toHaveLength(1);
  } finally {
    server.scripts.release(key);
  }
});
