// ssekit/shared with fakes: election and fan-out between tabs, hand-over when the leader closes, crashes or freezes, separate streams, the fallback, and nothing left after close().

import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTransport } from '../src/connection';
import { HttpStatusError, NetworkError, SSEError } from '../src/errors';
import { setEnvironment } from '../src/shared/environment';
import { SharedEventSource } from '../src/shared/eventsource';
import { connectShared, type SharedEventStream } from '../src/shared/stream';
import { createFakeTransport, type FakeRequest } from './helpers/fake-transport';
import { FakeBrowser, type FakeTab } from './helpers/fake-tabs';

const URL_ = 'http://127.0.0.1:9/stream';
const ORIGIN = 'http://127.0.0.1:9';

let browser: FakeBrowser;
let requests: FakeRequest[];

beforeEach(() => {
  browser = new FakeBrowser();
  const fake = createFakeTransport();
  requests = fake.requests;
  setTransport(fake.transport);
});

afterEach(() => {
  setTransport(null);
  setEnvironment(null);
  vi.useRealTimers();
});

/** Runs `make` as tab `tab` would: what it creates belongs to that tab. */
function inTab<T>(tab: FakeTab, make: () => T): T {
  const previous = setEnvironment(tab.env);
  try {
    return make();
  } finally {
    setEnvironment(previous);
  }
}

/** A SharedEventSource in `tab` that records what it fires as `type:readyState[:data|lastEventId]`. */
function source(tab: FakeTab, url = URL_, init?: ConstructorParameters<typeof SharedEventSource>[1]) {
  const es = inTab(tab, () => new SharedEventSource(url, init));
  const log: string[] = [];
  for (const type of ['open', 'message', 'error', 'named']) {
    es.addEventListener(type, (e) => {
      const m = e as MessageEvent;
      log.push(type === 'open' || type === 'error' ? `${type}:${es.readyState}` : `${type}:${m.data}|${m.lastEventId}|${m.origin}`);
    });
  }
  return { es, log };
}

const last = () => requests[requests.length - 1] as FakeRequest;
const live = () => requests.filter((r) => !r.aborted && !r.ended);
const lastEventId = (r: FakeRequest) => r.request.headers['Last-Event-ID'] ?? null;

/** The messages a log holds, in order. */
const messages = (log: string[]) => log.filter((l) => l.startsWith('message:'));

describe('SharedEventSource between tabs', () => {
  it('elects one tab: one request, every tab gets open and each event, in order', async () => {
    const a = browser.tab('a');
    const b = browser.tab('b');
    const first = source(a);
    const second = source(b);
    await browser.flush();
    expect(requests).toHaveLength(1);
    expect(last().request.headers['Accept']).toBe('text/event-stream');
    last().respond();
    last().send('id: 1\ndata: one\n\nevent: named\ndata: two\n\n');
    await browser.flush();
    for (const { log } of [first, second]) {
      expect(log).toEqual(['open:1', `message:one|1|${ORIGIN}`, `named:two|1|${ORIGIN}`]);
    }
    expect(first.es.readyState).toBe(1);
    expect(second.es.readyState).toBe(1);
    first.es.close();
    second.es.close();
  });

  it("dispatches real MessageEvents in each tab, with EventSource's interface", async () => {
    const a = browser.tab('a');
    const { es } = source(a);
    const events: MessageEvent[] = [];
    es.onmessage = (e) => events.push(e);
    await browser.flush();
    last().respond();
    last().send('data: x\n\n');
    await browser.flush();
    expect(events[0]).toBeInstanceOf(MessageEvent);
    expect([events[0]?.data, events[0]?.origin, events[0]?.lastEventId, events[0]?.source]).toEqual(['x', ORIGIN, '', null]);
    expect([SharedEventSource.CONNECTING, SharedEventSource.OPEN, SharedEventSource.CLOSED, es.CLOSED]).toEqual([0, 1, 2, 2]);
    expect(Object.keys(SharedEventSource.prototype)).toEqual([
      'url',
      'withCredentials',
      'readyState',
      'onopen',
      'onmessage',
      'onerror',
      'close',
      'CONNECTING',
      'OPEN',
      'CLOSED',
    ]);
    expect([es.url, es.withCredentials, SharedEventSource.length]).toEqual([URL_, false, 1]);
    expect(es).toBeInstanceOf(EventTarget);
    es.close();
  });

  it('a tab that joins an open connection gets its own open, then the events after it joined', async () => {
    vi.useFakeTimers();
    const a = browser.tab('a');
    const first = source(a);
    await browser.flush();
    last().respond();
    last().send('id: 1\ndata: before\n\n');
    await browser.flush();
    const b = browser.tab('b');
    const late = source(b);
    await browser.flush();
    last().send('id: 2\ndata: after\n\n');
    await browser.flush();
    expect(requests).toHaveLength(1);
    expect(late.log).toEqual(['open:1', `message:after|2|${ORIGIN}`]);
    // A second source in the same tab joins the tab's group and announces from a task.
    const again = source(b);
    await browser.flush();
    expect(again.log).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(again.log).toEqual(['open:1']);
    expect(first.log).toEqual(['open:1', `message:before|1|${ORIGIN}`, `message:after|2|${ORIGIN}`]);
    for (const s of [first, late, again]) s.es.close();
  });

  it("a follower's close() affects that tab only", async () => {
    const a = browser.tab('a');
    const b = browser.tab('b');
    const leader = source(a);
    const follower = source(b);
    await browser.flush();
    last().respond();
    last().send('data: 1\n\n');
    await browser.flush();
    follower.es.close();
    expect(follower.es.readyState).toBe(2);
    last().send('data: 2\n\n');
    await browser.flush();
    expect(messages(follower.log)).toEqual([`message:1||${ORIGIN}`]);
    expect(messages(leader.log)).toEqual([`message:1||${ORIGIN}`, `message:2||${ORIGIN}`]);
    expect(live()).toHaveLength(1);
    leader.es.close();
  });

  it("the leader's close() hands over: the next tab resumes with Last-Event-ID, unseen, nothing lost or repeated", async () => {
    const [a, b, c] = [browser.tab('a'), browser.tab('b'), browser.tab('c')];
    const leader = source(a);
    const others = [source(b), source(c)];
    await browser.flush();
    expect(browser.holder()).toBe(a);
    last().respond();
    last().send('id: 1\ndata: 1\n\nid: 2\ndata: 2\n\n');
    await browser.flush();
    const first = last();
    leader.es.close();
    expect(first.aborted).toBe(true);
    await browser.flush();
    expect(browser.holder()).toBe(b);
    expect(requests).toHaveLength(2);
    expect(lastEventId(last())).toBe('2');
    last().respond();
    last().send('id: 3\ndata: 3\n\n');
    await browser.flush();
    for (const { log } of others) {
      expect(log).toEqual(['open:1', `message:1|1|${ORIGIN}`, `message:2|2|${ORIGIN}`, `message:3|3|${ORIGIN}`]);
    }
    for (const o of others) o.es.close();
  });

  it('a crashed leader (no event, locks released by the browser) is replaced; the stream resumes from the last id the others saw', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    source(a);
    const follower = source(b);
    await browser.flush();
    last().respond();
    last().send('id: 7\ndata: 7\n\n');
    await browser.flush();
    a.crash();
    await browser.flush();
    expect(browser.holder()).toBe(b);
    expect(requests).toHaveLength(2);
    expect(lastEventId(last())).toBe('7');
    last().respond();
    last().send('id: 8\ndata: 8\n\n');
    await browser.flush();
    expect(follower.log).toEqual(['open:1', `message:7|7|${ORIGIN}`, `message:8|8|${ORIGIN}`]);
    follower.es.close();
  });

  it('a frozen leader resigns before freezing; on resume it gets what it missed, in order, and queues again', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const frozen = source(a);
    const other = source(b);
    await browser.flush();
    last().respond();
    last().send('id: 1\ndata: 1\n\n');
    await browser.flush();
    const first = last();
    a.freeze();
    expect(first.aborted).toBe(true);
    await browser.flush();
    expect(browser.holder()).toBe(b);
    expect(lastEventId(last())).toBe('1');
    last().respond();
    last().send('id: 2\ndata: 2\n\n');
    await browser.flush();
    expect(messages(frozen.log)).toHaveLength(1);
    a.resume();
    await browser.flush();
    expect(browser.locksInUse).toEqual({ held: 1, waiting: 1 });
    last().send('id: 3\ndata: 3\n\n');
    await browser.flush();
    for (const { log } of [frozen, other]) expect(log).toEqual(['open:1', `message:1|1|${ORIGIN}`, `message:2|2|${ORIGIN}`, `message:3|3|${ORIGIN}`]);
    // Back in line: when b goes, a leads again.
    other.es.close();
    await browser.flush();
    expect(browser.holder()).toBe(a);
    expect(lastEventId(last())).toBe('3');
    frozen.es.close();
  });

  it('pagehide hands over at once; a page restored from the back/forward cache (pageshow, persisted) queues again', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const leaving = source(a);
    const staying = source(b);
    await browser.flush();
    last().respond();
    a.window.dispatch('pagehide', { persisted: true });
    await browser.flush();
    expect(browser.holder()).toBe(b);
    a.window.dispatch('pageshow', { persisted: false });
    await browser.flush();
    expect(browser.locksInUse.waiting).toBe(0);
    a.window.dispatch('pageshow', { persisted: true });
    await browser.flush();
    expect(browser.locksInUse.waiting).toBe(1);
    leaving.es.close();
    staying.es.close();
  });

  it("beforeunload hands the lead over before the closing page's request fails (Chromium aborts it before pagehide): the others see nothing", async () => {
    vi.useFakeTimers();
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const leaving = source(a);
    const staying = source(b);
    await browser.flush();
    // Only the leader listens for beforeunload.
    expect([a.window.listeners.get('beforeunload')?.size, b.window.listeners.get('beforeunload')?.size ?? 0]).toEqual([1, 0]);
    const first = last();
    first.respond();
    first.send('id: 1\ndata: a\n\n');
    await browser.flush();
    a.window.dispatch('beforeunload');
    // Chromium would now fail the page's request, then dispatch pagehide: the request is let go already.
    expect(first.aborted).toBe(true);
    await browser.flush();
    expect(browser.holder()).toBe(b);
    expect(lastEventId(last())).toBe('1');
    last().respond();
    last().send('id: 2\ndata: b\n\n');
    await browser.flush();
    expect(staying.log).toEqual(['open:1', `message:a|1|${ORIGIN}`, `message:b|2|${ORIGIN}`]);
    // Out of the line; back in it a second later if no pagehide came (the unload was cancelled).
    expect(browser.locksInUse.waiting).toBe(0);
    vi.advanceTimersByTime(1000);
    await browser.flush();
    expect(browser.locksInUse.waiting).toBe(1);
    // b leaves the same way, and its page goes: pagehide cancels the return, a leads again.
    b.window.dispatch('beforeunload');
    await browser.flush();
    expect(browser.holder()).toBe(a);
    b.window.dispatch('pagehide', { persisted: false });
    vi.advanceTimersByTime(1000);
    await browser.flush();
    expect(browser.locksInUse.waiting).toBe(0);
    expect(lastEventId(last())).toBe('2');
    leaving.es.close();
    staying.es.close();
    expect([a.window.count, b.window.count]).toEqual([0, 0]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a stream without ids cannot resume: the others see error (CONNECTING), then open for the new connection, which sends no Last-Event-ID', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const leader = source(a);
    const follower = source(b);
    await browser.flush();
    last().respond();
    last().send('data: 1\n\n');
    await browser.flush();
    leader.es.close();
    await browser.flush();
    expect(requests).toHaveLength(2);
    expect(lastEventId(last())).toBeNull();
    last().respond();
    last().send('data: 1\n\n');
    await browser.flush();
    expect(follower.log).toEqual(['open:1', `message:1||${ORIGIN}`, 'error:0', 'open:1', `message:1||${ORIGIN}`]);
    follower.es.close();
  });

  it('keeps streams apart: another URL, withCredentials or shareKey is another connection, and nothing of one reaches the other', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const alice = source(a, URL_, { shareKey: 'alice' });
    const bob = source(b, URL_, { shareKey: 'bob' });
    const other = source(b, URL_ + '?other');
    const credentials = source(b, URL_, { withCredentials: true });
    await browser.flush();
    expect(requests).toHaveLength(4);
    expect(new Set(browser.posted.map((p) => p.name)).size).toBe(4);
    for (const [i, r] of requests.entries()) {
      r.respond();
      r.send(`data: ${i}\n\n`);
    }
    await browser.flush();
    const received = [alice, bob, other, credentials].map((s) => messages(s.log).map((l) => l.split('|')[0]));
    expect(received.flat().sort()).toEqual(['message:0', 'message:1', 'message:2', 'message:3']);
    expect(received.every((r) => r.length === 1)).toBe(true);
    expect(requests.find((r) => r.request.withCredentials)?.request.url).toBe(URL_);
    for (const s of [alice, bob, other, credentials]) s.es.close();
  });

  it('fails every tab for a status other than 200, as EventSource does; a source created then starts a new stream', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const one = source(a);
    const two = source(b);
    await browser.flush();
    last().respond(500);
    await browser.flush();
    for (const { es, log } of [one, two]) {
      expect(log).toEqual(['error:2']);
      expect(es.readyState).toBe(2);
    }
    expect(browser.locksInUse).toEqual({ held: 0, waiting: 0 });
    const again = source(b);
    await browser.flush();
    expect(requests).toHaveLength(2);
    again.es.close();
  });

  it('reconnects after the reconnection time with Last-Event-ID; every tab sees error then open', async () => {
    vi.useFakeTimers();
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const one = source(a);
    const two = source(b);
    await browser.flush();
    last().respond();
    last().send('retry: 1000\nid: 5\ndata: a\n\n');
    last().end();
    await browser.flush();
    vi.advanceTimersByTime(999);
    expect(requests).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(requests).toHaveLength(2);
    expect(lastEventId(last())).toBe('5');
    last().respond();
    await browser.flush();
    for (const { log } of [one, two]) expect(log).toEqual(['open:1', `message:a|5|${ORIGIN}`, 'error:0', 'open:1']);
    one.es.close();
    two.es.close();
  });

  it("close() in the leading tab's error listener cancels the reconnection; the next tab takes over", async () => {
    vi.useFakeTimers();
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const one = source(a);
    one.es.onerror = () => one.es.close();
    const two = source(b);
    await browser.flush();
    last().respond();
    last().send('retry: 1000\nid: 1\ndata: a\n\n');
    last().end();
    await browser.flush();
    // a closed without reconnecting; b leads and connects at once (no timer of a's is left).
    expect(requests).toHaveLength(2);
    expect(lastEventId(last())).toBe('1');
    expect(browser.holder()).toBe(b);
    vi.advanceTimersByTime(5000);
    expect(requests).toHaveLength(2);
    two.es.close();
  });

  it('after the last close(): no request, timer, lock, channel or listener is left', async () => {
    vi.useFakeTimers();
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const one = source(a);
    const two = source(b);
    await browser.flush();
    last().respond();
    last().send('retry: 1000\ndata: a\n\n');
    last().end();
    await browser.flush();
    one.es.close();
    two.es.close();
    await browser.flush();
    expect(live()).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(browser.locksInUse).toEqual({ held: 0, waiting: 0 });
    expect([a.openChannels, b.openChannels]).toEqual([0, 0]);
    expect([a.document.count, a.window.count, b.document.count, b.window.count]).toEqual([0, 0, 0, 0]);
    expect([a.env.groups, b.env.groups]).toEqual([{}, {}]);
  });

  it('close() right after the constructor sends nothing and leaves nothing', async () => {
    const a = browser.tab('a');
    inTab(a, () => new SharedEventSource(URL_)).close();
    await browser.flush();
    expect(requests).toHaveLength(0);
    expect(browser.locksInUse).toEqual({ held: 0, waiting: 0 });
    expect(a.openChannels).toBe(0);
  });

  it('throws TypeErrors saying what to pass, and a SyntaxError for a URL that cannot be parsed', () => {
    const a = browser.tab('a');
    const make = (...args: unknown[]) => inTab(a, () => new (SharedEventSource as unknown as new (...a: unknown[]) => SharedEventSource)(...args));
    expect(() => make()).toThrow(/1 argument required/);
    expect(() => make(URL_, 5)).toThrow(TypeError);
    expect(() => make(URL_, { shareKey: 5 })).toThrow(/shareKey must be a string/);
    expect(() => make(URL_, { share: 'no' })).toThrow(/share must be true or false/);
    expect(() => make('http://[')).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    expect(() => (SharedEventSource as unknown as (u: string) => void)(URL_)).toThrow(TypeError);
  });
});

describe('SharedEventSource without sharing', () => {
  for (const [what, options, init] of [
    ['without Web Locks', { locks: false }, undefined],
    ['without BroadcastChannel', { channels: false }, undefined],
    ['with share: false', {}, { share: false }],
  ] as const) {
    it(`${what}: each source has its own connection, from a task after the constructor, and behaves as EventSource`, async () => {
      vi.useFakeTimers();
      const [a, b] = [browser.tab('a', options), browser.tab('b', options)];
      const one = source(a, URL_, init);
      const two = source(b, URL_, init);
      expect(requests).toHaveLength(0);
      vi.advanceTimersByTime(0);
      expect(requests).toHaveLength(2);
      expect(browser.posted).toEqual([]);
      const [r1, r2] = requests as [FakeRequest, FakeRequest];
      r1.respond();
      r1.send('retry: 100\nid: 1\ndata: a\n\n');
      r1.end();
      await browser.flush();
      vi.advanceTimersByTime(100);
      expect(requests).toHaveLength(3);
      expect(lastEventId(last())).toBe('1');
      r2.respond(404);
      await browser.flush();
      expect(one.log).toEqual(['open:1', `message:a|1|${ORIGIN}`, 'error:0']);
      expect(two.log).toEqual(['error:2']);
      one.es.close();
      expect(live()).toHaveLength(0);
      expect(vi.getTimerCount()).toBe(0);
    });
  }

  it("close() in a message listener drops the rest of the chunk, as EventSource's does", async () => {
    vi.useFakeTimers();
    const a = browser.tab('a', { locks: false });
    const { es, log } = source(a);
    es.addEventListener('message', () => es.close());
    vi.advanceTimersByTime(0);
    last().respond();
    last().send('data: 1\n\ndata: 2\n\n');
    await browser.flush();
    expect(log).toEqual(['open:1', `message:1||${ORIGIN}`]);
    expect(last().aborted).toBe(true);
  });
});

/** A shared stream in `tab` that records what it dispatches. */
function stream(tab: FakeTab, options: Parameters<typeof connectShared>[1] = {}) {
  const s = inTab(tab, () => connectShared(URL_, options)) as SharedEventStream<Record<string, unknown>>;
  const log: unknown[] = [];
  s.addEventListener('open', () => log.push('open'));
  s.addEventListener('message', (e) => log.push(['message', e.data, e.lastEventId]));
  s.addEventListener('error', (e) => log.push(['error', e.error.name, s.readyState]));
  s.addEventListener('close', (e) => log.push(['close', e.error && e.error.name]));
  return { s, log };
}

describe('connectShared()', () => {
  it('calls the headers function in the leading tab only; each tab parses with its own json; closes when the source does', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const calls = { a: 0, b: 0 };
    const one = stream(a, { headers: () => ({ Authorization: `a${++calls.a}` }), json: true, shareKey: 'u1' });
    const two = stream(b, { headers: () => ({ Authorization: `b${++calls.b}` }), shareKey: 'u1' });
    await browser.flush();
    expect(requests).toHaveLength(1);
    expect(last().request.headers['Authorization']).toBe('a1');
    last().respond();
    last().send('id: 1\ndata: {"n":1}\n\n');
    await browser.flush();
    expect(one.log).toEqual(['open', ['message', { n: 1 }, '1']]);
    expect(two.log).toEqual(['open', ['message', '{"n":1}', '1']]);
    expect([one.s.lastEventId, two.s.lastEventId]).toEqual(['1', '1']);
    one.s.close();
    await browser.flush();
    // b leads: its headers function, the stream resumed from id 1.
    expect(calls).toEqual({ a: 1, b: 1 });
    expect(last().request.headers['Authorization']).toBe('b1');
    expect(lastEventId(last())).toBe('1');
    two.s.close();
  });

  it('rebuilds errors in every tab as the classes connect() reports, and ends every tab with the terminal one', async () => {
    vi.useFakeTimers();
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const one = stream(a, { retry: { initial: 10, min: 10, jitter: 0, maxAttempts: 1 } });
    const two = stream(b);
    const errors: unknown[] = [];
    two.s.addEventListener('error', (e) => errors.push(e.error));
    await browser.flush();
    last().respond(503, { 'Retry-After': '0', 'Content-Type': 'text/plain' });
    await browser.flush();
    const retried = errors[0] as HttpStatusError;
    expect(retried).toBeInstanceOf(HttpStatusError);
    expect(retried).toBeInstanceOf(SSEError);
    expect([retried.status, retried.headers.get('Retry-After'), retried.url, retried.message]).toEqual([
      503,
      '0',
      URL_,
      `The server answered 503 for ${URL_}.`,
    ]);
    vi.advanceTimersByTime(10);
    last().end(true, false, new TypeError('Failed to fetch'));
    await browser.flush();
    for (const { log } of [one, two]) {
      expect(log).toEqual([
        ['error', 'HttpStatusError', 0],
        ['error', 'NetworkError', 0],
        ['error', 'GaveUpError', 2],
        ['close', 'GaveUpError'],
      ]);
    }
    const gaveUp = errors[2] as SSEError & { attempts: number; cause: NetworkError & { cause: Error } };
    expect([gaveUp.attempts, gaveUp.cause instanceof NetworkError, gaveUp.cause.cause.name]).toEqual([1, true, 'TypeError']);
    expect(errors[1]).toBeInstanceOf(NetworkError);
    expect(browser.locksInUse).toEqual({ held: 0, waiting: 0 });
  });

  it('a POST that must not be sent again ends every tab when its tab goes; with retryNonIdempotent it resumes', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const one = stream(a, { body: { q: 1 } });
    const two = stream(b, { body: { q: 1 } });
    await browser.flush();
    expect(last().request.method).toBe('POST');
    last().respond();
    await browser.flush();
    one.s.close();
    await browser.flush();
    expect(requests).toHaveLength(1);
    expect(two.log).toEqual(['open', ['error', 'SSEError', 2], ['close', 'SSEError']]);

    const three = stream(a, { body: { q: 2 }, retryNonIdempotent: true });
    const four = stream(b, { body: { q: 2 }, retryNonIdempotent: true });
    await browser.flush();
    last().respond();
    last().send('id: 9\ndata: x\n\n');
    await browser.flush();
    three.s.close();
    await browser.flush();
    expect(requests).toHaveLength(3);
    expect([last().request.method, last().request.body, lastEventId(last())]).toEqual(['POST', '{"q":2}', '9']);
    four.s.close();
  });

  it('a stream without ids cannot resume: the other tabs get a NetworkError, then open', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const one = stream(a);
    const two = stream(b);
    await browser.flush();
    last().respond();
    await browser.flush();
    one.s.close();
    await browser.flush();
    last().respond();
    await browser.flush();
    expect(two.log).toEqual(['open', ['error', 'NetworkError', 0], 'open']);
    expect(lastEventId(last())).toBeNull();
    two.s.close();
  });

  it('a new leader resumes from an id-only block too, and drops a Last-Event-ID given in headers', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const one = source(a);
    const two = stream(b, { headers: { 'Last-Event-ID': 'old' } });
    await browser.flush();
    const [es, connection] = requests as [FakeRequest, FakeRequest];
    expect(lastEventId(connection)).toBe('old');
    for (const r of [es, connection]) {
      r.respond();
      r.send('id: 1\ndata: a\n\nid: 2\n\n');
    }
    await browser.flush();
    const c = browser.tab('c');
    const three = source(c);
    const four = stream(c, { headers: { 'Last-Event-ID': 'old' } });
    await browser.flush();
    one.es.close();
    two.s.close();
    await browser.flush();
    expect(requests.slice(2).map(lastEventId)).toEqual(['2', '2']);
    three.es.close();
    four.s.close();
  });

  it('for await works in every tab; a loop that falls behind does not hold the shared connection', async () => {
    const [a, b] = [browser.tab('a'), browser.tab('b')];
    const one = stream(a);
    const two = stream(b);
    const loop = two.s.messages();
    await browser.flush();
    last().respond();
    // Nothing holds the read: the loop in b has not taken anything yet.
    expect(last().send('data: 1\n\ndata: 2\n\n')).toBeUndefined();
    await browser.flush();
    const seen: unknown[] = [];
    for await (const m of { [Symbol.asyncIterator]: () => loop }) {
      seen.push(m.data);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['1', '2']);
    // Breaking out closes b's stream only.
    expect([two.s.readyState, one.s.readyState]).toEqual([2, 1]);
    one.s.close();
  });

  it('after each close (a signal, close(), a loop left, [DONE]): no request, timer, lock, channel or listener is left', async () => {
    vi.useFakeTimers();
    const [a, b, c] = [browser.tab('a'), browser.tab('b'), browser.tab('c')];
    const controller = new AbortController();
    const one = stream(a, { retry: { initial: 1000, min: 1000, jitter: 0 }, heartbeatTimeout: 5000 });
    const two = stream(b, { signal: controller.signal });
    const three = stream(c, { json: true });
    const loop = inTab(a, () => one.s.messages());
    await browser.flush();
    last().respond();
    last().send('id: 1\ndata: 1\n\n');
    await browser.flush();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    // A follower leaves by its signal: its channel and page listeners go with it, the connection stays.
    controller.abort();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect([b.openChannels, b.document.count + b.window.count]).toEqual([0, 0]);
    // Another by [DONE], which ends that tab's stream only.
    last().send('data: [DONE]\n\n');
    await browser.flush();
    expect(three.log.at(-1)).toEqual(['close', null]);
    expect([c.openChannels, c.document.count + c.window.count]).toEqual([0, 0]);
    expect(live()).toHaveLength(1);
    // The leader, waiting to reconnect (a timer), leaves by its loop's return.
    last().end();
    await browser.flush();
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await loop.return?.();
    expect(one.s.readyState).toBe(2);
    await browser.flush();
    expect(live()).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(browser.locksInUse).toEqual({ held: 0, waiting: 0 });
    expect([a, b, c].map((t) => [t.openChannels, t.document.count, t.window.count])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect([a.env.groups, b.env.groups, c.env.groups]).toEqual([{}, {}, {}]);
    two.s.close();
  });

  it('throws TypeErrors naming connectShared() and what to pass', () => {
    const a = browser.tab('a');
    expect(() => inTab(a, () => connectShared(URL_, { retry: { max: -1 } }))).toThrow(/^connectShared\(\): `retry.max`/);
    expect(() => inTab(a, () => connectShared(URL_, { shareKey: 1 as unknown as string }))).toThrow(/shareKey/);
    expect(() => inTab(a, () => connectShared(URL_, { body: new Uint8Array(1) }))).toThrow(/share: false/);
    inTab(a, () => connectShared(URL_, { body: new Uint8Array(1), share: false })).close();
  });
});
