// connect() against a scripted transport and fake timers: every option, backoff, give-up, heartbeat, abort, no leaks.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, MAX_BACKLOG, type EventStream, type StreamCloseEvent, type StreamErrorEvent } from '../src/client';
import { setTransport } from '../src/connection';
import { ContentTypeError, GaveUpError, HeartbeatTimeoutError, HttpStatusError, NetworkError, ParseError, SSEError } from '../src/errors';
import { installFakePage, type FakePage } from './helpers/fake-page';
import { createFakeTransport, type FakeRequest } from './helpers/fake-transport';

const URL_ = 'http://127.0.0.1:9/stream';
let requests: FakeRequest[];
let log: string[];

beforeEach(() => {
  const fake = createFakeTransport();
  requests = fake.requests;
  setTransport(fake.transport);
  vi.useFakeTimers();
  log = [];
});
afterEach(() => {
  setTransport(null);
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const last = () => requests[requests.length - 1] as FakeRequest;

function record<M extends Record<string, unknown>>(stream: EventStream<M>, ...named: string[]): EventStream<M> {
  stream.addEventListener('open', () => log.push('open'));
  stream.addEventListener('error', (e: StreamErrorEvent) => log.push(`error:${e.error.name}`));
  stream.addEventListener('close', (e: StreamCloseEvent) => log.push(`close:${e.error ? e.error.name : 'clean'}`));
  for (const type of ['message', ...named]) {
    stream.addEventListener(type, (e: Event) => log.push(`${type}:${JSON.stringify((e as MessageEvent).data)}`));
  }
  return stream;
}

// Runs the next timer and returns how long it waited (ms).
function nextDelay(): number {
  const before = Date.now();
  vi.advanceTimersToNextTimer();
  return Date.now() - before;
}

// Flushes pending promise callbacks (async headers functions, for await).
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('connect(): request', () => {
  it('sends GET with Accept and the user headers; Last-Event-ID from the lastEventId option, UTF-8', () => {
    const stream = connect(URL_, { headers: { Authorization: 'Bearer a' }, lastEventId: 'é' });
    expect(last().request).toMatchObject({ method: 'GET', body: null, url: URL_ });
    expect(last().request.headers).toEqual({ Authorization: 'Bearer a', Accept: 'text/event-stream', 'Last-Event-ID': '\u00c3\u00a9' });
    expect(stream.lastEventId).toBe('é');
    stream.close();
  });

  it('calls a headers function before every connection, and waits for an async one', async () => {
    let n = 0;
    const stream = connect(URL_, { headers: async () => ({ Authorization: `Bearer ${++n}` }), retry: { min: 0, jitter: 0, initial: 10 } });
    expect(requests).toHaveLength(0);
    await settle();
    expect(last().request.headers['Authorization']).toBe('Bearer 1');
    last().respond();
    last().end();
    vi.advanceTimersByTime(10);
    await settle();
    expect(requests).toHaveLength(2);
    expect(last().request.headers['Authorization']).toBe('Bearer 2');
    stream.close();
  });

  it('retries when the headers function throws, and reports it', () => {
    let calls = 0;
    const stream = record(
      connect(URL_, {
        headers: () => {
          if (++calls === 1) throw new Error('token service down');
          return { Authorization: 'ok' };
        },
        retry: { min: 0, jitter: 0, initial: 10 },
      }),
    );
    expect(log).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(log).toEqual(['error:SSEError']);
    vi.advanceTimersByTime(10);
    expect(last().request.headers['Authorization']).toBe('ok');
    stream.close();
  });

  it('sends an object body as JSON with POST, and other bodies as given', () => {
    const a = connect(URL_, { body: { prompt: 'hi' } });
    expect(last().request).toMatchObject({ method: 'POST', body: '{"prompt":"hi"}' });
    expect(last().request.headers['Content-Type']).toBe('application/json');
    const params = new URLSearchParams('a=1');
    const b = connect(URL_, { method: 'PUT', body: params, headers: { 'content-type': 'text/x' } });
    expect(last().request).toMatchObject({ method: 'PUT', body: params });
    expect(last().request.headers).toEqual({ 'content-type': 'text/x', Accept: 'text/event-stream' });
    a.close();
    b.close();
  });

  it('passes credentials / withCredentials through', () => {
    const a = connect(URL_, { withCredentials: true });
    expect(last().request.withCredentials).toBe(true);
    const b = connect(URL_, { credentials: 'omit' });
    expect(last().request.credentials).toBe('omit');
    a.close();
    b.close();
  });

  it('hands the fetch option to the transport for every (re)connection', () => {
    const own = (() => new Promise<Response>(() => undefined)) as (url: string, init: RequestInit) => Promise<Response>;
    const stream = connect(URL_, { fetch: own, retry: { min: 0, jitter: 0, initial: 5 } });
    expect(last().request.fetch).toBe(own);
    last().end(true);
    vi.advanceTimersByTime(5);
    expect(requests).toHaveLength(2);
    expect(last().request.fetch).toBe(own);
    stream.close();
    connect(URL_).close();
    expect(last().request.fetch).toBeUndefined();
  });

  it("takes a caller's Last-Event-ID header as the starting point only: once the stream names an id, that one is sent", () => {
    const headers = Object.freeze({ 'last-event-id': 'from-storage', Authorization: 'a' });
    const stream = connect(URL_, { headers, retry: { jitter: 0, min: 0, initial: 5 } });
    expect(last().request.headers).toEqual({ Authorization: 'a', Accept: 'text/event-stream', 'Last-Event-ID': 'from-storage' });
    expect(stream.lastEventId).toBe('from-storage');
    last().respond();
    last().send('data: no id yet\n\n');
    last().end();
    vi.advanceTimersByTime(5);
    expect(last().request.headers['Last-Event-ID']).toBe('from-storage');
    last().respond();
    last().send('id: 7\ndata: x\n\n');
    last().end();
    vi.advanceTimersByTime(5);
    expect(last().request.headers['Last-Event-ID']).toBe('7');
    last().respond();
    last().send('id\ndata: reset\n\n');
    last().end();
    vi.advanceTimersByTime(5);
    expect(last().request.headers).toEqual({ Authorization: 'a', Accept: 'text/event-stream' });
    expect(headers).toEqual({ 'last-event-id': 'from-storage', Authorization: 'a' });
    stream.close();
  });

  it('takes the Last-Event-ID a headers function returns until the stream names an id, and never mutates its objects', async () => {
    const returned: Array<Record<string, string>> = [];
    let n = 0;
    const stream = connect(URL_, {
      headers: () => {
        const h = { 'Last-Event-ID': `local-${++n}` };
        returned.push(h);
        return h;
      },
      lastEventIdParam: 'since',
      retry: { jitter: 0, min: 0, initial: 5 },
    });
    expect(last().request.headers['Last-Event-ID']).toBe('local-1');
    expect(last().request.url).toBe(`${URL_}?since=local-1`);
    last().end(true);
    vi.advanceTimersByTime(5);
    expect(last().request.headers['Last-Event-ID']).toBe('local-2');
    last().respond();
    last().send('id: 9\n\n');
    last().end();
    vi.advanceTimersByTime(5);
    expect(last().request.headers['Last-Event-ID']).toBe('9');
    expect(last().request.url).toBe(`${URL_}?since=9`);
    expect(returned).toEqual([{ 'Last-Event-ID': 'local-1' }, { 'Last-Event-ID': 'local-2' }, { 'Last-Event-ID': 'local-3' }]);
    stream.close();
    await settle();
  });

  it('adds the last event ID as a query parameter only when asked and known', () => {
    const stream = connect(`${URL_}?topic=a&lastEventId=old#f`, { lastEventIdParam: 'lastEventId', retry: { min: 0, jitter: 0, initial: 5 } });
    expect(last().request.url).toBe(`${URL_}?topic=a&lastEventId=old#f`);
    last().respond();
    last().send('id: 4 2\ndata: x\n\n');
    last().end();
    vi.advanceTimersByTime(5);
    expect(last().request.url).toBe(`${URL_}?topic=a&lastEventId=4%202#f`);
    expect(last().request.headers['Last-Event-ID']).toBe('4 2');
    stream.close();
  });

  it('throws a TypeError that says what to pass for invalid options', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ headers: 5 }, /headers.*object/],
      [{ retry: { factor: 0.5 } }, /retry\.factor.*≥ 1/],
      [{ retry: { jitter: 2 } }, /retry\.jitter.*0.*1/],
      [{ retry: { initial: -1 } }, /retry\.initial/],
      [{ retry: { maxAttempts: 1.5 } }, /maxAttempts.*whole number/],
      [{ heartbeatTimeout: 0 }, /heartbeatTimeout/],
      [{ method: 'GET', body: 'x' }, /body.*POST/],
      [{ credentials: 'all' }, /credentials/],
      [{ signal: {} }, /signal.*AbortSignal/],
      [{ lastEventIdParam: '' }, /lastEventIdParam/],
      [{ method: 'BAD METHOD' }, /method/],
      [{ fetch: 'https://proxy' }, /`fetch` must be a function like fetch itself: \(url, init\) => Promise<Response>/],
      [{ fetch: null }, /`fetch` must be a function/],
      [{ onResponse: 'retry' }, /`onResponse` must be a function \(response\) => undefined \| 'accept' \| 'retry' \| Error/],
      [{ retry: { shouldRetry: true } }, /`retry\.shouldRetry` must be a function \(error, attempt\)/],
      [{ retry: { min: 'fast' } }, /`retry\.min` must be a number of ms from 0 to retry\.max \(30000\), got fast/],
    ];
    for (const [options, message] of cases) {
      expect(() => connect(URL_, options as never)).toThrow(TypeError);
      expect(() => connect(URL_, options as never)).toThrow(message);
    }
    expect(() => connect(42 as never)).toThrow(/pass the stream URL/);
    expect(() => connect('/relative')).toThrow(TypeError);
    expect(requests).toHaveLength(0);
  });
});

describe('connect(): events', () => {
  it('dispatches open, message and named events with data, lastEventId and origin', () => {
    const stream = record(connect<{ message: string; update: string }>(URL_), 'update');
    let origin = '';
    stream.addEventListener('update', (e) => {
      origin = e.origin;
    });
    expect(stream.readyState).toBe(0);
    last().respond(200, { 'Content-Type': 'text/event-stream' }, 'http://final.example/x');
    expect(stream.readyState).toBe(1);
    last().send('id: 1\ndata: a\n\nevent: update\ndata: b\n\n');
    expect(log).toEqual(['open', 'message:"a"', 'update:"b"']);
    expect(origin).toBe('http://final.example');
    expect(stream.lastEventId).toBe('1');
    stream.close();
    expect(log).toEqual(['open', 'message:"a"', 'update:"b"', 'close:clean']);
  });

  it('parses JSON data; a parse failure is a ParseError event with the raw text and the stream goes on', () => {
    const stream = connect<{ message: { n: number } }>(URL_, { json: true });
    const errors: ParseError[] = [];
    const data: unknown[] = [];
    stream.addEventListener('error', (e) => errors.push(e.error as ParseError));
    stream.addEventListener('message', (e) => data.push(e.data));
    last().respond();
    last().send('data: {"n":1}\n\ndata: {oops\n\ndata: {"n":2}\n\n');
    expect(data).toEqual([{ n: 1 }, { n: 2 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ParseError);
    expect(errors[0]).toBeInstanceOf(SSEError);
    expect(errors[0]?.data).toBe('{oops');
    expect(errors[0]?.eventType).toBe('message');
    expect(stream.readyState).toBe(1);
    stream.close();
  });
});

describe('connect(): LLM streams (OpenAI, OpenRouter)', () => {
  const chunks = [
    ': OPENROUTER PROCESSING\n\n',
    'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n',
    ': OPENROUTER PROCESSING\n\ndata: {"choices":[{"delta":{"content":"lo"}}]}\n\n',
    'data: [DONE]\n\n',
  ];

  it('with json: true, data: [DONE] closes the stream cleanly: no error event, no reconnection, even for a GET', () => {
    const stream = record(connect(URL_, { json: true }));
    last().respond();
    for (const chunk of chunks) last().send(chunk);
    expect(log).toEqual(['open', 'message:{"choices":[{"delta":{"content":"Hel"}}]}', 'message:{"choices":[{"delta":{"content":"lo"}}]}', 'close:clean']);
    expect(stream.readyState).toBe(2);
    expect(last().aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(requests).toHaveLength(1);
  });

  it('a chat completion over POST with for await: the tokens, then the loop ends', async () => {
    type Chunk = { choices: Array<{ delta: { content?: string } }> };
    const stream = connect<{ message: Chunk }>(URL_, { body: { model: 'm', stream: true, messages: [] }, json: true });
    let text = '';
    const loop = (async () => {
      for await (const { data } of stream) text += data.choices[0]?.delta.content ?? '';
    })();
    last().respond();
    for (const chunk of chunks) last().send(chunk);
    await loop;
    expect(text).toBe('Hello');
    expect(last().request.method).toBe('POST');
  });

  it('without json, [DONE] is an ordinary message', () => {
    record(connect(URL_, { body: 'x' }));
    last().respond();
    last().send('data: [DONE]\n\n');
    last().end();
    expect(log).toEqual(['open', 'message:"[DONE]"', 'close:clean']);
  });
});

describe('connect(): backoff', () => {
  it('grows exponentially from initial, capped at max, and resets after a successful open', () => {
    const stream = connect(URL_, { retry: { min: 0, initial: 100, factor: 2, max: 1000, jitter: 0 } });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      last().end(true);
      delays.push(nextDelay());
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    last().respond();
    last().end();
    expect(nextDelay()).toBe(100);
    stream.close();
  });

  it("uses the server's retry: as the base instead of initial", () => {
    const stream = connect(URL_, { retry: { min: 0, initial: 100, jitter: 0 } });
    last().respond();
    last().send('retry: 40\n\n');
    last().end();
    expect(nextDelay()).toBe(40);
    last().end(true);
    expect(nextDelay()).toBe(80);
    stream.close();
  });

  it('applies full jitter by default: uniform between retry.min (default 500) and the delay', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    const stream = connect(URL_, { retry: { initial: 1000 } });
    last().end(true);
    expect(nextDelay()).toBe(1000 - 0.25 * 500);
    stream.close();
  });

  it('spreads the waits after the retry.max cap too: clients do not re-converge at the cap', () => {
    const random = vi.spyOn(Math, 'random');
    const stream = connect(URL_, { retry: { initial: 1000, max: 4000, min: 100 } });
    const waits: number[] = [];
    for (const r of [0, 0, 0, 0, 0.5, 1]) {
      random.mockReturnValueOnce(r);
      last().end(true);
      waits.push(nextDelay());
    }
    expect(waits).toEqual([1000, 2000, 4000, 4000, 4000 - 0.5 * 3900, 100]);
    stream.close();
  });

  it("raises the server's retry: to retry.min and caps it at retry.max: retry: 0 on a server that ends every response is one request per 500 ms", () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.9);
    const stream = connect(URL_);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      last().respond();
      last().send('retry: 0\ndata: x\n\n');
      last().end();
      waits.push(nextDelay());
    }
    expect(waits).toEqual([500, 500, 500, 500]);
    last().respond();
    last().send('retry: 3600000\n\n');
    last().end();
    expect(nextDelay()).toBe(30000 - 0.9 * (30000 - 500));
    stream.close();
  });

  it('takes retry.min from the options; the default floor never exceeds retry.max; min > max is a TypeError', () => {
    const a = connect(URL_, { retry: { max: 200, jitter: 0, initial: 0 } });
    last().end(true);
    expect(nextDelay()).toBe(200);
    a.close();
    const b = connect(URL_, { retry: { min: 50, jitter: 0, initial: 0 } });
    last().end(true);
    expect(nextDelay()).toBe(50);
    b.close();
    expect(() => connect(URL_, { retry: { min: 10, max: 5 } })).toThrow(/`retry\.min` must be a number of ms from 0 to retry\.max \(5\), got 10/);
    expect(() => connect(URL_, { retry: { min: -1 } })).toThrow(TypeError);
  });

  it('spreads 20 clients refused together with the same Retry-After over the backoff delay after that instant, never sooner', () => {
    const random = vi.spyOn(Math, 'random');
    const streams = Array.from({ length: 20 }, () => connect(URL_, { retry: { initial: 1000 } }));
    const timers = vi.spyOn(globalThis, 'setTimeout');
    requests.forEach((request, i) => {
      random.mockReturnValueOnce(i / 20);
      request.respond(429, { 'Retry-After': '7' });
    });
    const waits = timers.mock.calls.map((call) => call[1] as number);
    expect(waits).toHaveLength(20);
    expect(Math.min(...waits)).toBe(7000);
    expect(new Set(waits).size).toBe(20);
    expect(Math.max(...waits)).toBe(7000 + (19 / 20) * 1000);
    for (const stream of streams) stream.close();
  });

  it('reads an HTTP-date Retry-After against the response Date, so a client clock that is off does not matter', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const server = Date.now() - 3600_000;
    const stream = connect(URL_);
    last().respond(503, { Date: new Date(server).toUTCString(), 'Retry-After': new Date(server + 5000).toUTCString() });
    expect(nextDelay()).toBe(5000);
    stream.close();
  });

  it('gives up after maxAttempts with a GaveUpError carrying the last failure', async () => {
    const stream = record(connect(URL_, { retry: { min: 0, initial: 10, jitter: 0, maxAttempts: 2 } }));
    const iteration = stream[Symbol.asyncIterator]().next();
    last().end(true);
    vi.advanceTimersByTime(10);
    last().respond(500);
    vi.advanceTimersByTime(20);
    last().end(true);
    expect(requests).toHaveLength(3);
    expect(log).toEqual(['error:NetworkError', 'error:HttpStatusError', 'error:NetworkError', 'error:GaveUpError', 'close:GaveUpError']);
    expect(stream.readyState).toBe(2);
    const error = await iteration.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GaveUpError);
    expect((error as GaveUpError).attempts).toBe(2);
    expect((error as GaveUpError).cause).toBeInstanceOf(NetworkError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('honours Retry-After on every retried response (seconds and HTTP date)', () => {
    const stream = connect(URL_, { retry: { min: 0, initial: 10, jitter: 0 } });
    last().respond(503, { 'Retry-After': '7' });
    expect(nextDelay()).toBe(7000);
    last().respond(429, { 'Retry-After': new Date(Date.now() + 2000).toUTCString() });
    const d = nextDelay();
    expect(d).toBeGreaterThan(1000);
    expect(d).toBeLessThanOrEqual(2000);
    last().respond(500, { 'Retry-After': '7' });
    expect(nextDelay()).toBe(7000);
    stream.close();
  });

  it('retries 408, 429, 5xx and network errors; other 4xx, 3xx and a wrong type are fatal', () => {
    for (const status of [408, 429, 500, 502, 503]) {
      const stream = connect(URL_, { retry: { jitter: 0 } });
      last().respond(status);
      expect(stream.readyState).toBe(0);
      expect(vi.getTimerCount()).toBe(1);
      stream.close();
    }
    for (const status of [301, 400, 401, 403, 404, 410]) {
      const stream = record(connect(URL_));
      let error: unknown;
      stream.addEventListener('close', (e) => {
        error = e.error;
      });
      last().respond(status, { 'Content-Type': 'text/html', 'X-Why': 'because' }, 'http://final/x');
      expect(stream.readyState).toBe(2);
      expect(error).toBeInstanceOf(HttpStatusError);
      expect((error as HttpStatusError).status).toBe(status);
      expect((error as HttpStatusError).headers.get('x-why')).toBe('because');
      expect((error as HttpStatusError).url).toBe('http://final/x');
      expect(last().aborted).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    }
    const stream = record(connect(URL_));
    last().respond(200, { 'Content-Type': 'application/json' });
    expect(log.slice(-2)).toEqual(['error:ContentTypeError', 'close:ContentTypeError']);
    expect(stream.readyState).toBe(2);
  });

  it('closes cleanly on 204: no error, for await simply ends', async () => {
    const stream = record(connect(URL_));
    const iteration = stream[Symbol.asyncIterator]().next();
    last().respond(204, {});
    expect(log).toEqual(['close:clean']);
    await expect(iteration).resolves.toEqual({ value: undefined, done: true });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('connect(): onResponse hook', () => {
  it('sees the head of every response (status, statusText, headers, final URL) before the stream is accepted', () => {
    const heads: Array<[number, string | null, string, number]> = [];
    const stream = connect(URL_, {
      retry: { min: 0, jitter: 0, initial: 5 },
      onResponse(response) {
        heads.push([response.status, response.headers.get('x-id'), response.url, stream.readyState]);
      },
    });
    last().respond(503, { 'X-Id': 'a' });
    vi.advanceTimersByTime(5);
    last().respond(200, { 'Content-Type': 'text/event-stream', 'X-Id': 'b' }, 'http://final/x');
    expect(heads).toEqual([
      [503, 'a', URL_, 0],
      [200, 'b', 'http://final/x', 0],
    ]);
    expect(stream.readyState).toBe(1);
    stream.close();
  });

  it("'retry' reconnects at once, with the response's HttpStatusError as the error event, counted by maxAttempts", () => {
    const stream = record(connect(URL_, { retry: { maxAttempts: 1, initial: 5000 }, onResponse: (r) => (r.status === 401 ? 'retry' : undefined) }));
    last().respond(401, { 'Content-Type': 'text/plain' });
    expect(stream.readyState).toBe(0);
    expect(log).toEqual(['error:HttpStatusError']);
    expect(requests[0]?.aborted).toBe(true);
    expect(nextDelay()).toBe(0);
    expect(requests).toHaveLength(2);
    last().respond(401);
    expect(log).toEqual(['error:HttpStatusError', 'error:HttpStatusError', 'error:GaveUpError', 'close:GaveUpError']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("'retry' still waits for the response's Retry-After", () => {
    const stream = connect(URL_, { retry: { jitter: 0 }, onResponse: () => 'retry' });
    last().respond(200, { 'Content-Type': 'text/event-stream', 'Retry-After': '3' });
    expect(nextDelay()).toBe(3000);
    stream.close();
  });

  it("'accept' reads a body the default rules refuse: a 200 sent as text/plain, a 404 that streams", () => {
    const stream = record(connect(URL_, { retry: { min: 0, jitter: 0, initial: 5 }, onResponse: () => 'accept' }));
    last().respond(200, { 'Content-Type': 'text/plain' });
    last().send('data: a\n\n');
    last().end();
    vi.advanceTimersByTime(5);
    last().respond(404, {});
    last().send('data: b\n\n');
    expect(log).toEqual(['open', 'message:"a"', 'open', 'message:"b"']);
    stream.close();
  });

  it('an Error ends the stream with it: an SSEError as is, any other as the cause of an SSEError with its message', () => {
    const mine = new SSEError('session expired');
    let stream = record(connect(URL_, { onResponse: () => mine }));
    let closed: unknown;
    stream.addEventListener('close', (e) => (closed = e.error));
    last().respond();
    expect(closed).toBe(mine);
    expect(log).toEqual(['error:SSEError', 'close:SSEError']);
    expect(last().aborted).toBe(true);
    const plain = new RangeError('quota');
    stream = connect(URL_, { onResponse: () => plain });
    stream.addEventListener('close', (e) => (closed = e.error));
    last().respond();
    expect(closed).toBeInstanceOf(SSEError);
    expect((closed as SSEError).message).toBe('quota');
    expect((closed as SSEError).cause).toBe(plain);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an exception in it ends the stream with an SSEError whose cause it is; closing the stream in it stops there', () => {
    const oops = new Error('bug');
    let closed: unknown;
    const a = connect(URL_, {
      onResponse: () => {
        throw oops;
      },
    });
    a.addEventListener('close', (e) => (closed = e.error));
    last().respond();
    expect((closed as SSEError).cause).toBe(oops);
    expect((closed as SSEError).message).toMatch(/onResponse\(\) threw: Error: bug/);
    const b: EventStream = record(connect(URL_, { onResponse: () => b.close() }));
    last().respond();
    expect(log).toEqual(['close:clean']);
    expect(b.readyState).toBe(2);
  });

  it('the README recipe: on 401, refresh the token and reconnect at once, once', async () => {
    let token = Promise.resolve('old');
    let refreshed = false;
    const refreshToken = vi.fn(() => Promise.resolve('new'));
    const stream = record(
      connect(URL_, {
        headers: async () => ({ Authorization: `Bearer ${await token}` }),
        onResponse(response) {
          if (response.status !== 401) refreshed = false;
          else if (!refreshed) {
            refreshed = true;
            token = refreshToken();
            return 'retry';
          }
        },
      }),
    );
    await settle();
    expect(last().request.headers['Authorization']).toBe('Bearer old');
    last().respond(401);
    vi.advanceTimersByTime(0);
    await settle();
    expect(requests).toHaveLength(2);
    expect(last().request.headers['Authorization']).toBe('Bearer new');
    last().respond();
    expect(log).toEqual(['error:HttpStatusError', 'open']);
    // Much later the new token expires too: one more refresh, then a second 401 in a row is final.
    last().end();
    vi.advanceTimersToNextTimer();
    await settle();
    last().respond(401);
    vi.advanceTimersByTime(0);
    await settle();
    last().respond(401);
    expect(refreshToken).toHaveBeenCalledTimes(2);
    expect(log.slice(2)).toEqual(['error:HttpStatusError', 'error:HttpStatusError', 'close:HttpStatusError']);
    expect(stream.readyState).toBe(2);
  });
});

describe('connect(): retry.shouldRetry', () => {
  it('decides per failure: true retries what the default rule ends, false ends what it retries, anything else keeps the rule', () => {
    const calls: Array<[string, number]> = [];
    const verdicts: Array<boolean | undefined> = [true, undefined, false];
    const stream = record(
      connect(URL_, {
        retry: {
          jitter: 0,
          min: 0,
          initial: 5,
          shouldRetry(error, attempt) {
            calls.push([error.name + (error instanceof HttpStatusError ? error.status : ''), attempt]);
            return verdicts.shift();
          },
        },
      }),
    );
    last().respond(404);
    vi.advanceTimersByTime(5);
    last().end(true);
    vi.advanceTimersByTime(10);
    last().respond(503);
    expect(calls).toEqual([
      ['HttpStatusError404', 1],
      ['NetworkError', 2],
      ['HttpStatusError503', 3],
    ]);
    expect(requests).toHaveLength(3);
    expect(log).toEqual(['error:HttpStatusError', 'error:NetworkError', 'error:HttpStatusError', 'close:HttpStatusError']);
    expect(stream.readyState).toBe(2);
  });

  it('is not asked about the end of a body, and maxAttempts still applies', () => {
    const shouldRetry = vi.fn(() => true);
    const stream = record(connect(URL_, { retry: { min: 0, jitter: 0, initial: 5, maxAttempts: 1, shouldRetry } }));
    last().respond();
    last().end();
    expect(shouldRetry).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5);
    // The body's end took the one attempt allowed: this failure, retried by shouldRetry, gives up.
    last().end(true);
    expect(shouldRetry).toHaveBeenCalledTimes(1);
    expect(requests).toHaveLength(2);
    expect(log).toEqual(['open', 'error:NetworkError', 'error:GaveUpError', 'close:GaveUpError']);
    expect(stream.readyState).toBe(2);
  });

  it('may re-send a POST whose response broke off (the default rule would end it)', () => {
    const stream = connect(URL_, { body: 'x', retry: { min: 0, jitter: 0, initial: 5, shouldRetry: (e) => e instanceof NetworkError } });
    last().respond();
    last().end(true);
    vi.advanceTimersByTime(5);
    expect(requests).toHaveLength(2);
    expect(last().request.body).toBe('x');
    stream.close();
  });

  it('an exception in it ends the stream with an SSEError whose cause it is', () => {
    const oops = new Error('bug');
    let closed: unknown;
    const stream = connect(URL_, {
      retry: {
        shouldRetry: () => {
          throw oops;
        },
      },
    });
    stream.addEventListener('close', (e) => (closed = e.error));
    last().end(true);
    expect((closed as SSEError).cause).toBe(oops);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('connect(): errors say what happened', () => {
  it('a failure before any response: NetworkError "Could not connect", with the platform error as cause', () => {
    const stream = connect(URL_);
    let error: NetworkError | undefined;
    stream.addEventListener('error', (e) => (error = e.error as NetworkError));
    const cause = new TypeError('fetch failed');
    last().end(true, undefined, cause);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error?.message).toBe(`Could not connect to ${URL_}: TypeError: fetch failed.`);
    expect(error?.cause).toBe(cause);
    stream.close();
  });

  it('a body cut off after the stream opened: NetworkError "broke off", the final close says so for a POST', () => {
    const stream = connect(URL_, { body: 'x' });
    let closed: unknown;
    stream.addEventListener('close', (e) => (closed = e.error));
    last().respond();
    last().end(true, undefined, new TypeError('terminated'));
    expect(closed).toBeInstanceOf(NetworkError);
    expect((closed as NetworkError).message).toBe(`The response from ${URL_} broke off: TypeError: terminated.`);
  });

  it('an abort the page caused (window.stop()) ends the stream with a NetworkError, not retried, as it fails an EventSource', () => {
    const stream = record(connect(URL_));
    const errors: string[] = [];
    stream.onerror = (e) => errors.push(e.error.message);
    last().respond();
    last().end(true, undefined, undefined, true);
    expect(log).toEqual(['open', 'error:NetworkError', 'close:NetworkError']);
    expect(errors).toEqual([`The page aborted the request to ${URL_} (window.stop(), a navigation).`]);
  });

  it('GaveUpError names the last failure', () => {
    const stream = connect(URL_, { retry: { maxAttempts: 0 } });
    let closed: unknown;
    stream.addEventListener('close', (e) => (closed = e.error));
    last().respond(503, {}, 'http://final/x');
    expect((closed as GaveUpError).message).toBe('Gave up after 0 reconnection attempts; the last failure: The server answered 503 for http://final/x.');
  });
});

describe('connect(): non-idempotent requests', () => {
  it('does not send a POST again once its response started: end of body closes the stream', () => {
    const stream = record(connect(URL_, { body: 'prompt' }));
    last().respond();
    last().send('data: answer\n\n');
    last().end();
    expect(requests).toHaveLength(1);
    expect(log).toEqual(['open', 'message:"answer"', 'close:clean']);
    expect(vi.getTimerCount()).toBe(0);
    expect(stream.readyState).toBe(2);
  });

  it('ends, without retrying, when the transport reports a CORS failure', () => {
    const stream = record(connect(URL_));
    last().end(true, true);
    expect(requests).toHaveLength(1);
    expect(log).toEqual(['error:NetworkError', 'close:NetworkError']);
    expect(vi.getTimerCount()).toBe(0);
    expect(stream.readyState).toBe(2);
  });

  it('ends with the NetworkError when a started POST breaks', () => {
    record(connect(URL_, { body: 'prompt' }));
    last().respond();
    last().end(true);
    expect(requests).toHaveLength(1);
    expect(log).toEqual(['open', 'error:NetworkError', 'close:NetworkError']);
  });

  it('does retry a POST that got no response, and re-sends any with retryNonIdempotent', () => {
    const a = connect(URL_, { body: 'x', retry: { min: 0, jitter: 0, initial: 5 } });
    last().end(true);
    vi.advanceTimersByTime(5);
    expect(requests).toHaveLength(2);
    expect(last().request.method).toBe('POST');
    a.close();
    const b = connect(URL_, { body: 'x', retryNonIdempotent: true, retry: { min: 0, jitter: 0, initial: 5 } });
    last().respond();
    last().end();
    vi.advanceTimersByTime(5);
    expect(requests).toHaveLength(4);
    expect(last().request.body).toBe('x');
    b.close();
  });
});

describe('connect(): memory bound of XHR (text) connections', () => {
  const big = (id: number) => `id: ${id}\ndata: ${'x'.repeat(1000)}\n\n`;

  it('renews a GET silently with the same headers and the new Last-Event-ID', () => {
    const stream = record(connect(URL_, { headers: { Authorization: 'a' }, lastEventIdParam: 'last' }));
    last().respond();
    let id = 0;
    while (requests.length === 1) last().send(big(++id), true);
    expect(last().request.headers).toMatchObject({ Authorization: 'a', 'Last-Event-ID': String(id) });
    expect(last().request.url).toBe(`${URL_}?last=${id}`);
    last().respond();
    expect(log.filter((l) => !l.startsWith('message'))).toEqual(['open']);
    stream.close();
  });

  it('never renews a POST: it would be sent twice', () => {
    const stream = connect(URL_, { body: 'x' });
    last().respond();
    for (let id = 1; id < 700; id++) last().send(big(id), true);
    expect(requests).toHaveLength(1);
    stream.close();
  });
});

describe('connect(): heartbeat', () => {
  it('reconnects with a HeartbeatTimeoutError when no byte arrives in time, and not while bytes flow', () => {
    const stream = record(connect(URL_, { heartbeatTimeout: 1000, retry: { min: 0, jitter: 0, initial: 10 } }));
    last().respond();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(900);
      last().send(': keep-alive\n');
    }
    expect(requests).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(log).toEqual(['open', 'error:HeartbeatTimeoutError']);
    expect(requests[0]?.aborted).toBe(true);
    vi.advanceTimersByTime(10);
    expect(requests).toHaveLength(2);
    stream.close();
  });

  it('measures elapsed time: a throttled timer that fires late after data arrived does not reconnect', () => {
    const stream = record(connect(URL_, { heartbeatTimeout: 1000 }));
    last().respond();
    // The tab is in the background: the clock moves on but no timer runs; data arrives meanwhile.
    vi.setSystemTime(Date.now() + 5000);
    last().send(': ping\n');
    vi.advanceTimersByTime(1000);
    expect(log).toEqual(['open']);
    expect(requests).toHaveLength(1);
    stream.close();
  });

  it('looks once more when its own timer was late, then declares the stall', () => {
    const stream = record(connect(URL_, { heartbeatTimeout: 1000 }));
    last().respond();
    vi.setSystemTime(Date.now() + 5000);
    vi.advanceTimersByTime(1000);
    expect(log).toEqual(['open']);
    vi.advanceTimersByTime(1000);
    expect(log).toEqual(['open', 'error:HeartbeatTimeoutError']);
    expect(requests[0]?.aborted).toBe(true);
    stream.close();
  });

  it('arms no watch for a request its transport ended from within the call: no stall during the backoff', () => {
    // A transport that reports a network error synchronously, before startConnection returns.
    setTransport((_request, handlers) => {
      handlers.onEnd(true);
      return () => {};
    });
    let attempts = 0;
    const stream = record(
      connect(URL_, {
        heartbeatTimeout: 1000,
        retry: {
          min: 0,
          jitter: 0,
          initial: 5000,
          shouldRetry: () => {
            attempts++;
            return attempts < 3;
          },
        },
      }),
    );
    // The first failure came within connect() (before any listener); the reconnection waits 5 s.
    expect(attempts).toBe(1);
    // Only the reconnection timer is pending: no heartbeat watch for the dead request.
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(4999);
    expect(log).toEqual([]);
    expect(attempts).toBe(1);
    stream.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ends a started POST on a heartbeat timeout instead of re-sending it', () => {
    record(connect(URL_, { body: 'x', heartbeatTimeout: 500 }));
    last().respond();
    vi.advanceTimersByTime(500);
    expect(log).toEqual(['open', 'error:HeartbeatTimeoutError', 'close:HeartbeatTimeoutError']);
    expect(requests).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('exposes the timeout on the error', () => {
    const stream = connect(URL_, { heartbeatTimeout: 250 });
    let error: unknown;
    stream.addEventListener('error', (e) => {
      error = e.error;
    });
    vi.advanceTimersByTime(250);
    expect(error).toBeInstanceOf(HeartbeatTimeoutError);
    expect((error as HeartbeatTimeoutError).timeout).toBe(250);
    stream.close();
  });
});

describe('connect(): abort and close', () => {
  function signalWithCount() {
    const controller = new AbortController();
    const signal = controller.signal;
    let listeners = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof remove;
    return { controller, signal, count: () => listeners };
  }

  it('never connects with an already-aborted signal, and fires close once, after listeners can be added', async () => {
    const stream = connect(URL_, { signal: AbortSignal.abort() });
    record(stream);
    expect(stream.readyState).toBe(2);
    const iteration = stream[Symbol.asyncIterator]().next();
    vi.advanceTimersByTime(0);
    expect(log).toEqual(['close:clean']);
    expect(requests).toHaveLength(0);
    await expect(iteration).resolves.toEqual({ value: undefined, done: true });
    expect(vi.getTimerCount()).toBe(0);
  });

  const states: Array<[string, (stream: EventStream) => void]> = [
    ['connecting', () => {}],
    ['open', () => last().respond()],
    ['waiting to reconnect', () => last().end(true)],
  ];
  for (const [name, enter] of states) {
    it(`abort while ${name}: request aborted, timers cleared, close fired once, for await settled, listener removed`, async () => {
      const { controller, signal, count } = signalWithCount();
      const stream = record(connect(URL_, { signal, heartbeatTimeout: 5000 }));
      const iteration = stream[Symbol.asyncIterator]().next();
      enter(stream);
      expect(count()).toBe(1);
      controller.abort();
      stream.close();
      expect(stream.readyState).toBe(2);
      expect(requests.every((r) => r.aborted || r.ended)).toBe(true);
      expect(requests.some((r) => r.aborted) || name === 'waiting to reconnect').toBe(true);
      expect(vi.getTimerCount()).toBe(0);
      expect(log.filter((l) => l.startsWith('close'))).toEqual(['close:clean']);
      expect(count()).toBe(0);
      await expect(iteration).resolves.toEqual({ value: undefined, done: true });
    });
  }
});

describe("connect(): the page's lifecycle", () => {
  let page: FakePage;
  beforeEach(() => {
    page = installFakePage();
  });
  // Fixed waits: initial 100 ms doubling, no jitter, no floor.
  const retry = { initial: 100, min: 0, jitter: 0 };

  const pauses: Array<[string, () => void, () => void]> = [
    ['the back/forward cache (pagehide and pageshow, persisted)', () => page.fire('pagehide', true), () => page.fire('pageshow', true)],
    ['a frozen page (freeze and resume)', () => page.fire('freeze'), () => page.fire('resume')],
  ];
  for (const [name, pause, resume] of pauses) {
    it(`${name}: aborts the request, reconnects at once with Last-Event-ID; no error event, no attempt counted, no backoff grown`, () => {
      const stream = record(connect(URL_, { retry: { ...retry, maxAttempts: 1 }, heartbeatTimeout: 5000 }));
      last().respond();
      last().send('id: 1\ndata: a\n\n');
      for (let i = 0; i < 3; i++) {
        pause();
        expect(last().aborted).toBe(true);
        expect(stream.readyState).toBe(0);
        // No reconnection wait, no heartbeat: nothing runs while the page cannot.
        expect(vi.getTimerCount()).toBe(0);
        resume();
        expect(requests).toHaveLength(i + 2);
        expect(last().request.headers['Last-Event-ID']).toBe('1');
      }
      // Three lifecycle reconnections later, the first failure still waits retry.initial, and is retried (maxAttempts 1).
      last().end(true);
      expect(nextDelay()).toBe(100);
      last().respond();
      expect(log).toEqual(['open', 'message:"a"', 'error:NetworkError', 'open']);
      stream.close();
    });
  }

  for (const [name, pause, resume] of pauses) {
    it(`${name}: a pending reconnection is cancelled while paused and made at once after, counted once`, () => {
      const stream = record(connect(URL_, { retry: { ...retry, maxAttempts: 1 } }));
      last().end(true);
      expect(vi.getTimerCount()).toBe(1);
      pause();
      expect(vi.getTimerCount()).toBe(0);
      resume();
      expect(requests).toHaveLength(2);
      // That was the one attempt allowed: the next failure gives up.
      last().end(true);
      expect(log).toEqual(['error:NetworkError', 'error:NetworkError', 'error:GaveUpError', 'close:GaveUpError']);
      expect(stream.readyState).toBe(2);
    });

    it(`${name} in the middle of a backoff: the waits after it are those without it (100, 200, then 800 ms)`, () => {
      const stream = record(connect(URL_, { retry }));
      last().end(true);
      expect(nextDelay()).toBe(100);
      last().end(true);
      expect(nextDelay()).toBe(200);
      // The third failure's wait (400 ms) is cut short by the pause: the attempt it stood for is made on resume.
      last().end(true);
      pause();
      resume();
      expect(requests).toHaveLength(4);
      last().end(true);
      expect(nextDelay()).toBe(800);
      expect(log).toEqual(Array(4).fill('error:NetworkError'));
      stream.close();
    });
  }

  it('page transition events without persisted, and resume while not frozen, change nothing', () => {
    const stream = record(connect(URL_));
    last().respond();
    page.fire('pagehide', false);
    page.fire('pageshow', false);
    page.fire('resume');
    expect(requests).toHaveLength(1);
    expect(last().aborted).toBe(false);
    stream.close();
  });

  it('a response that must not be asked for again (a started POST) is never paused', () => {
    const stream = record(connect(URL_, { body: 'x', pauseWhenHidden: true }));
    last().respond();
    page.fire('freeze');
    page.show(false);
    page.fire('pagehide', true);
    expect(last().aborted).toBe(false);
    page.fire('pageshow', true);
    last().send('data: answer\n\n');
    expect(requests).toHaveLength(1);
    expect(log).toEqual(['open', 'message:"answer"']);
    stream.close();
  });

  it('offline: a failure counts no attempt toward maxAttempts, and online reconnects at once instead of waiting', () => {
    const stream = record(connect(URL_, { retry: { initial: 60_000, min: 60_000, max: 60_000, maxAttempts: 1 } }));
    page.online(false);
    for (let i = 0; i < 3; i++) {
      last().end(true);
      expect(nextDelay()).toBe(60_000);
    }
    last().end(true);
    expect(vi.getTimerCount()).toBe(1);
    page.online(true);
    page.fire('online');
    expect(vi.getTimerCount()).toBe(0);
    expect(requests).toHaveLength(5);
    last().respond();
    expect(log).toEqual([...Array(4).fill('error:NetworkError'), 'open']);
    // online while the stream is open changes nothing.
    page.fire('online');
    expect(requests).toHaveLength(5);
    stream.close();
  });

  it('offline: the backoff does not grow either; online again, failures go on from where they were', () => {
    const stream = record(connect(URL_, { retry }));
    last().end(true);
    expect(nextDelay()).toBe(100);
    page.online(false);
    for (let i = 0; i < 3; i++) {
      last().end(true);
      expect(nextDelay()).toBe(200);
    }
    page.online(true);
    last().end(true);
    expect(nextDelay()).toBe(200);
    last().end(true);
    expect(nextDelay()).toBe(400);
    expect(log).toEqual(Array(6).fill('error:NetworkError'));
    stream.close();
  });

  it('the online event does not wake a paused stream (frozen, cached, or hidden with pauseWhenHidden)', () => {
    const stream = record(connect(URL_, { pauseWhenHidden: true, retry }));
    last().end(true);
    for (const [pause, resume] of [
      [() => page.fire('freeze'), () => page.fire('resume')],
      [() => page.fire('pagehide', true), () => page.fire('pageshow', true)],
      [() => page.show(false), () => page.show(true)],
    ] as const) {
      const before = requests.length;
      pause();
      page.fire('online');
      expect(requests).toHaveLength(before);
      expect(vi.getTimerCount()).toBe(0);
      resume();
      expect(requests).toHaveLength(before + 1);
      last().end(true);
    }
    stream.close();
  });

  it('online: a wait counted while online still counts', () => {
    const stream = record(connect(URL_, { retry: { ...retry, maxAttempts: 1 } }));
    last().end(true);
    page.fire('online');
    last().end(true);
    expect(log).toEqual(['error:NetworkError', 'error:NetworkError', 'error:GaveUpError', 'close:GaveUpError']);
    expect(stream.readyState).toBe(2);
  });

  it('pauseWhenHidden: no request while the page is hidden (a wait is cancelled too); visible again, it reconnects at once with Last-Event-ID', () => {
    const stream = record(connect(URL_, { pauseWhenHidden: true, retry }));
    last().respond();
    last().send('id: 4\ndata: a\n\n');
    page.show(false);
    expect(last().aborted).toBe(true);
    expect(stream.readyState).toBe(0);
    // Unfrozen but still hidden: still paused.
    page.fire('freeze');
    page.fire('resume');
    expect(requests).toHaveLength(1);
    page.show(true);
    expect(requests).toHaveLength(2);
    expect(last().request.headers['Last-Event-ID']).toBe('4');
    last().end(true);
    page.show(false);
    expect(vi.getTimerCount()).toBe(0);
    page.show(true);
    expect(requests).toHaveLength(3);
    expect(log).toEqual(['open', 'message:"a"', 'error:NetworkError']);
    stream.close();
  });

  it('without pauseWhenHidden (the default), a hidden page keeps its stream', () => {
    const stream = record(connect(URL_));
    last().respond();
    page.show(false);
    expect(last().aborted).toBe(false);
    stream.close();
  });

  it('listens to the window and the document from the start, and leaves nothing behind after close, an error or an abort', () => {
    const controller = new AbortController();
    const all = ['document freeze', 'document resume', 'document visibilitychange', 'window online', 'window pagehide', 'window pageshow'];
    const a = connect(URL_);
    // securitypolicyviolation until the response (issue 18: a CSP block ends the stream).
    expect(page.listeners()).toEqual([...all, 'document securitypolicyviolation'].sort());
    last().respond();
    expect(page.listeners()).toEqual(all);
    a.close();
    expect(page.listeners()).toEqual([]);
    connect(URL_, { retry: { maxAttempts: 0 } });
    last().end(true);
    connect(URL_, { signal: controller.signal });
    controller.abort();
    connect(URL_, { signal: AbortSignal.abort() });
    vi.advanceTimersByTime(0);
    expect(page.listeners()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('outside a document (a worker, Node), listens to nothing', () => {
    vi.unstubAllGlobals();
    const stream = connect(URL_);
    expect(page.listeners()).toEqual([]);
    stream.close();
  });
});

describe('connect(): for await and messages()', () => {
  it('for await yields the message events (what onmessage gets) in order, drains what was queued, and ends when the stream closes', async () => {
    const stream = connect<{ message: string; tick: string }>(URL_);
    last().respond();
    const seen: string[] = [];
    const loop = (async () => {
      for await (const message of stream) seen.push(`${message.type}:${message.data}`);
    })();
    last().send('data: a\n\nevent: tick\ndata: b\n\n');
    last().send('data: c\n\n');
    stream.close();
    await loop;
    expect(seen).toEqual(['message:a', 'message:c']);
  });

  it('messages(...types) yields the types asked for, messages() every type, each loop its own', async () => {
    const stream = connect<{ message: string; tick: string; other: string }>(URL_);
    last().respond();
    const named: string[] = [];
    const every: string[] = [];
    const a = (async () => {
      for await (const m of stream.messages('tick', 'message')) named.push(`${m.type}:${m.data}`);
    })();
    const b = (async () => {
      for await (const m of stream.messages()) every.push(`${m.type}:${String(m.data)}`);
    })();
    last().send('data: a\n\nevent: tick\ndata: b\n\nevent: other\ndata: c\n\n');
    await settle();
    stream.close();
    await Promise.all([a, b]);
    expect(named).toEqual(['message:a', 'tick:b']);
    expect(every).toEqual(['message:a', 'tick:b', 'other:c']);
  });

  it('hands server events named open, error or close to no listener (they are the stream own), only to messages() loops asking for them', async () => {
    const stream = record(connect<{ error: { code: number } }>(URL_, { json: true }));
    last().respond();
    const errors: unknown[] = [];
    const loop = (async () => {
      for await (const m of stream.messages('error')) errors.push(m.data.code);
    })();
    last().send('event: error\ndata: {"code":7}\n\nevent: close\ndata: 1\n\nevent: open\ndata: 2\n\n');
    await settle();
    stream.close();
    await loop;
    expect(log).toEqual(['open', 'close:clean']);
    expect(errors).toEqual([7]);
  });

  it('closes the stream when the loop breaks', async () => {
    const stream = connect(URL_);
    last().respond();
    const loop = (async () => {
      for await (const message of stream) {
        if (message.data === 'stop') break;
      }
    })();
    last().send('data: go\n\ndata: stop\n\ndata: never\n\n');
    await loop;
    expect(stream.readyState).toBe(2);
    expect(last().aborted).toBe(true);
  });

  it('throws the terminal error', async () => {
    const stream = connect(URL_);
    const loop = (async () => {
      for await (const _ of stream) void _;
    })();
    last().respond(404);
    await expect(loop).rejects.toBeInstanceOf(HttpStatusError);
  });

  it('a loop over a closed stream ends at once', async () => {
    const stream = connect(URL_);
    stream.close();
    await expect(stream.messages().next()).resolves.toEqual({ value: undefined, done: true });
  });
});

describe('connect(): backpressure', () => {
  it('holds the next read while a loop has messages it has not taken, and reads on when every loop waits again', async () => {
    const stream = connect(URL_);
    last().respond();
    let release!: () => void;
    const seen: string[] = [];
    const loop = (async () => {
      for await (const m of stream) {
        seen.push(m.data);
        if (m.data === 'a') await new Promise<void>((resolve) => (release = resolve));
      }
    })();
    await settle();
    // The loop waits: nothing is held.
    expect(last().send('data: a\n\n')).toBeUndefined();
    await settle();
    // The loop body is busy with "a": b and c queue, the read is held.
    const hold = last().send('data: b\n\ndata: c\n\n');
    expect(hold).toBeInstanceOf(Promise);
    let resumed = false;
    void (hold as Promise<unknown>).then(() => (resumed = true));
    await settle();
    expect(resumed).toBe(false);
    release();
    await vi.waitFor(() => expect(resumed).toBe(true));
    expect(seen).toEqual(['a', 'b', 'c']);
    stream.close();
    await loop;
  });

  it('is no stall for the heartbeat while the read is held; the watch goes on when reading resumes', async () => {
    const stream = record(connect(URL_, { heartbeatTimeout: 1000 }));
    last().respond();
    let release!: () => void;
    const loop = (async () => {
      for await (const _ of stream) await new Promise<void>((resolve) => (release = resolve));
    })();
    await settle();
    last().send('data: a\n\n');
    await settle();
    expect(last().send('data: b\n\n')).toBeInstanceOf(Promise);
    vi.advanceTimersByTime(5000);
    const errors = () => log.filter((l) => l.startsWith('error'));
    expect(errors()).toEqual([]);
    release();
    await settle();
    release();
    await settle();
    vi.advanceTimersByTime(999);
    expect(errors()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(errors()).toEqual(['error:HeartbeatTimeoutError']);
    stream.close();
    await loop;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('holds nothing for listeners alone, nor for a loop that keeps up', async () => {
    const stream = connect(URL_);
    stream.addEventListener('message', () => undefined);
    last().respond();
    expect(last().send('data: a\n\ndata: b\n\n')).toBeUndefined();
    stream.close();
  });

  it(`over XHR, which cannot pause, ends the stream once a loop is more than ${MAX_BACKLOG} messages behind`, async () => {
    const stream = record(connect(URL_));
    last().respond();
    const loop = (async () => {
      for await (const _ of stream) await new Promise(() => undefined);
    })();
    await settle();
    last().send('data: first\n\n', true);
    await settle();
    last().send('data: x\n\n'.repeat(MAX_BACKLOG), true);
    expect(stream.readyState).toBe(1);
    last().send('data: one too many\n\n', true);
    expect(stream.readyState).toBe(2);
    expect(log.slice(-2)).toEqual(['error:SSEError', 'close:SSEError']);
    void loop;
  });
});

describe('connect(): handler properties', () => {
  it('onopen, onmessage, onerror and onclose are called with the events, this being the stream', () => {
    const stream = connect(URL_, { body: 'x' });
    const calls: string[] = [];
    stream.onopen = function (e) {
      calls.push(`open:${this === stream}:${e.type}`);
    };
    stream.onmessage = (e) => calls.push(`message:${e.data}`);
    stream.onerror = (e) => calls.push(`error:${e.error.name}`);
    stream.onclose = (e) => calls.push(`close:${e.error ? e.error.name : 'clean'}`);
    last().respond();
    last().send('data: a\n\nevent: named\ndata: b\n\n');
    last().end(true);
    expect(calls).toEqual(['open:true:open', 'message:a', 'error:NetworkError', 'close:NetworkError']);
  });

  it('behave as on EventSource: the getter returns the handler, null removes it, the handler keeps the place of its first assignment', () => {
    const stream = connect(URL_);
    const order: string[] = [];
    expect(stream.onmessage).toBeNull();
    stream.addEventListener('message', () => order.push('listener 1'));
    const first = () => order.push('handler 1');
    stream.onmessage = first;
    expect(stream.onmessage).toBe(first);
    stream.addEventListener('message', () => order.push('listener 2'));
    stream.onmessage = () => order.push('handler 2');
    last().respond();
    last().send('data: a\n\n');
    expect(order).toEqual(['listener 1', 'handler 2', 'listener 2']);
    stream.onmessage = null;
    expect(stream.onmessage).toBeNull();
    last().send('data: b\n\n');
    expect(order).toEqual(['listener 1', 'handler 2', 'listener 2', 'listener 1', 'listener 2']);
    (stream as unknown as { onmessage: unknown }).onmessage = 'not a function';
    expect(stream.onmessage).toBeNull();
    stream.close();
  });

  it('throw on an object that is not a stream', () => {
    const descriptor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(connect(URL_)), 'onclose') as PropertyDescriptor;
    expect(() => (descriptor.get as () => unknown).call({})).toThrow(/Illegal invocation/);
  });
});

describe('errors', () => {
  it('have stable names and a common base', () => {
    const errors: Array<[SSEError, string]> = [
      [new SSEError('x'), 'SSEError'],
      [new HttpStatusError({ status: 500, statusText: '', headers: { get: () => null }, url: URL_ }), 'HttpStatusError'],
      [new ContentTypeError(null, URL_), 'ContentTypeError'],
      [new NetworkError('x'), 'NetworkError'],
      [new HeartbeatTimeoutError(1), 'HeartbeatTimeoutError'],
      [new ParseError('x', 'message', null), 'ParseError'],
      [new GaveUpError(1, null), 'GaveUpError'],
    ];
    for (const [error, name] of errors) {
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(SSEError);
      expect(error).toBeInstanceOf(Error);
    }
  });
});
