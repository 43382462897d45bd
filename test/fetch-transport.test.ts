// The fetch transport against a scripted global fetch: telling a CORS failure from a network error with a no-cors probe; the fetch option of the caller.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect } from '../src/client';
import { fetchTransport, PROBE_TIMEOUT } from '../src/transport/fetch';
import type { TransportRequest } from '../src/transport/types';

interface Call {
  url: string;
  init: RequestInit;
}

// A fetch whose answers are scripted per call: 'reject' (what a CORS failure and a network error
// both look like), 'throw' (a request fetch cannot build), 'never' (no answer), or a response type.
function scriptedFetch(answers: Array<'reject' | 'throw' | 'never' | ResponseType>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const answer = answers[calls.length - 1];
    if (answer === 'throw') throw new TypeError("Failed to execute 'fetch': Invalid value");
    if (answer === 'never') return new Promise(() => undefined);
    if (answer === undefined || answer === 'reject') return Promise.reject(new TypeError('Failed to fetch'));
    const body = answer === 'opaque' ? null : new ReadableStream({ start: (c) => c.close() });
    return Promise.resolve({
      type: answer,
      status: answer === 'opaque' ? 0 : 200,
      statusText: '',
      body,
      headers: new Headers(),
      url: '',
    } as unknown as Response);
  });
  return calls;
}

const GET: TransportRequest = { url: 'http://127.0.0.1:9/s', method: 'GET', headers: { Accept: 'text/event-stream' }, body: null, withCredentials: true };

interface Outcome {
  response: boolean;
  error?: boolean;
  blocked?: boolean | undefined;
}

function run(request: TransportRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    let response = false;
    fetchTransport(request, {
      onResponse: () => {
        response = true;
      },
      onChunk: () => undefined,
      onEnd: (error, blocked) => resolve({ response, error, blocked }),
    });
  });
}

describe('fetch transport: a rejected request', () => {
  beforeEach(() => {
    // A page's origin: the probe is only sent where CORS applies.
    vi.stubGlobal('location', { href: 'http://127.0.0.1:8/page' });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('is blocked by CORS when a no-cors probe gets an opaque answer and the request, sent again, fails again', async () => {
    const calls = scriptedFetch(['reject', 'opaque', 'reject']);
    expect(await run(GET)).toEqual({ response: false, error: true, blocked: true });
    expect(calls.map((c) => c.init.mode)).toEqual(['cors', 'no-cors', 'cors']);
    const probe = calls[1] as Call;
    expect(probe.url).toBe(GET.url);
    expect(probe.init).toMatchObject({ mode: 'no-cors', credentials: 'include', cache: 'no-store' });
    // The probe's body is not wanted.
    expect((probe.init.signal as AbortSignal).aborted).toBe(true);
  });

  it('goes on as usual when the request sent again succeeds (the first failure was the network)', async () => {
    const calls = scriptedFetch(['reject', 'opaque', 'cors']);
    expect(await run(GET)).toEqual({ response: true, error: false, blocked: undefined });
    expect(calls).toHaveLength(3);
  });

  it('is a network error when the probe fails too, or answers same-origin (no CORS involved)', async () => {
    scriptedFetch(['reject', 'reject']);
    expect(await run(GET)).toEqual({ response: false, error: true, blocked: undefined });
    const calls = scriptedFetch(['reject', 'basic']);
    expect(await run(GET)).toEqual({ response: false, error: true, blocked: undefined });
    expect(calls).toHaveLength(2);
  });

  it(`is a network error when the probe has no answer within ${PROBE_TIMEOUT} ms, and leaves no timer`, async () => {
    vi.useFakeTimers();
    const calls = scriptedFetch(['reject', 'never']);
    const outcome = run(GET);
    await vi.advanceTimersByTimeAsync(PROBE_TIMEOUT);
    expect(await outcome).toEqual({ response: false, error: true, blocked: undefined });
    expect((calls[1]?.init.signal as AbortSignal).aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is never probed for a method other than GET (sending it again could repeat its effects), outside an origin, or when fetch threw', async () => {
    let calls = scriptedFetch(['reject', 'opaque']);
    expect(await run({ ...GET, method: 'POST', body: 'x' })).toEqual({ response: false, error: true, blocked: undefined });
    expect(calls).toHaveLength(1);
    calls = scriptedFetch(['throw', 'opaque']);
    expect(await run(GET)).toEqual({ response: false, error: true, blocked: undefined });
    expect(calls).toHaveLength(1);
    vi.stubGlobal('location', undefined);
    calls = scriptedFetch(['reject', 'opaque']);
    expect(await run(GET)).toEqual({ response: false, error: true, blocked: undefined });
    expect(calls).toHaveLength(1);
  });

  it('abort() while the probe is out: nothing is reported, the probe is aborted, no timer is left', async () => {
    vi.useFakeTimers();
    const calls = scriptedFetch(['reject', 'never']);
    const reported = vi.fn();
    const abort = fetchTransport(GET, { onResponse: reported, onChunk: reported, onEnd: reported });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    abort();
    expect((calls[1]?.init.signal as AbortSignal).aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(PROBE_TIMEOUT);
    expect(reported).not.toHaveBeenCalled();
  });
});

describe("fetch transport: an abort it did not start (Fetch's aborted network error, an AbortError)", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const abortError = () => new DOMException('The operation was aborted.', 'AbortError');

  it('reports it as aborted, unprobed, before the response and in the middle of the body; other failures are not', async () => {
    vi.stubGlobal('location', { href: 'http://127.0.0.1:8/page' });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([100]));
        controller.error(abortError());
      },
    });
    const answers = [
      Promise.reject(abortError()),
      Promise.resolve({ status: 200, statusText: 'OK', headers: new Headers(), url: '', body } as unknown as Response),
    ];
    for (const answer of answers) {
      const calls: string[] = [];
      const ended = await new Promise<unknown[]>((resolve) => {
        fetchTransport(
          {
            ...GET,
            fetch: (_url, init) => {
              calls.push(init.mode as string);
              return answer;
            },
          },
          { onResponse: () => undefined, onChunk: () => undefined, onEnd: (...args) => resolve(args) },
        );
      });
      expect([ended[0], ended[3], (ended[2] as Error).name]).toEqual([true, true, 'AbortError']);
      expect(calls).toEqual(['cors']);
    }
    scriptedFetch(['reject', 'reject']);
    const ended = await new Promise<unknown[]>((resolve) => {
      fetchTransport(GET, { onResponse: () => undefined, onChunk: () => undefined, onEnd: (...args) => resolve(args) });
    });
    expect([ended[0], ended[3]]).toEqual([true, false]);
  });
});

describe('fetch transport: the request.fetch of the caller', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is called instead of the global fetch, with the URL and the full init, also for the no-cors probe', async () => {
    vi.stubGlobal('location', { href: 'http://127.0.0.1:8/page' });
    const global = scriptedFetch([]);
    const own: Call[] = [];
    const answers = [Promise.reject(new TypeError('Failed to fetch')), Promise.resolve({ type: 'opaque' } as Response), new Promise<Response>(() => undefined)];
    const request: TransportRequest = {
      ...GET,
      fetch: (url, init) => {
        own.push({ url, init });
        return answers[own.length - 1] as Promise<Response>;
      },
    };
    fetchTransport(request, { onResponse: () => undefined, onChunk: () => undefined, onEnd: () => undefined });
    await vi.waitFor(() => expect(own).toHaveLength(3));
    expect(global).toHaveLength(0);
    expect(own.map((c) => c.init.mode)).toEqual(['cors', 'no-cors', 'cors']);
    expect(own[0]?.url).toBe(GET.url);
    expect(own[0]?.init).toMatchObject({ method: 'GET', headers: GET.headers, credentials: 'include', cache: 'no-store', redirect: 'follow' });
    expect(own[0]?.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('fails the request, with the cause, when it throws, returns no promise, or resolves to something that is not a response', async () => {
    const thrown = new Error('signing key missing');
    const cases: Array<[() => unknown, (cause: unknown) => void]> = [
      [
        () => {
          throw thrown;
        },
        (cause) => expect(cause).toBe(thrown),
      ],
      [() => undefined, (cause) => expect(cause).toBeInstanceOf(TypeError)],
      [() => Promise.resolve(null), (cause) => expect(cause).toBeInstanceOf(TypeError)],
    ];
    for (const [fetch, check] of cases) {
      let returned = false;
      const outcome = new Promise<{ error: boolean; cause: unknown; later: boolean }>((resolve) => {
        fetchTransport(
          { ...GET, fetch: fetch as never },
          { onResponse: () => undefined, onChunk: () => undefined, onEnd: (error, _blocked, cause) => resolve({ error, cause, later: returned }) },
        );
        returned = true;
      });
      const { error, cause, later } = await outcome;
      expect(later).toBe(true);
      expect(error).toBe(true);
      check(cause);
    }
  });
});

describe('the transport a fetch option takes', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is the fetch transport, even where the page has no fetch of its own, and XHR where there is no TextDecoder (IE)', async () => {
    const opened: string[] = [];
    class RecordingXHR {
      open(method: string, url: string) {
        opened.push(`${method} ${url}`);
      }
      overrideMimeType() {}
      setRequestHeader() {}
      send() {}
      abort() {}
    }
    vi.stubGlobal('XMLHttpRequest', RecordingXHR);
    vi.stubGlobal('fetch', undefined);
    const own = vi.fn(() => new Promise<Response>(() => undefined));
    const a = connect(GET.url, { fetch: own });
    expect(own).toHaveBeenCalledTimes(1);
    expect(opened).toEqual([]);
    a.close();
    vi.stubGlobal('TextDecoder', undefined);
    const b = connect(GET.url, { fetch: own });
    expect(own).toHaveBeenCalledTimes(1);
    expect(opened).toEqual([`GET ${GET.url}`]);
    b.close();
  });
});
