// The fetch transport against a scripted global fetch: telling a CORS failure from a network error with a no-cors probe.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchTransport } from '../src/transport/fetch';
import type { TransportRequest } from '../src/transport/types';

interface Call {
  url: string;
  init: RequestInit;
}

// A fetch whose answers are scripted per call: 'reject' (what a CORS failure and a network error
// both look like), or a response of the given type.
function scriptedFetch(answers: Array<'reject' | ResponseType>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const answer = answers[calls.length - 1];
    if (answer === undefined || answer === 'reject') return Promise.reject(new TypeError('Failed to fetch'));
    return Promise.resolve({ type: answer, status: 0, body: null, headers: new Headers(), url: '' } as unknown as Response);
  });
  return calls;
}

const GET: TransportRequest = { url: 'http://127.0.0.1:9/s', method: 'GET', headers: { Accept: 'text/event-stream' }, body: null, withCredentials: true };

function run(request: TransportRequest): Promise<{ error: boolean; blocked: boolean | undefined }> {
  return new Promise((resolve) => {
    fetchTransport(request, {
      onResponse: () => resolve({ error: false, blocked: undefined }),
      onChunk: () => undefined,
      onEnd: (error, blocked) => resolve({ error, blocked }),
    });
  });
}

describe('fetch transport: a rejected request', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is blocked by CORS when a no-cors probe of the same URL gets an opaque answer; the probe is aborted', async () => {
    const calls = scriptedFetch(['reject', 'opaque']);
    expect(await run(GET)).toEqual({ error: true, blocked: true });
    expect(calls).toHaveLength(2);
    const probe = calls[1] as Call;
    expect(probe.url).toBe(GET.url);
    expect(probe.init).toMatchObject({ mode: 'no-cors', credentials: 'include', cache: 'no-store' });
    expect((probe.init.signal as AbortSignal).aborted).toBe(true);
  });

  it('is a network error when the probe fails too, or answers same-origin (no CORS involved)', async () => {
    scriptedFetch(['reject', 'reject']);
    expect(await run(GET)).toEqual({ error: true, blocked: undefined });
    vi.unstubAllGlobals();
    scriptedFetch(['reject', 'basic']);
    expect(await run(GET)).toEqual({ error: true, blocked: false });
  });

  it('is never probed for a method other than GET: sending it twice could repeat its effects', async () => {
    const calls = scriptedFetch(['reject', 'opaque']);
    expect(await run({ ...GET, method: 'POST', body: 'x' })).toEqual({ error: true, blocked: undefined });
    expect(calls).toHaveLength(1);
  });

  it('sends no probe after abort()', async () => {
    const calls = scriptedFetch(['reject', 'opaque']);
    const ended = vi.fn();
    const abort = fetchTransport(GET, { onResponse: ended, onChunk: ended, onEnd: ended });
    abort();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toHaveLength(1);
    expect(ended).not.toHaveBeenCalled();
  });
});
