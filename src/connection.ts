// One connection of an event stream, shared by EventSource and connect(): transport choice, request, decode, parse.

import { createDecoder, type StreamDecoder } from './decoder.js';
import { LEGACY, PAGE } from './legacy.js';
import type { Parser } from './parser.js';
import { fetchSupported, fetchTransport } from './transport/fetch.js';
import type { Transport, TransportRequest, TransportResponse } from './transport/types.js';
import { xhrTransport } from './transport/xhr.js';
import { utf8Bytes } from './url.js';

// null: pick per connection, so a page that loses fetch later still connects.
let forcedTransport: Transport | null = null;

/**
 * Forces the transport new connections use (unit tests pass a fake one); `null` restores the
 * default choice: streaming fetch (with `TextDecoder`) where available, XMLHttpRequest otherwise.
 * Returns the previous setting. Connections already started keep theirs. A transport that hands
 * over bytes (not text) needs the platform's `TextDecoder`.
 */
export function setTransport(next: Transport | null): Transport | null {
  const previous = forcedTransport;
  forcedTransport = next;
  return previous;
}

/** What a connection reports to its owner. */
export interface ConnectionHandlers {
  /**
   * The response head; return true to read the body into the parser, false to ignore it.
   * `renewed` is true for the response to a silent renewal (see {@link startConnection}).
   */
  onResponse(response: TransportResponse, renewed: boolean): boolean;
  /**
   * A chunk of the body arrived and was parsed (its events dispatched): heartbeats measure from
   * here. `canPause` is true where the transport can hold its next read (fetch): a promise
   * returned then holds it until it settles (backpressure).
   */
  onParsed?(canPause: boolean): PromiseLike<unknown> | void;
  /**
   * The body ended (`error` false) or the network failed (`error` true; `blocked` true when the
   * transport tells it was the CORS check, so retrying is futile; `cause` the platform's error, if
   * any; `aborted` true when the page aborted the request, e.g. `window.stop()`). Not called
   * after ssekit's own abort.
   */
  onEnd(error: boolean, blocked?: boolean, cause?: unknown, aborted?: boolean): void;
  /** The request may be sent again without side effects (GET): allows silent renewal. */
  renewable: boolean;
}

/**
 * Characters of `responseText` after which an XHR connection is renewed (256 Ki): XHR keeps the
 * whole body in memory for the life of the request, fetch does not.
 */
export const RENEW_AFTER = 256 * 1024;

// Index just past the last blank line (two line endings in a row) of `text`, or -1.
function afterLastBlankLine(text: string): number {
  for (let i = text.length - 1; i > 0; i--) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    const before = text.charCodeAt(i - 1);
    if ((before === 10 || before === 13) && !(before === 13 && c === 10)) return c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return -1;
}

/**
 * Returns a copy of `headers` with what every event stream request carries added:
 * `Accept: text/event-stream` and, when the last event ID string is not empty, `Last-Event-ID`
 * as UTF-8 bytes (HTML §9.2.3). Headers already in `headers` (any case) win.
 */
export function streamHeaders(headers: Record<string, string>, lastEventId: string): Record<string, string> {
  const result: Record<string, string> = {};
  const present: Record<string, true> = {};
  for (const name in headers) {
    result[name] = headers[name] as string;
    present[name.toLowerCase()] = true;
  }
  if (!present['accept']) result['Accept'] = 'text/event-stream';
  if (lastEventId !== '' && !present['last-event-id']) result['Last-Event-ID'] = utf8Bytes(lastEventId);
  return result;
}

/**
 * Starts one connection: resets `parser` for a new stream, sends `makeRequest()`, and feeds the
 * body, decoded as UTF-8 with a fresh decoder (one BOM dropped per stream), once `onResponse`
 * accepts it. Returns the function that aborts the request (idempotent).
 *
 * Memory bound of the XHR transport: once a response has delivered {@link RENEW_AFTER}
 * characters, the next chunk is parsed up to its last blank line only; if the last event there
 * carried an id (`parser.resumable()`) and the request is `renewable`, the request is aborted and
 * sent again (`makeRequest()` is called anew, so it carries that `Last-Event-ID`): the server
 * resumes after that event and sends the rest of the chunk again, so nothing is lost or repeated,
 * and the owner is told through `onResponse(response, true)`. A stream without ids cannot
 * resume, so its XHR body grows for the life of the request.
 */
export function startConnection(makeRequest: () => TransportRequest, parser: Parser, handlers: ConnectionHandlers): () => void {
  let current: (() => void) | null = null;
  let stopped = false;
  const run = (renewed: boolean): void => {
    parser.reset();
    let decoder: StreamDecoder | null = null;
    let accepted = false;
    let received = 0;
    const request = makeRequest();
    // A fetch of the caller's own takes the fetch transport wherever bytes can be decoded (it may be
    // the only fetch there is); engines without TextDecoder (IE) read over XHR and never call it.
    const transport =
      forcedTransport || (PAGE || (LEGACY && !(request.fetch ? typeof TextDecoder === 'function' : fetchSupported())) ? xhrTransport : fetchTransport);
    const abort = transport(request, {
      onResponse: (response) => {
        accepted = handlers.onResponse(response, renewed);
      },
      onChunk: (chunk) => {
        if (!accepted) return;
        if (PAGE || (LEGACY && typeof chunk === 'string')) {
          const text = chunk as string;
          // Text chunks come from XHR, whose responseText keeps everything: renew at a safe point.
          received += text.length;
          // Only a stream that carries ids can resume: spare the others the scan for a blank line.
          const cut = received > RENEW_AFTER && handlers.renewable && parser.lastEventId !== '' ? afterLastBlankLine(text) : -1;
          if (cut === -1) {
            if (text !== '') parser.feed(text);
          } else {
            parser.feed(text.slice(0, cut));
            if (!stopped && current === abort && parser.resumable()) {
              abort();
              run(true);
            } else if (cut < text.length) parser.feed(text.slice(cut));
          }
          // XHR cannot hold its reads (the page-only build has no owner that would ask).
          if (!PAGE && handlers.onParsed) handlers.onParsed(false);
          return;
        }
        const text = (decoder || (decoder = createDecoder())).decode(chunk as Uint8Array);
        if (text !== '') parser.feed(text);
        return handlers.onParsed && handlers.onParsed(true);
      },
      onEnd: handlers.onEnd,
    });
    current = abort;
  };
  run(false);
  return () => {
    stopped = true;
    if (current) current();
  };
}
