// connect() and EventSource in Node over real HTTP (global fetch) against a local server on 127.0.0.1.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect } from '../src/client';
import { HttpStatusError, NetworkError, SSEError } from '../src/errors';
import { EventSource } from '../src/eventsource';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

let server: http.Server;
let base = '';
const seen: Seen[] = [];
// Resolved when a request to that path ends because the client went away.
const aborted = new Map<string, () => void>();
// Handlers a test registers for a path of its own.
const routes = new Map<string, (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void>();

// Rejects when `promise` has not settled within `ms`: every wait of these tests is bounded.
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at: Date.now() });
      const path = url.pathname;
      const route = routes.get(path);
      if (route) return route(req, res, body);
      if (path === '/nope') {
        res.writeHead(404, { 'X-Reason': 'missing' });
        res.end('no');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      if (path === '/echo') {
        res.end(`retry: 10\nid: ${seen.length}\ndata: ${JSON.stringify({ auth: req.headers.authorization ?? null, body })}\n\n`);
      } else if (path === '/hold') {
        res.write('data: first\n\n');
        res.on('close', () => aborted.get(path)?.());
      } else {
        res.end('data: a\n\nevent: tick\ndata: b\n\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('in Node, over fetch', () => {
  it('refreshes the auth header on every reconnection and resumes with Last-Event-ID', async () => {
    let token = 0;
    const stream = connect<{ message: { auth: string; body: string } }>(`${base}/echo`, {
      headers: async () => ({ Authorization: `Bearer ${++token}` }),
      json: true,
      retry: { jitter: 0, min: 10 },
    });
    const auths: string[] = [];
    for await (const message of stream) {
      auths.push(message.data.auth);
      if (auths.length === 3) break;
    }
    expect(auths).toEqual(['Bearer 1', 'Bearer 2', 'Bearer 3']);
    const echoes = seen.filter((s) => s.url === '/echo');
    expect(echoes.map((s) => s.headers['last-event-id'])).toEqual([
      undefined,
      String(seen.indexOf(echoes[0] as Seen) + 1),
      String(seen.indexOf(echoes[1] as Seen) + 1),
    ]);
    expect(stream.readyState).toBe(2);
  });

  it('sends a POST body once and ends the stream when the response ends', async () => {
    const stream = connect<{ message: { auth: null; body: string } }>(`${base}/echo`, { body: { prompt: 'hello' }, json: true });
    const bodies: string[] = [];
    for await (const message of stream) bodies.push(message.data.body);
    expect(bodies).toEqual(['{"prompt":"hello"}']);
    const posts = seen.filter((s) => s.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.headers['content-type']).toBe('application/json');
    expect(posts[0]?.headers['accept']).toBe('text/event-stream');
  });

  it('aborts the request when the signal aborts', async () => {
    const controller = new AbortController();
    const closedByClient = new Promise<void>((resolve) => aborted.set('/hold', resolve));
    const stream = connect(`${base}/hold`, { signal: controller.signal });
    const messages: string[] = [];
    for await (const message of stream) {
      messages.push(message.data);
      controller.abort();
    }
    await closedByClient;
    expect(messages).toEqual(['first']);
    expect(stream.readyState).toBe(2);
  });

  it('ends for await with the HttpStatusError of a 404', async () => {
    const stream = connect(`${base}/nope`);
    let error: unknown;
    try {
      for await (const _ of stream) void _;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).status).toBe(404);
    expect((error as HttpStatusError).headers.get('x-reason')).toBe('missing');
  });

  it('calls the fetch option for every (re)connection: a wrapper that counts its calls and signs each request', async () => {
    let calls = 0;
    const stream = connect<{ message: { auth: string } }>(`${base}/echo?wrapped`, {
      json: true,
      retry: { jitter: 0, min: 10 },
      fetch: (url, init) => {
        calls++;
        return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Signed ${calls}` } });
      },
    });
    const auths: string[] = [];
    for await (const message of stream) {
      auths.push(message.data.auth);
      if (auths.length === 3) break;
    }
    expect(auths).toEqual(['Signed 1', 'Signed 2', 'Signed 3']);
    expect(calls).toBe(3);
    expect(seen.filter((s) => s.url === '/echo?wrapped')).toHaveLength(3);
  });

  it('runs on a mock fetch alone, no server: a Response whose body is an event stream', async () => {
    const requests: Array<{ url: string; init: RequestInit }> = [];
    const encoder = new TextEncoder();
    const mock = async (url: string, init: RequestInit): Promise<Response> => {
      requests.push({ url, init });
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode('data: {"n":1}\n\n'));
          controller.enqueue(encoder.encode('data: {"n":2}\n\n'));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
    };
    const stream = connect<{ message: { n: number } }>('http://mock.invalid/chat', { fetch: mock, body: { q: 'hi' }, json: true });
    const data: Array<{ n: number }> = [];
    for await (const message of stream) data.push(message.data);
    expect(data).toEqual([{ n: 1 }, { n: 2 }]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('http://mock.invalid/chat');
    expect(requests[0]?.init).toMatchObject({ method: 'POST', body: '{"q":"hi"}' });
    expect(stream.readyState).toBe(2);
  });

  it('the README recipe: on 401, refresh the token and reconnect at once, once', async () => {
    const auths: string[] = [];
    routes.set('/auth', (req, res) => {
      auths.push(String(req.headers.authorization));
      if (req.headers.authorization !== 'Bearer fresh') {
        res.writeHead(401, { 'Content-Type': 'text/plain' });
        res.end('expired');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: welcome\n\n');
    });
    const run = async (refreshed: string) => {
      let token = Promise.resolve('stale');
      let retried = false;
      const stream = connect(`${base}/auth`, {
        headers: async () => ({ Authorization: `Bearer ${await token}` }),
        onResponse(response) {
          if (response.status !== 401) retried = false;
          else if (!retried) {
            retried = true;
            token = Promise.resolve(refreshed);
            return 'retry';
          }
        },
      });
      const errors: string[] = [];
      stream.addEventListener('error', (e) => errors.push(e.error.message));
      const messages: string[] = [];
      let failure: unknown = null;
      try {
        for await (const message of stream) {
          messages.push(message.data);
          break;
        }
      } catch (e) {
        failure = e;
      }
      return { messages, errors, failure };
    };
    auths.length = 0;
    const ok = await within(run('fresh'), 10_000, 'refreshed stream');
    expect(auths).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(ok.messages).toEqual(['welcome']);
    expect(ok.errors).toEqual([`The server answered 401 Unauthorized for ${base}/auth.`]);
    auths.length = 0;
    const refused = await within(run('still-wrong'), 10_000, 'refused stream');
    expect(auths).toEqual(['Bearer stale', 'Bearer still-wrong']);
    expect(refused.failure).toBeInstanceOf(HttpStatusError);
    expect((refused.failure as HttpStatusError).status).toBe(401);
  });

  it('reads an LLM-shaped stream (keep-alive comments, JSON tokens, [DONE], end) over POST with for await, and no error event', async () => {
    let request: { method?: string | undefined; body?: string; accept?: string | undefined } = {};
    routes.set('/chat', (req, res, body) => {
      request = { method: req.method, body, accept: req.headers.accept };
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
      res.write(': OPENROUTER PROCESSING\n\n');
      for (const token of ['Hel', 'lo', ' wörld']) res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: token } }] })}\n\n`);
      res.write(': OPENROUTER PROCESSING\n\n');
      res.end('data: [DONE]\n\n');
    });
    type Chunk = { choices: Array<{ delta: { content?: string } }> };
    const stream = connect<{ message: Chunk }>(`${base}/chat`, {
      body: { model: 'any', stream: true, messages: [{ role: 'user', content: 'hi' }] },
      json: true,
    });
    const errors: unknown[] = [];
    stream.addEventListener('error', (e) => errors.push(e.error));
    let closed: unknown = 'not yet';
    stream.addEventListener('close', (e) => (closed = e.error));
    let text = '';
    await within(
      (async () => {
        for await (const { data } of stream) text += data.choices[0]?.delta.content ?? '';
      })(),
      10_000,
      'chat completion',
    );
    expect(text).toBe('Hello wörld');
    expect(errors).toEqual([]);
    expect(closed).toBeNull();
    expect(request).toEqual({ method: 'POST', body: '{"model":"any","stream":true,"messages":[{"role":"user","content":"hi"}]}', accept: 'text/event-stream' });
  });

  it('spreads 20 clients refused with the same Retry-After after that instant (the delays scheduled, read from setTimeout)', async () => {
    routes.set('/busy', (_req, res) => {
      res.writeHead(429, { 'Retry-After': '5', 'Content-Type': 'text/plain' });
      res.end('busy');
    });
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const delays = () => timers.mock.calls.map((call) => call[1] ?? 0).filter((ms) => ms >= 5000);
    const streams = Array.from({ length: 20 }, () => connect(`${base}/busy`));
    const errors: SSEError[] = [];
    for (const stream of streams) stream.addEventListener('error', (e) => errors.push(e.error));
    await vi.waitFor(() => expect(errors).toHaveLength(20), { timeout: 10_000 });
    for (const stream of streams) stream.close();
    const scheduled = delays();
    expect(scheduled).toHaveLength(20);
    expect(Math.min(...scheduled)).toBeGreaterThanOrEqual(5000);
    // Spread over the backoff delay (1000 ms by default) after the server's instant: not one millisecond.
    expect(Math.max(...scheduled)).toBeLessThanOrEqual(6000);
    expect(new Set(scheduled.map(Math.floor)).size).toBeGreaterThan(10);
    expect(Math.max(...scheduled) - Math.min(...scheduled)).toBeGreaterThan(100);
  });

  it('stops reading while the for await body awaits: the server sees its writes block, then drain once the loop goes on', async () => {
    const line = (n: number) => `id: ${n}\ndata: ${'x'.repeat(1000)}\n\n`;
    const server = { written: 0, next: 1, waiting: false, drains: 0, flood: () => undefined as void };
    routes.set('/firehose', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(line(server.next++));
      const write = () => {
        server.waiting = false;
        while (server.next < 200_000) {
          const chunk = line(server.next++);
          server.written += chunk.length;
          if (!res.write(chunk)) {
            server.waiting = true;
            res.once('drain', () => {
              server.drains++;
              write();
            });
            return;
          }
        }
        res.end();
      };
      server.flood = write;
    });
    // A fetch option that hands the body on through a stream of its own: it sees whether a read is outstanding.
    let reading = false;
    const observed = async (url: string, init: RequestInit): Promise<Response> => {
      const response = await fetch(url, init);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            reading = true;
            const { done, value } = await reader.read();
            reading = false;
            if (done) controller.close();
            else controller.enqueue(value);
          },
          cancel: (reason) => reader.cancel(reason),
        },
        { highWaterMark: 0 },
      );
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const stream = connect(`${base}/firehose`, { fetch: observed });
    let parsed = 0;
    stream.addEventListener('message', () => parsed++);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const isHolding = new Promise<void>((resolve) => (holding = resolve));
    const ids: string[] = [];
    let drainsWhileHeld = Infinity;
    const loop = (async () => {
      for await (const message of stream) {
        ids.push(message.lastEventId);
        if (ids.length === 1) {
          holding();
          await held;
        }
        // Reading on frees the socket buffers: the server's writes go through again.
        if (server.drains > drainsWhileHeld) break;
      }
    })();
    await within(isHolding, 10_000, 'first message');
    // The loop body awaits: the server floods.
    server.flood();
    // Until the server's writes block, and the stream has read some of the flood.
    await vi.waitFor(() => expect(server.waiting && server.written > 1_000_000 && parsed > 1).toBe(true), { timeout: 10_000 });
    drainsWhileHeld = server.drains;
    // Megabytes sit in the socket buffers, unread: the stream has no read outstanding and took at
    // most the chunk read as the loop began to wait.
    expect(reading).toBe(false);
    expect(parsed).toBeLessThan(300);
    release();
    await within(loop, 15_000, 'the server draining once the loop goes on');
    expect(server.drains).toBeGreaterThan(drainsWhileHeld);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => String(i + 1)));
    expect(stream.readyState).toBe(2);
  });

  it('ends a POST whose body is cut off with a NetworkError saying so', async () => {
    routes.set('/cut', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: partial\n\n', () => res.socket?.destroy());
    });
    const stream = connect(`${base}/cut`, { body: 'x' });
    const seen: string[] = [];
    let failure: unknown;
    try {
      await within(
        (async () => {
          for await (const message of stream) seen.push(message.data);
        })(),
        10_000,
        'cut-off stream',
      );
    } catch (e) {
      failure = e;
    }
    expect(seen).toEqual(['partial']);
    expect(failure).toBeInstanceOf(NetworkError);
    expect((failure as NetworkError).message).toMatch(new RegExp(`^The response from ${base}/cut broke off: `));
  });

  it('runs EventSource too: named events, then reconnection after the body ends', async () => {
    const es = new EventSource(`${base}/plain`);
    const events: string[] = [];
    await new Promise<void>((resolve) => {
      es.onmessage = (e) => events.push(`message:${e.data}`);
      es.addEventListener('tick', (e) => events.push(`tick:${(e as MessageEvent).data}`));
      es.onerror = () => {
        events.push(`error:${es.readyState}`);
        es.close();
        resolve();
      };
    });
    expect(events).toEqual(['message:a', 'tick:b', 'error:0']);
  });
});
