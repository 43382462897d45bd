// The EventSource interface (HTML §9.2): readyState machine, announce / reestablish / fail the connection, Last-Event-ID, dispatch.

import { startConnection, streamHeaders } from './connection.js';
import { createMessageEvent, createSimpleEvent, defineEventSourceMembers, inheritEventTarget, initEventTarget, type EventSourceSlots } from './event-target.js';
import type { AddListenerOptions, EventListenerLike, EventSourceEvents, EventSourceInit, ListenerOptions, SSEMessageEvent } from './dom-types.js';
import { inDocument, listen } from './lifecycle.js';
import { createParser, type ParsedEvent, type Parser } from './parser.js';
import type { TransportResponse } from './transport/types.js';
import { LEGACY, PAGE } from './legacy.js';
import { isEventStream, originOf, resolveURL } from './url.js';

export { setTransport } from './connection.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** The reconnection time before any `retry:` field, in ms (Chromium's default). */
export const DEFAULT_RECONNECTION_TIME = 3000;
// setTimeout fires at once for delays past 2^31-1 ms; a larger retry: value waits the longest it can.
const MAX_DELAY = 2147483647;

// The internal slots of an EventSource, kept off the instance's enumerable surface like a native
// object's: what defineEventSourceMembers reads, and close(). The rest of its state lives in the
// closure start() makes, whose local names a minifier can shorten (it keeps property names).
interface Internals extends EventSourceSlots {
  close: () => void;
}

// Internal slots: a WeakMap where the engine has one (nothing on the instance, as native), else a
// non-enumerable property (always in legacy pages: IE10 has no WeakMap, and one path is smaller).
const SLOT = '__ssekit';
const slots: WeakMap<object, Internals> | null = !LEGACY || (!PAGE && typeof WeakMap === 'function') ? new WeakMap() : null;

function internals(target: unknown): Internals {
  const s = !target
    ? undefined
    : !LEGACY || slots
      ? (slots as WeakMap<object, Internals>).get(target as object)
      : (target as Record<string, Internals | undefined>)[SLOT];
  if (!s) throw new TypeError('Illegal invocation: call this on an EventSource instance.');
  return s;
}

function syntaxError(message: string): Error {
  if (!LEGACY) return new DOMException(message, 'SyntaxError');
  try {
    return new DOMException(message, 'SyntaxError');
  } catch {
    const error = new Error(message);
    error.name = 'SyntaxError';
    return error;
  }
}

// HTML §9.2.6 dispatches each event from a task of its own, so a page sees the microtasks its
// listeners queued run before the next event, as they do natively. A script cannot end a task, but
// it can make each of its tasks wait one microtask turn behind the previous one: the microtasks a
// listener queued (one step deep) run first. IE has no native Promise, so its pages' microtasks
// come from polyfills (setImmediate, MessageChannel or MutationObserver based) that nothing cheap
// can wait behind (a MutationObserver turn per event halved throughput in the IE-class bench):
// there, the events of one read are dispatched back to back.
// Promise.then, not queueMicrotask: Chromium's queueMicrotask crosses its DOM bindings on every
// call, which cost 10-15 % of throughput on small events in the bench.
const resolved = !LEGACY || (typeof Promise === 'function' && /\[native code\]/.test(String(Promise))) ? Promise.resolve() : null;
const nextTurn: ((run: () => void) => void) | null =
  !LEGACY || resolved
    ? (run) => {
        void (resolved as Promise<void>).then(run);
      }
    : null;

// Makes the internal slots of `target` for the resolved `url` and runs its connection: the first
// request from a task after the constructor (a 0 ms timer, as Chromium's: close() right after the
// constructor sends nothing), and the back/forward cache listener in a document.
function start(target: EventSource, url: string, withCredentials: boolean): Internals {
  let reconnectionTime = DEFAULT_RECONNECTION_TIME;
  let origin = '';
  let abort: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Events to dispatch and other tasks (functions) waiting for their turn, from `head` on (see
  // queueTask); null when none has run since the last turn.
  let queue: Array<ParsedEvent | (() => void)> | null = null;
  let head = 0;
  // The window's pagehide and pageshow listener while the source is not CLOSED, in a document.
  let onPage: ((event: Event) => void) | null = null;

  const s: Internals = {
    url,
    withCredentials,
    readyState: CONNECTING,
    handlers: {},
    close: () => {
      release();
      s.readyState = CLOSED;
    },
  };

  // Runs `task` now when nothing ran this turn, else queues it behind the tasks already waiting.
  // Nothing is queued once closed: the rest of a chunk being parsed after close() is dropped.
  const queueTask = (task: ParsedEvent | (() => void)): void => {
    if (s.readyState === CLOSED) return;
    if (queue) {
      queue.push(task);
      return;
    }
    if (LEGACY && !nextTurn) return run(task);
    queue = [task];
    head = 0;
    runNext();
  };

  // Runs the next waiting task, if any, and schedules the one after it.
  const runNext = (): void => {
    const waiting = queue;
    if (!waiting) return;
    // An index, not shift(): shift() copies a long array (thousands of events from one read) each time.
    if (head === waiting.length) {
      queue = null;
      return;
    }
    try {
      run(waiting[head++] as ParsedEvent | (() => void));
    } finally {
      // After the task, so behind the microtasks its listeners queued; even if it threw, so that
      // the queue never stalls.
      (nextTurn as (run: () => void) => void)(runNext);
    }
  };

  const run = (task: ParsedEvent | (() => void)): void => {
    if (typeof task === 'function') task();
    else if (s.readyState === OPEN) target.dispatchEvent(createMessageEvent(task.type, task.data, origin, task.lastEventId));
  };

  const fire = (type: 'open' | 'error'): void => {
    target.dispatchEvent(createSimpleEvent(type));
  };

  const parser: Parser = createParser({
    onEvent: queueTask,
    onRetry: (ms) => {
      reconnectionTime = ms;
    },
  });

  // "Announce the connection", or "fail" it for a status other than 200 or a MIME type other than text/event-stream.
  const onResponse = (response: TransportResponse, renewed: boolean): boolean => {
    if (s.readyState === CLOSED) return false;
    if (response.status !== 200 || !isEventStream(response.header('Content-Type'))) {
      failTheConnection();
      return false;
    }
    // A silent renewal of an XHR connection (memory bound) continues the same stream: no new open.
    if (renewed) return true;
    origin = originOf(response.url);
    // A task, like the events: XHR may hand over the head and the first events in one callback.
    queueTask(() => {
      s.readyState = OPEN;
      fire('open');
    });
    return true;
  };

  const connect = (): void => {
    timer = null;
    // Fetch "scheme fetch": http(s) URLs are fetched from the network (group 1), data: and blob:
    // locally. Any other scheme is a network error that retrying cannot mend, so the connection
    // fails at once (HTML §9.2.3 lets the user agent; every engine does), and no request is made.
    const scheme = /^(?:(https?)|data|blob):/i.exec(url);
    if (!scheme) return failTheConnection();
    const headers: Record<string, string> = {};
    abort = startConnection(() => ({ url, method: 'GET', headers: streamHeaders(headers, parser.lastEventId), body: null, withCredentials }), parser, {
      renewable: true,
      onResponse,
      onEnd: (error, blocked, _cause, aborted) => {
        abort = null;
        // HTML §9.2.3: an aborted network error (the page's window.stop() or navigation) fails the
        // connection, and a user agent may fail it when retrying is futile: after a CORS failure
        // (Chromium does), or a network error reading a data: or blob: URL (every engine does).
        queueTask(() => (blocked || aborted || (error && !scheme[1]) ? failTheConnection() : reestablishTheConnection()));
      },
    });
  };

  const reestablishTheConnection = (): void => {
    if (s.readyState === CLOSED) return;
    s.readyState = CONNECTING;
    fire('error');
    if (s.readyState !== CONNECTING) return;
    timer = setTimeout(connect, Math.min(reconnectionTime, MAX_DELAY));
  };

  const stop = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const aborting = abort;
    abort = null;
    queue = null;
    if (aborting) aborting();
  };

  const release = (): void => {
    stop();
    if (onPage) listen(window, 'pagehide pageshow', onPage, false);
    onPage = null;
  };

  const failTheConnection = (): void => {
    release();
    if (s.readyState === CLOSED) return;
    s.readyState = CLOSED;
    fire('error');
  };

  if (!LEGACY || slots) (slots as WeakMap<object, Internals>).set(target, s);
  else Object.defineProperty(target, SLOT, { value: s });
  timer = setTimeout(connect, 0);
  // whatwg/html#12381 (the back/forward cache): a page entering it holds no request open, so it
  // stays eligible and the server stops sending to a page nobody sees; restored, a source that was
  // not CLOSED reestablishes the connection at once, with Last-Event-ID, and without an error event
  // (nothing failed), rather than stay OPEN on a connection that is gone.
  if (inDocument())
    listen(
      window,
      'pagehide pageshow',
      (onPage = (event) => {
        if (!(event as PageTransitionEvent).persisted) return;
        stop();
        if (event.type === 'pageshow' && s.readyState !== CLOSED) {
          s.readyState = CONNECTING;
          connect();
        }
      }),
      true,
    );
  return s;
}

/**
 * A spec-exact `EventSource` (HTML §9.2.2): `new EventSource(url, { withCredentials })`.
 *
 * - `url` is resolved against the document base URL; a URL that cannot be parsed throws a
 *   `SyntaxError` `DOMException`. Calling it without `new` or without arguments throws a `TypeError`.
 * - Events: `open` (`Event`), `message` and named events (`MessageEvent` with `data`, `origin` of
 *   the final URL, `lastEventId`, `source` null, `ports` []), `error` (`Event`; `readyState` is
 *   `CONNECTING` when reconnecting, `CLOSED` when the connection failed).
 * - The request starts from a task after the constructor (a 0 ms timer, as Chromium's): `close()`
 *   right after `new` sends nothing. Each event is dispatched a microtask turn after the previous
 *   one (HTML §9.2.6 queues a task per event), where the engine has a native `Promise`.
 * - Reconnects after the reconnection time (3000 ms, or the stream's `retry:` in ms) with the
 *   `Last-Event-ID` header; a status other than 200, a MIME type other than
 *   `text/event-stream`, a CORS failure seen over fetch, a URL whose scheme is not `http`,
 *   `https`, `data` or `blob`, or an abort the page caused (`window.stop()`, seen over XHR) fails
 *   the connection for good (HTML §9.2.3).
 * - In a document, entering the back/forward cache (`pagehide` with `persisted`) aborts the
 *   request; once restored (`pageshow` with `persisted`), a source that was not `CLOSED` is
 *   `CONNECTING` and reestablishes the connection at once, with `Last-Event-ID` and without an
 *   `error` event (whatwg/html#12381). Its listeners are removed when it closes or fails.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface below adds EventTarget's members, which inheritEventTarget() provides
export class EventSource {
  /** The readyState before the connection is announced and while reconnecting. */
  declare static readonly CONNECTING: 0;
  /** The readyState while events are being received. */
  declare static readonly OPEN: 1;
  /** The readyState after `close()` or after the connection failed. */
  declare static readonly CLOSED: 2;
  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSED: 2;
  /** The resolved absolute URL given to the constructor; it never changes, even after redirects. */
  declare readonly url: string;
  /** Whether cross-origin requests carry credentials (the init dictionary's `withCredentials`). */
  declare readonly withCredentials: boolean;
  /** `CONNECTING` (0), `OPEN` (1) or `CLOSED` (2). */
  declare readonly readyState: number;
  /** Event handler attribute for `open` events. */
  declare onopen: ((this: EventSource, event: Event) => unknown) | null;
  /** Event handler attribute for `message` events (not named events). */
  declare onmessage: ((this: EventSource, event: SSEMessageEvent) => unknown) | null;
  /** Event handler attribute for `error` events. */
  declare onerror: ((this: EventSource, event: Event) => unknown) | null;

  constructor(url: string | URL, eventSourceInitDict?: EventSourceInit);
  constructor(url: string | URL) {
    // A real EventTarget where the platform can make one: returned instead of `this`.
    const self = initEventTarget(this, new.target, EventSource, 'EventSource');
    if (arguments.length < 1) {
      throw new TypeError("Failed to construct 'EventSource': 1 argument required: the stream's URL.");
    }
    // WebIDL converts the arguments in order (the URL to a string, then the dictionary, reading
    // withCredentials; a non-object is a TypeError) before the constructor steps parse the URL.
    const input = String(url);
    // Read from arguments so that EventSource.length is 1, as the IDL says.
    // eslint-disable-next-line prefer-rest-params
    const init = arguments[1] as EventSourceInit | null | undefined;
    if (init !== undefined && init !== null && typeof init !== 'object' && typeof init !== 'function') {
      throw new TypeError("Failed to construct 'EventSource': The provided value is not of type 'EventSourceInit': pass { withCredentials }.");
    }
    const withCredentials = !!(init && init.withCredentials);
    const resolved = resolveURL(input);
    if (resolved === null) {
      throw syntaxError("Failed to construct 'EventSource': The URL '" + input + "' is invalid.");
    }
    start(self, resolved, withCredentials);
    return self;
  }

  /**
   * Aborts the request in progress, cancels a pending reconnection and sets `readyState` to
   * `CLOSED` (HTML §9.2.2). Fires nothing; events parsed but not yet dispatched are dropped.
   */
  close(): void {
    internals(this).close();
  }
}

/** ssekit's EventSource is an EventTarget, with the DOM EventSource's typed listener overloads. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the class
export interface EventSource extends EventTarget {
  addEventListener<K extends keyof EventSourceEvents>(
    type: K,
    listener: (this: EventSource, event: EventSourceEvents[K]) => unknown,
    options?: boolean | AddListenerOptions,
  ): void;
  addEventListener(type: string, listener: (this: EventSource, event: SSEMessageEvent) => unknown, options?: boolean | AddListenerOptions): void;
  addEventListener(type: string, listener: EventListenerLike, options?: boolean | AddListenerOptions): void;
  removeEventListener<K extends keyof EventSourceEvents>(
    type: K,
    listener: (this: EventSource, event: EventSourceEvents[K]) => unknown,
    options?: boolean | ListenerOptions,
  ): void;
  removeEventListener(type: string, listener: (this: EventSource, event: SSEMessageEvent) => unknown, options?: boolean | ListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerLike, options?: boolean | ListenerOptions): void;
}

inheritEventTarget(EventSource);

defineEventSourceMembers(EventSource, internals);

if (!LEGACY || (typeof Symbol === 'function' && Symbol.toStringTag)) {
  // Object.prototype.toString(es) is "[object EventSource]", as for the native object.
  Object.defineProperty(EventSource.prototype, Symbol.toStringTag, { value: 'EventSource', configurable: true });
}
