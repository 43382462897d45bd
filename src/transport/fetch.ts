// Transport over fetch() and a ReadableStream body reader, stopped by AbortController or reader.cancel().

import type { Transport, TransportHandlers, TransportRequest } from './types.js';

/**
 * True when fetch with a readable response body and `TextDecoder` are available (not in IE or old
 * WebViews). EdgeHTML streams fetch bodies but has no `TextDecoder`: it takes XHR, which decodes
 * by itself, rather than ssekit carrying a UTF-8 decoder of its own for it.
 */
export function fetchSupported(): boolean {
  return (
    typeof fetch === 'function' &&
    typeof ReadableStream === 'function' &&
    typeof TextDecoder === 'function' &&
    typeof Response === 'function' &&
    'body' in Response.prototype
  );
}

/** How long the no-cors probe may take to answer, in ms, before the failure counts as the network's. */
export const PROBE_TIMEOUT = 5000;

/**
 * Sends the request with `request.fetch`, else the global `fetch` (CORS mode, redirects followed, `cache: 'no-store'`, which adds
 * `Cache-Control: no-cache` without making the request preflighted) and reports the body as byte
 * chunks. A failing read or a rejected fetch is a network error, except a rejected GET that a
 * no-cors probe shows to be a CORS failure (see below), reported as `onEnd(true, true)`. Never throws.
 */
export const fetchTransport: Transport = (request: TransportRequest, handlers: TransportHandlers) => {
  const fetcher = request.fetch || fetch;
  let stopped = false;
  // One per request sent (the probe and a second attempt need their own): the current one.
  let controller: AbortController | null = null;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let limit: ReturnType<typeof setTimeout> | null = null;

  const end = (error: boolean, blocked?: boolean, cause?: unknown, aborted?: boolean) => {
    // Timer ids are never 0.
    if (limit) clearTimeout(limit);
    limit = null;
    if (stopped) return;
    stopped = true;
    handlers.onEnd(error, blocked, cause, aborted);
  };
  // An AbortError that is not ours is the page's abort (window.stop(), a navigation) where the
  // engine reports it as Fetch says; Chromium, Firefox and WebKit reject with a TypeError instead.
  const isAbort = (cause: unknown) => !!cause && (cause as Error).name === 'AbortError';
  const fail = (cause?: unknown) => end(true, undefined, cause, isAbort(cause));

  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    body: request.body,
    mode: 'cors',
    credentials: request.credentials || (request.withCredentials ? 'include' : 'same-origin'),
    cache: 'no-store',
    redirect: 'follow',
  };

  const pump = (): void => {
    (reader as ReadableStreamDefaultReader<Uint8Array>).read().then((result) => {
      if (stopped) return;
      if (result.done) return end(false);
      // The next read waits for what onChunk returns: not reading is what fills the TCP window and
      // slows the server down (backpressure). After an abort it finds the reader cancelled.
      Promise.resolve(handlers.onChunk(result.value)).then(pump);
    }, fail);
  };

  const onResponse = (response: Response) => {
    if (stopped) return;
    handlers.onResponse({
      status: response.status,
      statusText: response.statusText,
      url: response.url || request.url,
      header: (name) => response.headers.get(name),
    });
    if (stopped) return;
    if (!response.body) return end(false);
    reader = response.body.getReader();
    pump();
  };

  // A CORS failure and a network error reject alike. Where the code runs with an origin (a page or
  // a worker: Node enforces no CORS), a no-cors request tells them apart: it gets an answer from a
  // server that answers (opaque when the final URL is cross-origin) and fails where the network
  // does. An opaque answer may still follow a passing network failure (a changed network), so the
  // request is then sent once more: failing again, it was CORS. Only for GET: sending any other
  // request again could repeat its effects.
  const refused = (cause: unknown) => {
    if (stopped) return;
    if (request.method !== 'GET' || !controller || typeof location !== 'object' || isAbort(cause)) return fail(cause);
    const probe = (controller = new AbortController());
    limit = setTimeout(() => {
      probe.abort();
      fail(cause);
    }, PROBE_TIMEOUT);
    fetcher(request.url, { mode: 'no-cors', credentials: init.credentials as RequestCredentials, cache: 'no-store', signal: probe.signal }).then((answer) => {
      // The probe's body is not wanted: the server sees its request end at once.
      probe.abort();
      if (stopped) return;
      if (answer.type !== 'opaque') return fail(cause);
      clearTimeout(limit as ReturnType<typeof setTimeout>);
      limit = null;
      send(true);
    }, fail);
  };

  const send = (again: boolean) => {
    controller = typeof AbortController === 'function' ? new AbortController() : null;
    if (controller) init.signal = controller.signal;
    try {
      // A response object onResponse cannot read (a mock's) fails the request rather than the promise chain.
      fetcher(request.url, init)
        .then(onResponse, again ? (cause) => end(true, true, cause) : refused)
        .then(undefined, fail);
    } catch (cause) {
      // A request fetch cannot even build (e.g. a malformed header), or a fetch option that returned
      // no promise: a plain failure, reported asynchronously, never mistaken for CORS.
      Promise.resolve(cause).then(fail);
    }
  };
  send(false);

  return () => {
    if (stopped) return;
    stopped = true;
    if (limit) clearTimeout(limit);
    if (controller) controller.abort();
    if (reader) reader.cancel().then(undefined, () => undefined);
  };
};
