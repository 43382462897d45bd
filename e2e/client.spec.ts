// connect() in Chromium, ES module page and IE-class page (XHR): refreshed auth per reconnection, POST body, the onResponse hook (refresh on 401), an LLM chat stream, a body cut off, abort/close, for await.
import type { Page } from '@playwright/test';
import { expect, test, type DemoServer } from './fixtures.js';

type ClientMode = 'modern' | 'legacy';
const CLIENT_MODES: ClientMode[] = ['modern', 'legacy'];

let unique = 0;
// A query string of its own per test, to find its requests in the shared log.
const tag = () => `t=${Date.now()}-${unique++}`;

// Opens the wrapper's page running case `name` (see CLIENT_CASES in demo-server/pages.js) and waits for its results.
async function runCase(page: Page, mode: ClientMode, name: string, t: string, timeout = 10_000): Promise<Array<Record<string, unknown>>> {
  await page.goto(`/client?mode=${mode}&case=${name}&tag=${encodeURIComponent(t)}`);
  await page.locator('#results[data-done="true"]').waitFor({ state: 'attached', timeout });
  return JSON.parse((await page.locator('#results').textContent()) || '[]') as Array<Record<string, unknown>>;
}

const requestsFor = (server: DemoServer, t: string) => server.log.entries.filter((entry) => entry.url.indexOf(t) !== -1);

for (const mode of CLIENT_MODES) {
  test.describe(`connect() in the ${mode} page`, () => {
    test('calls the headers function before every reconnection and resumes with Last-Event-ID', async ({ page, server }) => {
      const t = tag();
      const results = await runCase(page, mode, 'headers', t);
      expect(results.slice(0, 3).map((r) => r['auth'])).toEqual(['Bearer 1', 'Bearer 2', 'Bearer 3']);
      const ids = results.slice(0, 3).map((r) => r['id']);
      expect(results.slice(0, 3).map((r) => r['lastEventId'])).toEqual([null, ids[0], ids[1]]);
      expect(results[3]).toEqual({ readyState: 2 });
      const seen = requestsFor(server, t);
      expect(seen.map((entry) => entry.headers['authorization'])).toEqual(['Bearer 1', 'Bearer 2', 'Bearer 3']);
      expect(seen.every((entry) => entry.headers['accept'] === 'text/event-stream')).toBe(true);
    });

    test('sends a POST body once, and closes cleanly when that response ends', async ({ page, server }) => {
      const t = tag();
      const results = await runCase(page, mode, 'post', t);
      expect(results).toEqual([
        { method: 'POST', body: '{"prompt":"héllo"}', type: 'application/json' },
        { closed: true, error: null },
      ]);
      const seen = requestsFor(server, t);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.method).toBe('POST');
      expect(seen[0]?.body).toBe('{"prompt":"héllo"}');
    });

    test('onResponse: on 401 the token is refreshed and the stream reconnects at once, once', async ({ page, server }) => {
      const t = `${tag()}&refresh=fresh`;
      const results = await runCase(page, mode, 'refresh', t);
      expect(results).toEqual([
        { status: 401, session: null },
        { error: 'HttpStatusError', status: 401 },
        { status: 200, session: 's1' },
        { message: 'welcome' },
        { closed: true, error: null },
      ]);
      expect(requestsFor(server, t).map((entry) => entry.headers['authorization'])).toEqual(['Bearer stale', 'Bearer fresh']);
    });

    test('onResponse: a second 401 in a row ends the stream with the HttpStatusError', async ({ page, server }) => {
      const t = `${tag()}&refresh=still-stale`;
      const results = await runCase(page, mode, 'refresh', t);
      expect(results).toEqual([
        { status: 401, session: null },
        { error: 'HttpStatusError', status: 401 },
        { status: 401, session: null },
        { error: 'HttpStatusError', status: 401 },
        { closed: true, error: 'HttpStatusError' },
      ]);
      expect(requestsFor(server, t)).toHaveLength(2);
    });

    test('an LLM chat completion over POST with json: true: the tokens, then data: [DONE] closes the stream, no error event', async ({ page, server }) => {
      const t = tag();
      const results = await runCase(page, mode, 'chat', t);
      expect(results).toEqual([{ text: 'Hello wörld', error: null, readyState: 2 }]);
      const seen = requestsFor(server, t);
      expect(seen.map((entry) => entry.method)).toEqual(['POST']);
      expect(seen[0]?.body).toBe('{"model":"any","stream":true}');
    });

    test('a POST answer cut off by a connection reset in the middle of the body ends with a NetworkError, never as if complete', async ({ page, server }) => {
      const t = tag();
      const results = await runCase(page, mode, 'cut', t);
      expect(results).toEqual([{ message: 'part' }, { error: 'NetworkError' }, { closed: true, error: 'NetworkError' }]);
      expect(requestsFor(server, t).map((entry) => entry.method)).toEqual(['POST']);
    });

    test('an AbortSignal (modern) or close() (IE-class page) ends the held-open request, with one close event', async ({ page, server }) => {
      const t = tag();
      const results = await runCase(page, mode, 'stop', t);
      expect(results).toEqual(['held', { closes: 1, readyState: 2 }]);
      await expect.poll(() => requestsFor(server, t).map((entry) => entry.closedAt !== undefined && !entry.finished), { timeout: 10_000 }).toEqual([true]);
    });
  });
}

test('for await over connect() in the modern page yields messages and closes the stream on break', async ({ page, server }) => {
  const t = tag();
  await page.goto('/client?mode=modern');
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
  const results = await page.evaluate(async (url) => {
    const { connect } = (window as unknown as { SSEKit: typeof import('../src/index.js') }).SSEKit;
    const stream = connect<{ message: { lastEventId: string | null } }>(url, { json: true, retry: { initial: 20, min: 20, jitter: 0 } });
    const ids: Array<string | null> = [];
    for await (const message of stream) {
      ids.push(message.lastEventId);
      if (ids.length === 3) break;
    }
    return { ids, readyState: stream.readyState };
  }, `/client/echo?${t}`);
  expect(results.ids).toHaveLength(3);
  expect(results.readyState).toBe(2);
  expect(requestsFor(server, t)).toHaveLength(3);
});

test('a chat completion with for await in the modern page: the loop ends after data: [DONE]', async ({ page, server }) => {
  const t = tag();
  await page.goto('/client?mode=modern');
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
  const results = await page.evaluate(async (url) => {
    const { connect } = (window as unknown as { SSEKit: typeof import('../src/index.js') }).SSEKit;
    type Chunk = { choices: Array<{ delta: { content: string } }> };
    const stream = connect<{ message: Chunk }>(url, { body: { model: 'any', stream: true }, json: true });
    const errors: string[] = [];
    stream.onerror = (e) => errors.push(e.error.name);
    let text = '';
    for await (const { data } of stream) text += data.choices[0]?.delta.content ?? '';
    return { text, errors, readyState: stream.readyState };
  }, `/client/chat?${t}`);
  expect(results).toEqual({ text: 'Hello wörld', errors: [], readyState: 2 });
  expect(requestsFor(server, t)).toHaveLength(1);
});

test('connect() and EventSource run in a module Web Worker (no window, no document)', async ({ page, server }) => {
  const t = tag();
  await page.goto('/client?mode=modern');
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
  const results = await page.evaluate(
    ({ origin, t }) => {
      const source = `import { connect, EventSource } from '${origin}/dist/index.mjs';
        const out = [typeof window, typeof document];
        const stream = connect('${origin}/client/echo?${t}', { json: true, headers: { Authorization: 'worker' } });
        stream.addEventListener('message', (e) => {
          out.push(e.data.auth);
          stream.close();
          const es = new EventSource('${origin}/client/echo?${t}');
          es.onmessage = (m) => {
            out.push(JSON.parse(m.data).method, es.url);
            es.close();
            postMessage(out);
          };
        });`;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
      return new Promise<unknown[]>((resolve, reject) => {
        worker.onmessage = (e) => resolve(e.data as unknown[]);
        worker.onerror = (e) => reject(new Error(e.message));
      });
    },
    { origin: server.url, t },
  );
  expect(results).toEqual(['undefined', 'undefined', 'worker', 'GET', `${server.url}/client/echo?${t}`]);
});
