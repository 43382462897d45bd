// One connection of an event stream, shared by EventSource and connect(): transport choice, request, decode, parse.

import { createDecoder, type StreamDecoder } from './decoder.js';
import { LEGACY, PAGE } from './legacy.js';
import { inDocument, listen } from './lifecycle.js';
import { createParser, type Parser } from './parser.js';
import { fetchSupported, fetchTransport } from './transport/fetch.js';
import type { Transport, TransportRequest, TransportResponse } from './transport/types.js';
import { xhrTransport } from './transport/xhr.js';
import { originOf, utf8Bytes } from './url.js';

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

// How the XHR text of a response reaches the parser (see screen in startConnection).
const PASS = 0;
const FIRST = 1;
const CHECK = 2;
const SKIP = 3;
const CSP = 'securitypolicyviolation';

// A parser that met a server replaying its stream on a renewal: never renewed again.
interface Renewing extends Parser {
  replays?: boolean;
}

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
 *
 * A server that ignores `Last-Event-ID` answers a renewal from the top of its stream: the renewed
 * body is held back until its first event with an id; when that id is the first id of the
 * connection's first response or the last event ID string sent, the server replays, and the body
 * is skipped up to the end of the event with that last event ID (nothing is delivered twice; a
 * replay that never reaches it delivers nothing more), and that source is never renewed again: its
 * XHR body then grows for the life of the request, as for a stream without ids.
 */
export function startConnection(makeRequest: () => TransportRequest, parser: Parser, handlers: ConnectionHandlers): () => void {
  let current: (() => void) | null = null;
  let stopped = false;
  // The first id of the first response (found by a probe parser over its first RENEW_AFTER characters).
  let firstId: string | null = null;
  const run = (renewed: boolean): void => {
    parser.reset();
    let decoder: StreamDecoder | null = null;
    let accepted = false;
    let received = 0;
    // XHR text only. The probe parses the text the real parser is not given yet (see screen):
    // `mode` CHECK holds a renewed body until its first id, SKIP drops a replay, PASS feeds on.
    // Streams over fetch are never renewed: the modern build neither carries nor makes the probe.
    const last = LEGACY ? parser.lastEventId : '';
    let mode = renewed ? CHECK : firstId === null ? FIRST : PASS;
    let held = '';
    let probeId: string | null = null;
    const probe = (LEGACY &&
      createParser({
        onEvent: (event) => {
          if (probeId === null && event.lastEventId !== '') probeId = event.lastEventId;
        },
      })) as Parser;
    // What of `text` the real parser may have now.
    const screen = (text: string): string => {
      if (mode === FIRST) {
        probe.feed(text);
        if (probeId !== null || received > RENEW_AFTER) {
          firstId = probeId === null ? '' : probeId;
          mode = PASS;
        }
        return text;
      }
      let pos = 0;
      let out = '';
      // Line by line, so that the verdict and the end of a skipped replay fall on a line's end.
      while (mode !== PASS && pos < text.length) {
        const lf = text.indexOf('\n', pos);
        const cr = text.indexOf('\r', pos);
        let end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
        if (end < 0) end = text.length - 1;
        const line = text.slice(pos, end + 1);
        pos = end + 1;
        probe.feed(line);
        if (mode === CHECK) {
          held += line;
          if (probeId === last || probeId === firstId) {
            (parser as Renewing).replays = true;
            mode = SKIP;
          } else if (probeId !== null || held.length > RENEW_AFTER) {
            // The server resumed (or sent no id to judge by in RENEW_AFTER characters).
            out = held;
            mode = PASS;
          }
        }
        if (mode === SKIP && probe.lastEventId === last && probe.resumable()) mode = PASS;
      }
      held = mode === CHECK ? held : '';
      return out + text.slice(pos);
    };
    const request = makeRequest();
    // The page's Content-Security-Policy may block the URL (connect-src): fetch and XHR then fail
    // like the network, and only the securitypolicyviolation event, on the document, tells it.
    // Native EventSource fails the connection then; so does ssekit (reported as blocked).
    let violation: Event | null = null;
    let wait: ReturnType<typeof setTimeout> | undefined;
    let responded = false;
    const url = request.url.replace(/#.*/, '');
    const watch = inDocument()
      ? (event: Event) => {
          const blocked = (event as SecurityPolicyViolationEvent).blockedURI;
          if (blocked === url || blocked === originOf(url)) violation = event;
        }
      : null;
    const unwatch = () => {
      if (watch) listen(document, CSP, watch, false);
    };
    if (watch) listen(document, CSP, watch, true);
    // A fetch of the caller's own takes the fetch transport wherever bytes can be decoded (it may be
    // the only fetch there is); engines without TextDecoder (IE) read over XHR and never call it.
    const transport =
      forcedTransport || (PAGE || (LEGACY && !(request.fetch ? typeof TextDecoder === 'function' : fetchSupported())) ? xhrTransport : fetchTransport);
    const abort = transport(request, {
      onResponse: (response) => {
        responded = true;
        unwatch();
        accepted = handlers.onResponse(response, renewed);
      },
      onChunk: (chunk) => {
        if (!accepted) return;
        if (PAGE || (LEGACY && typeof chunk === 'string')) {
          let text = chunk as string;
          // Text chunks come from XHR, whose responseText keeps everything: renew at a safe point.
          received += text.length;
          if (mode !== PASS) text = screen(text);
          // Only a stream that carries ids can resume: spare the others the scan for a blank line.
          const cut =
            received > RENEW_AFTER && handlers.renewable && parser.lastEventId !== '' && !(parser as Renewing).replays ? afterLastBlankLine(text) : -1;
          if (cut === -1) {
            if (text !== '') parser.feed(text);
          } else {
            parser.feed(text.slice(0, cut));
            if (!stopped && current === stop && parser.resumable()) {
              stop();
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
      onEnd: (error, blocked, cause, aborted) => {
        const end = () => {
          unwatch();
          // A renewed body held back and ended before its first id: the server resumed after all.
          if (held !== '') parser.feed(held);
          if (error && violation) handlers.onEnd(true, true, violation);
          else handlers.onEnd(error, blocked, cause, aborted);
        };
        // Chromium dispatches the violation a task after fetch failed the request (before XHR's
        // error event): wait for it where it may come, before any response.
        if (!PAGE && error && watch && !violation && !aborted && !responded && transport === fetchTransport) wait = setTimeout(end, 0);
        else end();
      },
    });
    const stop = () => {
      clearTimeout(wait as never);
      unwatch();
      abort();
    };
    current = stop;
  };
  run(false);
  return () => {
    stopped = true;
    if (current) current();
  };
}
