// Careless servers (issue 18): a server replaying its stream on an XHR renewal, empty bodies closed at once forever, connect()'s maxEventSize.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, type StreamCloseEvent, type StreamErrorEvent } from '../src/client';
import { DEFAULT_MAX_EVENT_SIZE } from '../src/client/options';
import { setTransport } from '../src/connection';
import { EventTooLargeError, NetworkError } from '../src/errors';
import { EventSource } from '../src/eventsource';
import { installFakePage } from './helpers/fake-page';
import { createFakeTransport, type FakeRequest } from './helpers/fake-transport';

const URL_ = 'http://127.0.0.1:9/stream';
let requests: FakeRequest[];
const last = () => requests[requests.length - 1] as FakeRequest;
const realSetImmediate = setImmediate;
// EventSource dispatches each event a microtask turn after the previous one: a macrotask runs them all.
const flush = () => new Promise<void>((resolve) => realSetImmediate(resolve));

beforeEach(() => {
  const fake = createFakeTransport();
  requests = fake.requests;
  setTransport(fake.transport);
  vi.useFakeTimers();
});
afterEach(() => {
  setTransport(null);
  vi.useRealTimers();
});

// The stream a server sends from the top: events 1..n, each with its id, 1,000 characters of data.
const event = (id: number) => `id: ${id}\ndata: ${id} ${'x'.repeat(1000)}\n\n`;
const top = (from: number, to: number, chunk = 1) => {
  const out: string[] = [];
  for (let i = from; i <= to; i += chunk) {
    let text = '';
    for (let j = i; j < i + chunk && j <= to; j++) text += event(j);
    out.push(text);
  }
  return out;
};

type Opener = (ids: number[]) => { close(): void };
const openers: Array<[string, Opener]> = [
  [
    'EventSource',
    (ids) => {
      const es = new EventSource(URL_);
      es.addEventListener('message', (e) => ids.push(+(e as MessageEvent).data.split(' ')[0]));
      vi.advanceTimersByTime(0);
      return es;
    },
  ],
  [
    'connect()',
    (ids) => {
      const stream = connect(URL_);
      stream.addEventListener('message', (e) => ids.push(+String(e.data).split(' ')[0]));
      return stream;
    },
  ],
];

for (const [name, open] of openers) {
  describe(`${name}: a server that ignores Last-Event-ID, on the XHR memory bound's renewal`, () => {
    it('replaying from the top: holds the replay back, skips it up to the last event seen, delivers every event once, and renews no more', async () => {
      const ids: number[] = [];
      const source = open(ids);
      last().respond();
      let sent = 0;
      for (const chunk of top(1, 600)) {
        if (requests.length > 1) break;
        last().send(chunk, true);
        sent++;
      }
      expect(requests).toHaveLength(2);
      const resumeFrom = Number(last().request.headers['Last-Event-ID']);
      expect(resumeFrom).toBe(sent);
      last().respond();
      // The server starts from the top again, in reads of 7 events, and goes on past the point.
      for (const chunk of top(1, 1200, 7)) last().send(chunk, true);
      await flush();
      expect(ids).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
      // Never renewed again: the body of this request grows, as for a stream without ids.
      expect(requests).toHaveLength(2);
      source.close();
    });

    it('replaying from the last event ID itself (inclusive): that event is not delivered again', async () => {
      const ids: number[] = [];
      const source = open(ids);
      last().respond();
      let n = 0;
      while (requests.length === 1) last().send(event(++n), true);
      last().respond();
      for (const chunk of top(n, n + 5)) last().send(chunk, true);
      await flush();
      expect(ids).toEqual(Array.from({ length: n + 5 }, (_, i) => i + 1));
      source.close();
    });

    it('a server that resumes: the events held back until the first id (id-less ones included) are delivered, and renewals go on', async () => {
      const ids: number[] = [];
      const source = open(ids);
      last().respond();
      let n = 0;
      while (requests.length === 1) last().send(event(++n), true);
      last().respond();
      // An event without an id first, then the next ones; cut in the middle of a line.
      const rest = `data: ${n + 1} no id\n\n` + top(n + 2, n + 400).join('');
      last().send(rest.slice(0, 3), true);
      await flush();
      expect(ids).toHaveLength(n);
      last().send(rest.slice(3), true);
      await flush();
      expect(ids).toEqual(Array.from({ length: n + 400 }, (_, i) => i + 1));
      expect(requests).toHaveLength(3);
      source.close();
    });

    it('a renewed body that ends before its first id is delivered before the end', async () => {
      const ids: number[] = [];
      const source = open(ids);
      last().respond();
      let n = 0;
      while (requests.length === 1) last().send(event(++n), true);
      last().respond();
      last().send(`data: ${n + 1}\n\n`, true);
      last().end();
      await flush();
      expect(ids.slice(-2)).toEqual([n, n + 1]);
      source.close();
    });
  });
}

describe('a server answering 200 text/event-stream with an empty body, closing at once, forever', () => {
  it('EventSource waits the reconnection time (3 s) between requests: 20 requests in a minute, an error event each', async () => {
    const es = new EventSource(URL_);
    let errors = 0;
    es.onerror = () => errors++;
    vi.advanceTimersByTime(0);
    const times: number[] = [];
    const start = Date.now();
    // One simulated minute.
    while (Date.now() - start < 60_000) {
      times.push(Date.now() - start);
      const request = last();
      request.respond();
      request.end();
      await flush();
      vi.advanceTimersToNextTimer();
      if (requests.at(-1) === request) break;
    }
    expect(times.slice(0, 4)).toEqual([0, 3000, 6000, 9000]);
    expect(times).toHaveLength(20);
    expect(errors).toBe(20);
    es.close();
  });

  it('connect() waits the backoff between requests: never less than retry.min, at most retry.initial (each open resets it)', async () => {
    const stream = connect(URL_);
    const waits: number[] = [];
    const start = Date.now();
    while (Date.now() - start < 60_000) {
      last().respond();
      last().end();
      const before = Date.now();
      vi.advanceTimersToNextTimer();
      waits.push(Date.now() - before);
    }
    // The default retry.min (500 ms) is the floor; jitter spreads the waits up to retry.initial.
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...waits)).toBeLessThanOrEqual(1000);
    expect(waits.length).toBeLessThanOrEqual(120);
    stream.close();
  });
});

describe('connect(): maxEventSize', () => {
  it('ends the stream with an EventTooLargeError and aborts the request past the bound, not retried', () => {
    const stream = connect(URL_, { maxEventSize: 100 });
    const log: string[] = [];
    stream.onmessage = (e) => log.push(`message:${String(e.data).length}`);
    stream.onerror = (e: StreamErrorEvent) => log.push(`error:${e.error.name}:${(e.error as EventTooLargeError).limit}`);
    stream.onclose = (e: StreamCloseEvent) => log.push(`close:${e.error ? e.error.name : 'clean'}`);
    last().respond();
    last().send(`data: ${'a'.repeat(94)}\n\n`);
    for (let i = 0; i < 10 && !last().aborted; i++) last().send('data: 0123456789\n');
    expect(log).toEqual(['message:94', 'error:EventTooLargeError:100', 'close:EventTooLargeError']);
    expect(last().aborted).toBe(true);
    vi.runAllTimers();
    expect(requests).toHaveLength(1);
  });

  it('bounds an endless line over XHR text too, and retry.shouldRetry may retry it', () => {
    const stream = connect(URL_, { maxEventSize: 1000, retry: { shouldRetry: (error) => error instanceof EventTooLargeError || undefined } });
    last().respond();
    for (let i = 0; i < 200 && !requests[0]?.aborted; i++) last().send(': ' + 'x'.repeat(98), true);
    expect(requests[0]?.aborted).toBe(true);
    vi.advanceTimersToNextTimer();
    expect(requests).toHaveLength(2);
    stream.close();
  });

  it('defaults to 16 Mi characters: an event of 16 Mi passes, one character more ends the stream', () => {
    expect(DEFAULT_MAX_EVENT_SIZE).toBe(16 * 1024 * 1024);
    const sizes: number[] = [];
    const stream = connect(URL_);
    stream.onmessage = (e) => sizes.push(String(e.data).length);
    let closed: unknown = null;
    stream.onclose = (e) => (closed = e.error);
    last().respond();
    const data = 'x'.repeat(DEFAULT_MAX_EVENT_SIZE - 6);
    last().send(`data: ${data}\n\n`, true);
    last().send(`data: ${data}x`, true);
    expect(sizes).toEqual([DEFAULT_MAX_EVENT_SIZE - 6]);
    expect(closed).toBeInstanceOf(EventTooLargeError);
  });

  it('throws a TypeError saying what to pass for an invalid value', () => {
    for (const bad of [0, -1, 1.5, NaN, '100', null]) {
      expect(() => connect(URL_, { maxEventSize: bad as number }), String(bad)).toThrow(/`maxEventSize` must be a whole number of characters > 0/);
    }
    for (const good of [1, 1e9, Infinity]) connect(URL_, { maxEventSize: good }).close();
  });
});

describe('EventSource keeps native behaviour: no bound on an event', () => {
  it('dispatches an event larger than connect()’s default bound', async () => {
    const es = new EventSource(URL_);
    const sizes: number[] = [];
    es.onmessage = (e) => sizes.push((e.data as string).length);
    vi.advanceTimersByTime(0);
    last().respond();
    const piece = 'x'.repeat(1 << 20);
    last().send('data: ', true);
    for (let i = 0; i < 17; i++) last().send(piece, true);
    last().send('\n\n', true);
    await flush();
    expect(sizes).toEqual([17 << 20]);
    es.close();
  });
});

describe("a stream URL the page's Content-Security-Policy blocks", () => {
  const violation = (blockedURI: string) => Object.assign(new Event('securitypolicyviolation'), { blockedURI });

  it('EventSource fails the connection when the document saw the violation for its URL; another URL’s is a network error', async () => {
    const page = installFakePage();
    const es = new EventSource(URL_ + '#frag');
    const states: number[] = [];
    es.onerror = () => states.push(es.readyState);
    vi.advanceTimersByTime(0);
    expect(page.listeners()).toContain('document securitypolicyviolation');
    // (Over fetch, ssekit waits a task after the failure for it: Chromium dispatches it then; e2e/conformance.spec.ts.)
    document.dispatchEvent(violation(URL_));
    last().end(true);
    vi.advanceTimersByTime(0);
    await flush();
    expect(states).toEqual([2]);
    expect(page.listeners()).toEqual([]);
    const other = new EventSource(URL_);
    other.onerror = () => states.push(other.readyState);
    vi.advanceTimersByTime(0);
    document.dispatchEvent(violation('http://127.0.0.1:9/elsewhere'));
    last().end(true);
    vi.advanceTimersByTime(0);
    await flush();
    expect(states).toEqual([2, 0]);
    other.close();
    expect(page.listeners()).toEqual([]);
    vi.unstubAllGlobals();
  });

  it('connect() ends with a NetworkError naming the policy, not retried; the listener is gone once the response comes', () => {
    const page = installFakePage();
    const stream = connect(URL_);
    let closed: Error | null = null;
    stream.onclose = (e) => (closed = e.error);
    document.dispatchEvent(violation('http://127.0.0.1:9'));
    last().end(true);
    vi.advanceTimersByTime(0);
    expect(closed).toBeInstanceOf(NetworkError);
    expect(String((closed as unknown as Error).message)).toMatch(/Content-Security-Policy blocks .*connect-src/);
    expect(requests).toHaveLength(1);
    const ok = connect(URL_);
    last().respond();
    expect(page.listeners().filter((l) => l.includes('securitypolicy'))).toEqual([]);
    ok.close();
    vi.unstubAllGlobals();
  });
});
