// EventSource against a scripted transport: IDL surface, readyState machine, reconnect, fail, close, dispatch.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakePage } from './helpers/fake-page';
import { createFakeTransport, type FakeRequest } from './helpers/fake-transport';

type Module = typeof import('../src/eventsource');

// The same behaviour is required over the platform's EventTarget and over our listener registry (IE).
const modes: Array<[string, () => Promise<Module>]> = [
  ['native EventTarget', async () => import('../src/eventsource')],
  [
    'listener registry (no EventTarget/Event/MessageEvent constructors)',
    async () => {
      vi.stubGlobal('EventTarget', undefined);
      vi.stubGlobal('Event', undefined);
      vi.stubGlobal('MessageEvent', undefined);
      vi.resetModules();
      const mod = await import('../src/eventsource');
      vi.unstubAllGlobals();
      return mod;
    },
  ],
];

const URL_ = 'http://127.0.0.1:9/event';

// Events are dispatched one microtask turn apart (HTML §9.2.6: a task per event): a macrotask
// boundary, taken from the real setImmediate (the fake timers replace the global one), runs them all.
const realSetImmediate = setImmediate;
const flush = () => new Promise<void>((resolve) => realSetImmediate(resolve));

for (const [mode, load] of modes) {
  describe(`EventSource over the ${mode}`, () => {
    let mod: Module;
    let requests: FakeRequest[];
    let log: string[];

    beforeEach(async () => {
      mod = await load();
      const fake = createFakeTransport();
      requests = fake.requests;
      mod.setTransport(fake.transport);
      vi.useFakeTimers();
      log = [];
    });
    afterEach(async () => {
      await flush();
      mod.setTransport(null);
      vi.useRealTimers();
      vi.unstubAllGlobals();
    });

    function open(url = URL_, init?: EventSourceInit) {
      const es = new mod.EventSource(url, init);
      const record = (e: Event) => {
        const m = e as MessageEvent;
        log.push(m.type === 'open' || m.type === 'error' ? `${m.type}:${es.readyState}` : `${m.type}:${m.data}|${m.lastEventId}|${es.readyState}`);
      };
      for (const type of ['open', 'message', 'error', 'named']) es.addEventListener(type, record);
      started();
      return es;
    }
    const last = () => requests[requests.length - 1] as FakeRequest;
    // The constructor starts fetching from a task of its own (a 0 ms timer): run it.
    const started = () => vi.advanceTimersByTime(0);

    describe('IDL surface', () => {
      it('has the constants on the constructor and the prototype, and length 1', () => {
        const ES = mod.EventSource as unknown as Record<string, unknown> & { prototype: Record<string, unknown> };
        expect([ES['CONNECTING'], ES['OPEN'], ES['CLOSED']]).toEqual([0, 1, 2]);
        expect([ES.prototype['CONNECTING'], ES.prototype['OPEN'], ES.prototype['CLOSED']]).toEqual([0, 1, 2]);
        expect(mod.EventSource.length).toBe(1);
      });

      it('throws a TypeError without arguments or without new', () => {
        expect(() => new (mod.EventSource as unknown as new () => unknown)()).toThrow(TypeError);
        expect(() => (mod.EventSource as unknown as (u: string) => unknown)(URL_)).toThrow(TypeError);
        expect(requests).toHaveLength(0);
      });

      it('throws a SyntaxError for a URL that cannot be parsed, and resolves the others', () => {
        let error: unknown;
        try {
          new mod.EventSource('http://[');
        } catch (e) {
          error = e;
        }
        expect((error as Error).name).toBe('SyntaxError');
        const es = new mod.EventSource(new URL('HTTP://Example.COM:80/a/../b?x#f'));
        started();
        expect(es.url).toBe('http://example.com/b?x#f');
        expect(last().request.url).toBe('http://example.com/b?x#f');
        es.close();
      });

      it('keeps url, readyState and withCredentials read-only', () => {
        const es = open(URL_, { withCredentials: 1 as unknown as boolean });
        expect(es.withCredentials).toBe(true);
        expect(() => {
          (es as unknown as { readyState: number }).readyState = 2;
        }).toThrow(TypeError);
        expect(() => {
          (es as unknown as { url: string }).url = 'x';
        }).toThrow(TypeError);
        expect(es.readyState).toBe(0);
        expect(es.url).toBe(URL_);
        expect(Object.keys(es)).toEqual([]);
        es.close();
      });

      it('converts init as a WebIDL dictionary: non-objects throw a TypeError, before the URL is parsed', () => {
        for (const init of [5, 'x', true]) {
          expect(() => new mod.EventSource(URL_, init as unknown as EventSourceInit)).toThrow(TypeError);
        }
        let read = 0;
        const init = {
          get withCredentials() {
            read++;
            return true;
          },
        };
        expect(() => new mod.EventSource('http://[', init)).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
        expect(read).toBe(1);
        expect(requests).toHaveLength(0);
      });

      it('looks like the native object: class string, enumerable close, no own properties', () => {
        const es = open();
        expect(Object.prototype.toString.call(es)).toBe('[object EventSource]');
        expect(Object.getOwnPropertyDescriptor(mod.EventSource.prototype, 'close')?.enumerable).toBe(true);
        // WebIDL §3.7.3: regular attributes, then regular operations, then constants (the registry
        // adds EventTarget's methods first: IE has no EventTarget.prototype to inherit them from).
        const own = Object.keys(mod.EventSource.prototype).filter((key) => !['addEventListener', 'removeEventListener', 'dispatchEvent'].includes(key));
        expect(own).toEqual(['url', 'withCredentials', 'readyState', 'onopen', 'onmessage', 'onerror', 'close', 'CONNECTING', 'OPEN', 'CLOSED']);
        // The registry keeps its listeners in one non-enumerable own property (IE has no EventTarget to inherit).
        expect(Object.getOwnPropertyNames(es)).toEqual(mode.startsWith('native') ? [] : ['__ssekitListeners']);
        es.close();
      });

      it('stops the listeners of an event at stopImmediatePropagation() and sets srcElement', async () => {
        const es = open();
        const calls: unknown[] = [];
        es.addEventListener('message', (e) => {
          calls.push(e.srcElement === es);
          e.stopImmediatePropagation();
        });
        es.addEventListener('message', () => calls.push('not called'));
        last().respond();
        await flush();
        last().send('data: x\n\n');
        await flush();
        expect(calls).toEqual([true]);
        es.close();
      });

      it('reads attributes only from instances', () => {
        const desc = Object.getOwnPropertyDescriptor(mod.EventSource.prototype, 'readyState') as PropertyDescriptor;
        expect(() => (desc.get as () => unknown).call({})).toThrow(TypeError);
      });
    });

    describe('request', () => {
      it('sends GET with Accept: text/event-stream, no Last-Event-ID at first, credentials per init', () => {
        const a = open();
        const b = open(URL_, { withCredentials: true });
        expect(requests[0]?.request).toMatchObject({ method: 'GET', body: null, withCredentials: false });
        expect(requests[0]?.request.headers['Accept']).toBe('text/event-stream');
        expect(requests[0]?.request.headers).not.toHaveProperty('Last-Event-ID');
        expect(requests[1]?.request.withCredentials).toBe(true);
        a.close();
        b.close();
      });

      it('fetches from a task after the constructor: close() right after it sends nothing and leaves no timer', () => {
        const es = new mod.EventSource(URL_);
        expect(requests).toHaveLength(0);
        es.close();
        expect(vi.getTimerCount()).toBe(0);
        vi.advanceTimersByTime(0);
        expect(requests).toHaveLength(0);
        expect(es.readyState).toBe(2);
      });

      it('fires nothing synchronously from the constructor', () => {
        const es = open();
        expect(log).toEqual([]);
        expect(es.readyState).toBe(0);
        es.close();
      });
    });

    describe('announce and dispatch', () => {
      it('opens on 200 text/event-stream and dispatches MessageEvents with origin of the final URL', async () => {
        const es = open();
        let seen: MessageEvent | undefined;
        es.onmessage = (e) => {
          seen = e;
        };
        last().respond(200, { 'content-type': 'Text/Event-Stream; charset=ISO-8859-1' }, 'https://other.example:8443/final?x');
        last().send('id: 7\ndata: a\ndata: b\n\nevent: named\ndata: n\n\n');
        await flush();
        expect(log).toEqual(['open:1', 'message:a\nb|7|1', 'named:n|7|1']);
        expect(seen?.origin).toBe('https://other.example:8443');
        expect(seen?.source).toBeNull();
        expect(Array.from(seen?.ports ?? [1])).toEqual([]);
        expect(seen?.target).toBe(es);
        expect(es.url).toBe(URL_);
        es.close();
      });

      it('decodes UTF-8 split across chunks and strips one BOM per stream, on every reconnection', async () => {
        const es = open();
        last().respond();
        const bytes = new TextEncoder().encode('\ufeffdata: é😀\n\n');
        for (const b of bytes) last().send(new Uint8Array([b]));
        last().end();
        await flush();
        vi.advanceTimersByTime(3000);
        last().respond();
        // The second BOM is text: it makes the first field name "\ufeffdata", which is ignored.
        last().send('\ufeff\ufeffdata: x\n\ndata: y\n\n');
        await flush();
        expect(log).toEqual(['open:1', 'message:é😀||1', 'error:0', 'open:1', 'message:y||1']);
        es.close();
      });

      it('feeds text chunks (the XHR form) without decoding them again', async () => {
        const es = open();
        last().respond();
        await flush();
        last().send('data: \u00e9\n\n', true);
        await flush();
        expect(log).toEqual(['open:1', 'message:\u00e9||1']);
        es.close();
      });

      it('dispatches each event a microtask turn after the previous one: microtasks queued by listeners run between events', async () => {
        const es = open();
        const order: string[] = [];
        es.onmessage = (e) => {
          order.push('event ' + e.data);
          void Promise.resolve().then(() => order.push('microtask of ' + e.data));
        };
        last().respond();
        last().send('data: 1\n\ndata: 2\n\n');
        last().send('data: 3\n\n');
        last().end();
        es.onerror = () => order.push('error');
        expect(order).toEqual([]);
        await flush();
        expect(order).toEqual(['event 1', 'microtask of 1', 'event 2', 'microtask of 2', 'event 3', 'microtask of 3', 'error']);
        es.close();
      });

      it('fires open as a task too: what its listeners queue runs before the first event, even from the same callback', async () => {
        const es = open();
        const order: string[] = [];
        es.onopen = () => {
          order.push('open');
          void Promise.resolve().then(() => order.push('microtask of open'));
        };
        es.onmessage = (e) => order.push('event ' + e.data);
        // XHR hands over the head and the first text in one callback.
        last().respond();
        last().send('data: 1\n\n', true);
        await flush();
        expect(order).toEqual(['open', 'microtask of open', 'event 1']);
        es.close();
      });

      it('stops dispatching the rest of a chunk when a listener calls close()', async () => {
        const es = open();
        es.addEventListener('message', (e) => {
          if ((e as MessageEvent).data === '2') es.close();
        });
        last().respond();
        last().send('data: 1\n\ndata: 2\n\ndata: 3\n\n');
        await flush();
        expect(log).toEqual(['open:1', 'message:1||1', 'message:2||1']);
        expect(es.readyState).toBe(2);
        expect(last().aborted).toBe(true);
        vi.advanceTimersByTime(10_000);
        expect(requests).toHaveLength(1);
      });
    });

    describe('reestablish the connection', () => {
      it('waits the default 3000 ms, then reconnects with the last event ID string in UTF-8', async () => {
        const es = open();
        last().respond();
        last().send('id: é1\ndata: x\n\n');
        last().end();
        await flush();
        expect(log).toEqual(['open:1', 'message:x|é1|1', 'error:0']);
        vi.advanceTimersByTime(2999);
        expect(requests).toHaveLength(1);
        vi.advanceTimersByTime(1);
        expect(requests).toHaveLength(2);
        expect(last().request.headers['Last-Event-ID']).toBe('\u00c3\u00a91');
        es.close();
      });

      it('reconnects after a network error before any response, too', () => {
        const es = open();
        last().end(true);
        expect(log).toEqual(['error:0']);
        vi.advanceTimersByTime(3000);
        expect(requests).toHaveLength(2);
        es.close();
      });

      it('uses retry: as the reconnection time for every later reconnection', async () => {
        const es = open();
        last().respond();
        last().send('retry: 50\n\n');
        last().end();
        await flush();
        vi.advanceTimersByTime(49);
        expect(requests).toHaveLength(1);
        vi.advanceTimersByTime(1);
        last().respond();
        last().end();
        await flush();
        vi.advanceTimersByTime(50);
        expect(requests).toHaveLength(3);
        es.close();
      });

      it('keeps the last event ID across reconnections; an id-only block updates it; id: empty removes the header', async () => {
        const es = open();
        last().respond();
        last().send('id: 1\n\n');
        last().end();
        await flush();
        vi.advanceTimersByTime(3000);
        expect(last().request.headers['Last-Event-ID']).toBe('1');
        last().respond();
        last().send('data: no id here\n\n');
        last().end();
        await flush();
        vi.advanceTimersByTime(3000);
        expect(last().request.headers['Last-Event-ID']).toBe('1');
        last().respond();
        last().send('id\ndata: x\n\n');
        last().end();
        await flush();
        vi.advanceTimersByTime(3000);
        expect(last().request.headers).not.toHaveProperty('Last-Event-ID');
        expect(log).toContain('message:no id here|1|1');
        es.close();
      });

      it('drops a partial event at the end of the body', async () => {
        const es = open();
        last().respond();
        await flush();
        last().send('id: 5\ndata: partial\n');
        await flush();
        last().end();
        await flush();
        expect(log).toEqual(['open:1', 'error:0']);
        vi.advanceTimersByTime(3000);
        expect(last().request.headers).not.toHaveProperty('Last-Event-ID');
        es.close();
      });

      it('does not reconnect when an error listener calls close()', async () => {
        const es = open();
        es.onerror = () => es.close();
        last().respond();
        await flush();
        last().end();
        await flush();
        expect(es.readyState).toBe(2);
        expect(vi.getTimerCount()).toBe(0);
      });
    });

    describe('fail the connection', () => {
      const failing: Array<[string, number, Record<string, string>]> = [
        ['204', 204, { 'Content-Type': 'text/event-stream' }],
        ['301 left unfollowed', 301, { 'Content-Type': 'text/event-stream' }],
        ['404', 404, { 'Content-Type': 'text/event-stream' }],
        ['500', 500, { 'Content-Type': 'text/event-stream' }],
        ['text/plain', 200, { 'Content-Type': 'text/plain' }],
        ['text/event-streamx', 200, { 'Content-Type': 'text/event-streamx' }],
        ['no Content-Type', 200, {}],
      ];
      for (const [name, status, headers] of failing) {
        it(`fails for ${name}: error with CLOSED, request aborted, never reconnects`, () => {
          const es = open();
          last().respond(status, headers);
          expect(log).toEqual(['error:2']);
          expect(es.readyState).toBe(2);
          expect(last().aborted).toBe(true);
          expect(vi.getTimerCount()).toBe(0);
          vi.advanceTimersByTime(60_000);
          expect(requests).toHaveLength(1);
        });
      }

      it('fails on a CORS failure (the transport knows retrying is futile), also on a reconnection', async () => {
        const es = open();
        last().respond();
        last().end();
        vi.advanceTimersByTime(3000);
        last().end(true, true);
        await flush();
        expect(log).toEqual(['open:1', 'error:0', 'error:2']);
        expect(es.readyState).toBe(2);
        expect(vi.getTimerCount()).toBe(0);
      });

      it('fails at once for a URL whose scheme is not http(s), data or blob, without a request', () => {
        for (const url of ['ftp://127.0.0.1/s', 'mailto:a@example.com', 'javascript:void 0', 'about:blank', 'ws://127.0.0.1:9/s', 'file:///etc/passwd']) {
          log.length = 0;
          const es = open(url);
          expect([url, ...log, es.readyState]).toEqual([url, 'error:2', 2]);
        }
        expect(requests).toHaveLength(0);
        expect(vi.getTimerCount()).toBe(0);
      });

      it('fails on a network error reading a data: or blob: URL (retrying is futile), reestablishes after its end', async () => {
        for (const url of ['data:text/event-stream,data:%20x%0A%0A', 'blob:http://127.0.0.1:9/0b0c']) {
          log.length = 0;
          const es = open(url);
          last().respond(200, { 'Content-Type': 'text/event-stream' }, url);
          last().end();
          await flush();
          vi.advanceTimersByTime(3000);
          last().end(true);
          await flush();
          expect(log).toEqual(['open:1', 'error:0', 'error:2']);
          expect(es.readyState).toBe(2);
        }
      });

      it('fails on an abort the page caused (an aborted network error: window.stop()), before or after the response', async () => {
        const before = open();
        last().end(true, undefined, undefined, true);
        await flush();
        const after = open();
        last().respond();
        last().send('data: a\n\n');
        last().end(true, undefined, undefined, true);
        await flush();
        expect(log).toEqual(['error:2', 'open:1', 'message:a||1', 'error:2']);
        expect([before.readyState, after.readyState]).toEqual([2, 2]);
        expect(vi.getTimerCount()).toBe(0);
      });

      it('fails on a bad status after a reconnection too', async () => {
        const es = open();
        last().respond();
        await flush();
        last().end();
        await flush();
        vi.advanceTimersByTime(3000);
        last().respond(503);
        await flush();
        expect(log).toEqual(['open:1', 'error:0', 'error:2']);
        expect(es.readyState).toBe(2);
      });

      it('accepts MIME type parameters and case, and a trailing semicolon', () => {
        for (const type of ['text/event-stream;', 'TEXT/EVENT-STREAM ; charset=utf-8', 'text/html, text/event-stream']) {
          const es = open();
          last().respond(200, { 'Content-Type': type });
          expect(es.readyState).toBe(1);
          es.close();
        }
      });
    });

    describe('memory bound of XHR (text) connections', () => {
      const big = (id: number) => `id: ${id}\ndata: ${'x'.repeat(1000)}\n\n`;

      it('renews the request at an event boundary past 256 Ki characters, resuming by Last-Event-ID, silently', async () => {
        const es = open();
        last().respond();
        let id = 0;
        while (requests.length === 1) last().send(big(++id), true);
        expect(id).toBeGreaterThan(250);
        expect(requests[0]?.aborted).toBe(true);
        expect(last().request.headers['Last-Event-ID']).toBe(String(id));
        last().respond();
        last().send(big(id + 1), true);
        await flush();
        expect(log.filter((l) => !l.startsWith('message'))).toEqual(['open:1']);
        expect(log.filter((l) => l.startsWith('message'))).toHaveLength(id + 1);
        expect(es.readyState).toBe(1);
        es.close();
      });

      it('does not renew while the last event had no id of its own', () => {
        const es = open();
        last().respond();
        last().send('id: 1\ndata: first\n\n', true);
        for (let i = 0; i < 300; i++) last().send(`data: ${'x'.repeat(1000)}\n\n`, true);
        expect(requests).toHaveLength(1);
        es.close();
      });

      it('cuts a chunk after its last complete event with an id, and leaves the partial rest to the server', async () => {
        const es = open();
        last().respond();
        last().send('id: 1\r\ndata: first\r\n\r\n', true);
        for (let i = 0; i < 300; i++) last().send(`data: ${'x'.repeat(1000)}\r\n\r\n`, true);
        expect(requests).toHaveLength(1);
        last().send('id: 7\r\ndata: resumed here\r\n\r\ndata: half', true);
        expect(requests).toHaveLength(2);
        expect(last().request.headers['Last-Event-ID']).toBe('7');
        last().respond();
        // Held back until the renewed body's first id shows the server resumed (issue 18: a server
        // ignoring Last-Event-ID would replay its stream from the top).
        last().send('data: half done\n\n', true);
        await flush();
        expect(log.at(-1)).toBe('message:resumed here|7|1');
        last().send('id: 8\ndata: next\n\n', true);
        await flush();
        expect(log.slice(-3)).toEqual(['message:resumed here|7|1', 'message:half done|7|1', 'message:next|8|1']);
        es.close();
      });

      it('fails the connection when the renewed response is not an event stream', () => {
        const es = open();
        last().respond();
        let id = 0;
        while (requests.length === 1) last().send(big(++id), true);
        last().respond(500);
        expect(log.filter((l) => !l.startsWith('message'))).toEqual(['open:1', 'error:2']);
        expect(es.readyState).toBe(2);
      });

      it('never renews byte (fetch) connections: they do not accumulate', () => {
        const es = open();
        last().respond();
        for (let id = 1; id < 700; id++) last().send(big(id));
        expect(requests).toHaveLength(1);
        es.close();
      });
    });

    describe('the back/forward cache (whatwg/html#12381)', () => {
      it('pagehide (persisted) aborts the request; pageshow (persisted) reestablishes it at once: CONNECTING, Last-Event-ID, no error event', async () => {
        const page = installFakePage();
        const es = open();
        // securitypolicyviolation until the response (issue 18: a CSP block fails the connection).
        expect(page.listeners()).toEqual(['document securitypolicyviolation', 'window pagehide', 'window pageshow']);
        last().respond();
        await flush();
        // a is dispatched at once, b a microtask turn later: the page is cached by then, and a
        // cached page is sent nothing.
        last().send('id: 7\ndata: a\n\ndata: b\n\n');
        page.fire('pagehide', true);
        await flush();
        expect(last().aborted).toBe(true);
        expect(vi.getTimerCount()).toBe(0);
        expect(es.readyState).toBe(1);
        page.fire('pageshow', true);
        expect(es.readyState).toBe(0);
        expect(requests).toHaveLength(2);
        expect(last().request.headers['Last-Event-ID']).toBe('7');
        last().respond();
        last().send('data: c\n\n');
        await flush();
        expect(log).toEqual(['open:1', 'message:a|7|1', 'open:1', 'message:c|7|1']);
        es.close();
      });

      it('cancels a pending reconnection while cached, and reconnects at once when restored', async () => {
        const page = installFakePage();
        const es = open();
        last().respond();
        last().end();
        await flush();
        expect(vi.getTimerCount()).toBe(1);
        page.fire('pagehide', true);
        expect(vi.getTimerCount()).toBe(0);
        page.fire('pageshow', true);
        expect(requests).toHaveLength(2);
        expect(log).toEqual(['open:1', 'error:0']);
        es.close();
      });

      it('page transition events without persisted (a page that is unloaded, or IE) change nothing; a CLOSED source stays closed', async () => {
        const page = installFakePage();
        const es = open();
        last().respond();
        page.fire('pagehide', false);
        page.fire('pageshow');
        expect(last().aborted).toBe(false);
        es.close();
        page.fire('pagehide', true);
        page.fire('pageshow', true);
        expect(requests).toHaveLength(1);
      });

      it('leaves no listener on the window after close() or a failure, and adds none outside a document', () => {
        const page = installFakePage();
        open().close();
        open();
        last().respond(404);
        expect(page.listeners()).toEqual([]);
        vi.unstubAllGlobals();
        const es = open();
        expect(page.listeners()).toEqual([]);
        es.close();
      });
    });

    describe('close()', () => {
      it('while connecting: aborts the request, fires nothing, and is idempotent', () => {
        const es = open();
        es.close();
        es.close();
        expect(es.readyState).toBe(2);
        expect(last().aborted).toBe(true);
        expect(log).toEqual([]);
      });

      it('while waiting to reconnect: cancels the timer, no request follows, nothing leaks', async () => {
        const es = open();
        last().respond();
        await flush();
        last().end();
        await flush();
        expect(vi.getTimerCount()).toBe(1);
        es.close();
        expect(vi.getTimerCount()).toBe(0);
        vi.advanceTimersByTime(10_000);
        expect(requests).toHaveLength(1);
        expect(log).toEqual(['open:1', 'error:0']);
      });

      it('from an open listener: no message of the same response is dispatched', () => {
        const es = open();
        es.onopen = () => es.close();
        last().respond();
        expect(last().aborted).toBe(true);
        expect(log).toEqual(['open:1']);
      });
    });

    describe('event handler attributes', () => {
      it('order by first assignment, replace in place, re-append after null, ignore non-objects', async () => {
        const es = open();
        const order: string[] = [];
        es.onmessage = () => order.push('h1');
        es.addEventListener('message', () => order.push('l'));
        es.onmessage = () => order.push('h2');
        last().respond();
        last().send('data: a\n\n');
        await flush();
        es.onmessage = null;
        es.onmessage = () => order.push('h3');
        last().send('data: b\n\n');
        await flush();
        expect(order).toEqual(['h2', 'l', 'l', 'h3']);
        (es as unknown as { onopen: unknown }).onopen = 5;
        expect(es.onopen).toBeNull();
        es.close();
      });

      it('call the handler with this = the EventSource', () => {
        const es = open();
        let self: unknown;
        es.onopen = function () {
          // eslint-disable-next-line @typescript-eslint/no-this-alias -- capturing `this` is what is tested
          self = this;
        };
        last().respond();
        expect(self).toBe(es);
        es.close();
      });

      it('dedupe a listener added twice and honour once', async () => {
        const es = open();
        const calls: string[] = [];
        const l = () => calls.push('l');
        es.addEventListener('message', l);
        es.addEventListener('message', l);
        es.addEventListener('message', () => calls.push('once'), { once: true });
        last().respond();
        last().send('data: a\n\ndata: b\n\n');
        await flush();
        expect(calls).toEqual(['l', 'once', 'l']);
        es.close();
      });
    });
  });
}

describe('the listener registry (IE-class engines) dispatches as the DOM standard says', () => {
  it('calls capture listeners first at the target, then the others, each in the order added', async () => {
    const registry = modes[1] as [string, () => Promise<Module>];
    const mod = await registry[1]();
    mod.setTransport(createFakeTransport().transport);
    const es = new mod.EventSource(URL_);
    const calls: string[] = [];
    es.addEventListener('message', () => calls.push('A'));
    es.addEventListener('message', () => calls.push('B capture'), true);
    es.addEventListener('message', () => {
      calls.push('C');
      // Added while the bubbling listeners run: not called for this event.
      es.addEventListener('message', () => calls.push('late'), true);
    });
    es.addEventListener('message', () => calls.push('D capture'), { capture: true });
    es.dispatchEvent(new (globalThis.Event as typeof Event)('message'));
    expect(calls).toEqual(['B capture', 'D capture', 'A', 'C']);
    es.close();
    mod.setTransport(null);
  });
});
