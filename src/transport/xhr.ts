// Transport over XMLHttpRequest for engines without streaming fetch: readyState 3 / progress, responseText read from an offset.

import { originOf } from '../url.js';
import type { Transport, TransportHandlers, TransportRequest } from './types.js';

/**
 * How many times its own cost a read of `responseText` waits after the previous one while the body
 * keeps coming: reading then takes at most 1 / (1 + READ_SPACING) of the time.
 */
const READ_SPACING = 4;

/**
 * The cost (ms) from which a read is spaced from the next: below it (responses under ~1 M
 * characters) spacing saves nothing measurable and its timer reads would add to the reads that
 * every `readystatechange` makes anyway.
 */
const SPACED_FROM = 3;

/**
 * Sends the request with `XMLHttpRequest` and reports the body as text chunks, read from
 * `responseText` past the previous offset on each `readyState` change (and on a `progress` that
 * no such change preceded). Each access to `responseText` costs time in proportion to the whole
 * text received so far, not to its new part (Chromium: 3-8 ns a character, measured, i.e. ~60 ms
 * at 20 MB); so once a read took SPACED_FROM ms or more, the next one waits READ_SPACING times that
 * long (a timer reads what came in the meantime) and reading takes a bounded share of the time
 * however long the response grows; a short response (e.g. one ssekit renews) is read on every
 * change as before. The text is
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
  // Until when reads wait (Date.now() ms), and the timer that reads at that time (cleared by
  // cleanup(): every read forced before it, at readyState 4 or load, is followed by the end).
  let readAfter = 0;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;

  const cleanup = () => {
    clearTimeout(timer);
    xhr.onreadystatechange = null;
    xhr.onprogress = null;
    xhr.onload = null;
    xhr.onerror = null;
    xhr.onabort = null;
    xhr.onloadend = null;
  };

  const read = (force?: boolean) => {
    const start = Date.now();
    if (!force && start < readAfter) {
      timer =
        timer ||
        setTimeout(() => {
          timer = 0;
          read(true);
        }, readAfter - start);
      return;
    }
    // IE throws on responseText while readyState < 3.
    let text: string;
    try {
      text = xhr.responseText;
    } catch {
      return;
    }
    const took = Date.now() - start;
    readAfter = took < SPACED_FROM ? 0 : start + took * (1 + READ_SPACING);
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

  // Whether the last event was a readystatechange that read: the progress event an engine fires
  // right after it for the same data (Chromium, IE) would pay for a second read of the whole text.
  let readOnChange = false;
  // `how`: 1 readystatechange, 2 progress, 3 load (reads whatever the spacing).
  const progress = (how: number) => {
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
    if (state < 3 || (how === 2 && readOnChange)) {
      readOnChange = false;
      return;
    }
    readOnChange = how === 1;
    // readyState 4 reads at once: IE keeps the text of a body reset in the middle, and parses it.
    read(how === 3 || state === 4);
  };

  xhr.onreadystatechange = () => progress(1);
  xhr.onprogress = () => progress(2);
  // readyState 4 comes with a reset in the middle of a body too (status 0 in Chromium and Firefox,
  // unchanged in IE): the events that follow it tell the end from a failure.
  xhr.onload = () => {
    progress(3);
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
