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

/**
 * Sends the request with `fetch` (CORS mode, redirects followed, `cache: 'no-store'`, which adds
 * `Cache-Control: no-cache` without making the request preflighted) and reports
 * the body as byte chunks. A rejected fetch or a failing read is a network error; a rejected GET
 * whose server answers a no-cors probe is reported as blocked by CORS. Never throws.
 */
export const fetchTransport: Transport = (request: TransportRequest, handlers: TransportHandlers) => {
  let stopped = false;
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;

  const fail = () => {
    if (stopped) return;
    stopped = true;
    handlers.onEnd(true);
  };

  // A CORS failure and a network error reject alike. A no-cors request tells them apart: it
  // reaches a server that answers (an opaque response when the final URL is cross-origin) and fails
  // where the network does. Only for GET: sending any other request twice could repeat its effects.
  const refused = () => {
    if (stopped) return;
    if (request.method !== 'GET' || !controller) return fail();
    fetch(request.url, { mode: 'no-cors', credentials: init.credentials as RequestCredentials, cache: 'no-store', signal: controller.signal }).then((probe) => {
      // The probe's body is not wanted: the server sees its request end at once.
      controller.abort();
      if (stopped) return;
      stopped = true;
      handlers.onEnd(true, probe.type === 'opaque');
    }, fail);
  };

  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    body: request.body,
    mode: 'cors',
    credentials: request.credentials || (request.withCredentials ? 'include' : 'same-origin'),
    cache: 'no-store',
    redirect: 'follow',
  };
  if (controller) init.signal = controller.signal;

  const pump = (): void => {
    (reader as ReadableStreamDefaultReader<Uint8Array>).read().then((result) => {
      if (stopped) return;
      if (result.done) {
        stopped = true;
        handlers.onEnd(false);
        return;
      }
      handlers.onChunk(result.value);
      if (!stopped) pump();
    }, fail);
  };

  let promise: Promise<Response>;
  try {
    promise = fetch(request.url, init);
  } catch {
    // Some engines throw synchronously (e.g. a malformed header): still report asynchronously.
    promise = Promise.reject(new TypeError('fetch failed'));
  }
  promise.then((response) => {
    if (stopped) return;
    handlers.onResponse({
      status: response.status,
      statusText: response.statusText,
      url: response.url || request.url,
      header: (name) => response.headers.get(name),
    });
    if (stopped) return;
    if (!response.body) {
      stopped = true;
      handlers.onEnd(false);
      return;
    }
    reader = response.body.getReader();
    pump();
  }, refused);

  return () => {
    if (stopped) return;
    stopped = true;
    if (controller) controller.abort();
    if (reader) reader.cancel().then(undefined, () => undefined);
  };
};
