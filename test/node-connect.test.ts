// connect() and EventSource in Node over real HTTP (global fetch) against a local server on 127.0.0.1.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/client';
import { HttpStatusError } from '../src/errors';
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

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at: Date.now() });
      const path = url.pathname;
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
