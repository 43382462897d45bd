// Transport over XMLHttpRequest for engines without streaming fetch: readyState 3 / progress, responseText read from an offset.

import { originOf } from '../url.js';
import type { Transport, TransportHandlers, TransportRequest } from './types.js';

/**
 * Sends the request with `XMLHttpRequest` and reports the body as text chunks, read from
 * `responseText` past the previous offset on every `progress` / `readyState` change. The text is
 * decoded as UTF-8 whatever the response's charset (`overrideMimeType`, where the engine has it:
 * IE11+, every current browser), and the platform's decoder has already dropped a leading BOM.
 * Only `load` is the body's end: `error`, or a `loadend` without `load`, is a network error
 * (refused, reset before or in the middle of the body, CORS failure), and `abort` (which ssekit's
 * own abort never lets through) an abort by the page. Same-origin requests carry
 * `Cache-Control: no-cache` (what fetch's `cache: 'no-store'` adds). Never throws.
 */
export const xhrTransport: Transport = (request: TransportRequest, handlers: TransportHandlers) => {
  const xhr = new XMLHttpRequest();
  let stopped = false;
  let responded = false;
  let offset = 0;

  const cleanup = () => {
    xhr.onreadystatechange = null;
    xhr.onprogress = null;
    xhr.onload = null;
    xhr.onerror = null;
    xhr.onabort = null;
    xhr.onloadend = null;
  };

  const read = () => {
    // IE throws on responseText while readyState < 3.
    let text: string;
    try {
      text = xhr.responseText;
    } catch {
      return;
    }
    if (text.length > offset) {
      const chunk = text.slice(offset);
      offset = text.length;
      handlers.onChunk(chunk);
    }
  };

  const end = (error: boolean, aborted?: boolean) => {
    if (stopped) return;
    stopped = true;
    cleanup();
    handlers.onEnd(error, undefined, undefined, aborted);
  };

  const progress = () => {
    if (stopped) return;
    const state = xhr.readyState;
    if (state < 2) return;
    if (!responded) {
      const status = xhr.status;
      if (status === 0) return;
      responded = true;
      handlers.onResponse({
        status,
        statusText: xhr.statusText,
        url: xhr.responseURL || request.url,
        header: (name) => xhr.getResponseHeader(name),
      });
      if (stopped) return;
    }
    if (state >= 3) read();
  };

  xhr.onreadystatechange = progress;
  xhr.onprogress = progress;
  // readyState 4 comes with a reset in the middle of a body too (status 0 in Chromium and Firefox,
  // unchanged in IE): the events that follow it tell the end from a failure.
  xhr.onload = () => {
    progress();
    end(!responded);
  };
  xhr.onerror = xhr.onloadend = () => end(true);
  xhr.onabort = () => end(true, true);

  try {
    xhr.open(request.method, request.url, true);
    if (typeof xhr.overrideMimeType === 'function') xhr.overrideMimeType('text/plain; charset=utf-8');
    xhr.withCredentials = request.credentials ? request.credentials === 'include' : request.withCredentials;
    const headers = request.headers;
    let cacheControl = false;
    for (const name in headers) {
      if (!Object.prototype.hasOwnProperty.call(headers, name)) continue;
      xhr.setRequestHeader(name, headers[name] as string);
      if (name.toLowerCase() === 'cache-control') cacheControl = true;
    }
    // No caching, as fetch's cache: 'no-store' asks for; cross-origin the header would force a CORS preflight.
    if (!cacheControl && typeof location === 'object' && location && originOf(location.href) === originOf(request.url)) {
      xhr.setRequestHeader('Cache-Control', 'no-cache');
    }
    xhr.send(request.body as XMLHttpRequestBodyInit | null);
  } catch {
    // open() or send() throw synchronously for some bad URLs: report it like fetch would, later.
    setTimeout(() => end(true), 0);
  }

  return () => {
    if (stopped) return;
    stopped = true;
    cleanup();
    try {
      xhr.abort();
    } catch {
      // Nothing to do: the request is gone either way.
    }
  };
};
