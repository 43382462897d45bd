// The client wrapper connect(): the EventStream state machine (connect, announce, reconnect, close) driving the roles in client/.

import { watchHeartbeat, now } from './client/heartbeat.js';
import { createIterator, type Iteration } from './client/iterate.js';
import { settle, type ConnectOptions, type EventMap, type ResponseVerdict, type Settings } from './client/options.js';
import { backoff, retryAfter } from './client/retry.js';
import { startConnection, streamHeaders } from './connection.js';
import type { AddListenerOptions, EventListenerLike, ListenerOptions, SSEMessageEvent } from './dom-types.js';
import {
  ContentTypeError,
  EventTooLargeError,
  GaveUpError,
  HeartbeatTimeoutError,
  HttpStatusError,
  NetworkError,
  ParseError,
  SSEError,
  type ResponseHead,
} from './errors.js';
import {
  createMessageEvent,
  createSimpleEvent,
  handlerAttribute,
  inheritEventTarget,
  initEventTarget,
  setReadOnly,
  type HandlerListener,
} from './event-target.js';
import { inDocument, listen } from './lifecycle.js';
import { createParser, type ParsedEvent, type Parser } from './parser.js';
import type { TransportRequest, TransportResponse } from './transport/types.js';
import { LEGACY } from './legacy.js';
import { isEventStream, originOf } from './url.js';

export type { ConnectOptions, EventMap, FetchLike, HeadersOption, ResponseVerdict, RetryOptions } from './client/options.js';
export type { ResponseHead } from './errors.js';

/** An `error` event of a stream: `error` says what happened. */
export interface StreamErrorEvent extends Event {
  readonly error: SSEError;
}

/** The one `close` event of a stream: `error` is the terminal error, `null` for a clean close. */
export interface StreamCloseEvent extends Event {
  readonly error: SSEError | null;
}

/** A message of a stream typed by its event map: `type` is the event name, `data` its payload. */
export type StreamMessage<M extends EventMap> = { [K in keyof M & string]: SSEMessageEvent<M[K]> & { readonly type: K } }[keyof M & string];

/** The event types a stream dispatches itself: server events by these names reach `messages()` loops only, never listeners. */
export type ReservedEventType = 'open' | 'error' | 'close';

/** Every event a stream dispatches to listeners, by type. */
export type StreamEvents<M extends EventMap> = {
  open: Event;
  error: StreamErrorEvent;
  close: StreamCloseEvent;
} & { [K in Exclude<keyof M & string, ReservedEventType>]: SSEMessageEvent<M[K]> };

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
// setTimeout fires at once for delays past 2^31-1 ms.
const MAX_DELAY = 2147483647;
/** Messages a loop may fall behind a stream that cannot pause (XHR) before the stream ends. */
export const MAX_BACKLOG = 1000;

/** What a stream's members reach of its state machine (see run()). */
interface Slot {
  /** The listeners of the on* handler properties (see handlerAttribute). */
  handlers: Record<string, HandlerListener | undefined>;
  url: string;
  readyState(): number;
  lastEventId(): string;
  close(): void;
  messages(types: string[]): AsyncIterableIterator<MessageEvent>;
  /** Adds a loop (or a tap) that the stream feeds its messages. */
  tap(iteration: Iteration): void;
}

const SLOT = '__ssekit';

function state(target: unknown): Slot {
  const s = typeof target === 'object' && target !== null ? (target as Record<string, Slot | undefined>)[SLOT] : undefined;
  if (!s) throw new TypeError('Illegal invocation: call this on a stream returned by connect().');
  return s;
}

// `url` with the query parameter `name` set to `value` (any other of that name dropped), before the fragment.
function withQueryParam(url: string, name: string, value: string): string {
  const hash = url.indexOf('#');
  const rest = hash < 0 ? url : url.slice(0, hash);
  const q = rest.indexOf('?');
  const key = encodeURIComponent(name);
  const kept = (q < 0 ? '' : rest.slice(q + 1)).split('&').filter((part) => part !== '' && part.split('=')[0] !== key);
  kept.push(key + '=' + encodeURIComponent(value));
  return (q < 0 ? rest : rest.slice(0, q)) + '?' + kept.join('&') + (hash < 0 ? '' : url.slice(hash));
}

// The window's and the document's lifecycle events a stream follows (see pageEvent).
function watchPage(listener: (event: Event) => void, on: boolean): void {
  listen(window, 'pagehide pageshow online', listener, on);
  listen(document, 'freeze resume visibilitychange', listener, on);
}

/**
 * Runs the stream `target` (connect, announce, reconnect, close) with the validated options `st`,
 * and gives it the slot its members read. The state lives in this closure's variables: a
 * minifier shortens them, where it keeps every property name of a state object (issue 17).
 */
function run(target: EventTarget, st: Settings, options: ConnectOptions): void {
  const signal = options.signal;
  let readyState = CONNECTING;
  let closed = false;
  /** The last event ID the parser started from: the lastEventId option, or the caller's Last-Event-ID header. */
  let seed = options.lastEventId === undefined ? '' : options.lastEventId;
  /** Origin of the response's final URL, set when the stream opens. */
  let origin = '';
  /** Consecutive reconnection attempts since the last successful open. */
  let attempts = 0;
  /** The server's `retry:` value, which replaces `initial` as the backoff's base. */
  let serverRetry: number | undefined;
  /** A non-idempotent request's response was accepted: it must not be sent again. */
  let started = false;
  /** Bumped per connection attempt so a late async headers() result for an old attempt is ignored. */
  let generation = 0;
  let abort: (() => void) | null = null;
  /** The one pending timer: a reconnection's wait, a deferred failure or close. */
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopHeartbeat: (() => void) | null = null;
  let lastActivity = 0;
  let lastError: SSEError | null = null;
  let iterations: Iteration[] = [];
  let onAbort: (() => void) | null = null;
  /** Set while reading is held for a loop that is behind: lets the transport read on. */
  let resume: (() => void) | null = null;
  /** The page lifecycle listener, from the first connection until the stream closes, in a document. */
  let onPage: ((event: Event) => void) | null = null;
  /** The page is in the back/forward cache or frozen. */
  let frozen = false;
  /** The request was closed for the page's lifecycle: the stream reconnects when that ends. */
  let asleep = false;

  // An `error` or the `close` event, whose `error` is `error`.
  const announce = (type: string, error: SSEError | null) => {
    const event = createSimpleEvent(type);
    setReadOnly(event, 'error', error);
    target.dispatchEvent(event);
  };
  const cancelTimer = () => {
    // clearTimeout ignores null: no test needed.
    clearTimeout(timer as never);
    timer = null;
  };
  const later = (then: () => void, ms: number) => {
    // One pending timer at a time: a second wait replaces the first.
    cancelTimer();
    timer = setTimeout(() => {
      timer = null;
      then();
    }, ms);
  };
  const headersFailed = (e: unknown) => new SSEError('headers() failed: ' + String(e), e);
  // Whether the request may be sent again: not yet answered, or without side effects to repeat (an LLM answer, a charge).
  const resendable = () => !started || st.resendable;

  function stopRequest(): void {
    generation++;
    resume = null;
    if (stopHeartbeat) stopHeartbeat();
    stopHeartbeat = null;
    const stop = abort;
    abort = null;
    if (stop) stop();
  }

  // Closes the stream for good: terminal error (if any), then the one close event, then settles iterations.
  function finish(error: SSEError | null): void {
    if (closed) return;
    closed = true;
    readyState = CLOSED;
    cancelTimer();
    stopRequest();
    // Set only with a signal.
    if (onAbort) (signal as AbortSignal).removeEventListener('abort', onAbort);
    onAbort = null;
    if (onPage) watchPage(onPage, false);
    onPage = null;
    if (error) announce('error', error);
    announce('close', error);
    const ended = iterations;
    iterations = [];
    for (let i = 0; i < ended.length; i++) (ended[i] as Iteration).end(error);
  }

  // A failure: retried (after `wait` ms; the backoff when undefined) or the end of the stream, as
  // retry.shouldRetry says when it answers, else as `retry` (the default rule) says.
  function fail(error: SSEError, retry: boolean, wait?: number): void {
    const shouldRetry = st.shouldRetry;
    if (shouldRetry) {
      try {
        const verdict = shouldRetry(error, attempts + 1);
        if (verdict === true || verdict === false) retry = verdict;
      } catch (e) {
        error = new SSEError('retry.shouldRetry() threw: ' + String(e), e);
        retry = false;
      }
    }
    if (retry) reconnect(error, wait);
    else finish(error);
  }

  // Reestablish the connection after `wait` ms (the backoff when undefined), or give up after maxAttempts.
  function reconnect(error: SSEError | null, wait?: number): void {
    if (closed) return;
    stopRequest();
    readyState = CONNECTING;
    if (error) {
      lastError = error;
      announce('error', error);
      // A listener may have closed the stream.
      if (closed) return;
    }
    // While the browser knows it is offline, failing is no news: waiting then counts no attempt
    // (the online event reconnects at once).
    const offline = typeof navigator === 'object' && !!navigator && navigator.onLine === false;
    if (!offline && attempts >= st.maxAttempts) {
      finish(new GaveUpError(attempts, error || lastError));
      return;
    }
    if (wait === undefined) wait = backoff(st, attempts, serverRetry, null);
    if (!offline) attempts++;
    later(start, Math.min(wait, MAX_DELAY));
  }

  function onResponse(response: TransportResponse, renewed: boolean): boolean {
    if (closed) return false;
    const status = response.status;
    const head: ResponseHead = { status, statusText: response.statusText, url: response.url, headers: { get: response.header } };
    let verdict: ResponseVerdict;
    lastActivity = now();
    try {
      verdict = st.onResponse && st.onResponse(head);
    } catch (e) {
      verdict = new SSEError('onResponse() threw: ' + String(e), e);
    }
    if (closed) return false;
    if (verdict instanceof Error) {
      finish(verdict instanceof SSEError ? verdict : new SSEError(verdict.message, verdict));
      return false;
    }
    if (verdict === 'retry' || (verdict !== 'accept' && (status < 200 || status > 299))) {
      const after = retryAfter(head.headers);
      const error = new HttpStatusError(head);
      if (verdict === 'retry') reconnect(error, after === null ? 0 : backoff(st, attempts, serverRetry, after));
      else fail(error, status === 408 || status === 429 || status >= 500, backoff(st, attempts, serverRetry, after));
      return false;
    }
    if (verdict !== 'accept') {
      if (status === 204) {
        finish(null);
        return false;
      }
      const contentType = response.header('Content-Type');
      if (!isEventStream(contentType)) {
        fail(new ContentTypeError(contentType, response.url), false);
        return false;
      }
    }
    // A silent renewal of an XHR connection (memory bound) continues the same stream: no new open.
    if (renewed) return true;
    attempts = 0;
    lastError = null;
    started = true;
    origin = originOf(response.url);
    readyState = OPEN;
    target.dispatchEvent(createSimpleEvent('open'));
    return !closed;
  }

  function onEnd(error: boolean, blocked?: boolean, cause?: unknown, aborted?: boolean): void {
    abort = null;
    if (closed) return;
    const url = st.url;
    if (!error) {
      // The server ended the body: a stream resumes (with Last-Event-ID), a request that must not be repeated is done.
      if (resendable()) reconnect(null);
      else finish(null);
      return;
    }
    fail(
      new NetworkError(
        blocked
          ? cause && (cause as Event).type === 'securitypolicyviolation'
            ? "The page's Content-Security-Policy blocks " + url + ': see its connect-src.'
            : 'The response from ' + url + ' was blocked by CORS: see its Access-Control-Allow-* headers.'
          : aborted
            ? 'The page aborted the request to ' + url + ' (window.stop(), a navigation).'
            : (readyState === OPEN ? 'The response from ' + url + ' broke off' : 'Could not connect to ' + url) + (cause ? ': ' + String(cause) : '') + '.',
        cause,
      ),
      // A CORS or CSP refusal cannot succeed again; the page's own abort is its wish, as for EventSource.
      !blocked && !aborted && resendable(),
    );
  }

  // The page's lifecycle (README "Page lifecycle"). In the back/forward cache or frozen, a page
  // holds no request: the cache would keep it out, a frozen page reads nothing, and the server
  // would send to a page nobody sees; neither does a hidden one with pauseWhenHidden. When that
  // ends, the stream reconnects at once, with Last-Event-ID: no failure, so no error event, no
  // attempt counted, no backoff grown. The network coming back (online) ends a backoff wait.
  function pageEvent(event: Event): void {
    const type = event.type;
    if (type === 'online') {
      if (timer && !asleep) {
        cancelTimer();
        start();
      }
      return;
    }
    if (type === 'pagehide' || type === 'pageshow') {
      if (!(event as PageTransitionEvent).persisted) return;
      frozen = type === 'pagehide';
    } else if (type !== 'visibilitychange') frozen = type === 'freeze';
    if (frozen || (st.pauseWhenHidden && document.visibilityState === 'hidden')) sleep();
    else if (asleep) {
      asleep = false;
      start();
    }
  }

  // Closes the request (or cancels the wait for the next one) until the page's lifecycle allows it
  // again; not a response that cannot be asked for again (a POST answer): the page keeps reading it
  // when it can (a browser may then keep the page out of its back/forward cache).
  function sleep(): void {
    if (closed || asleep || !resendable()) return;
    asleep = true;
    readyState = CONNECTING;
    cancelTimer();
    stopRequest();
  }

  function send(userHeaders: unknown): void {
    if (typeof userHeaders !== 'object' || userHeaders === null) {
      fail(new SSEError('headers() returned ' + String(userHeaders) + ', not an object of headers.'), true);
      return;
    }
    const headers: Record<string, string> = {};
    let hasContentType = false;
    for (const name in userHeaders as Record<string, unknown>) {
      if (!Object.prototype.hasOwnProperty.call(userHeaders, name)) continue;
      const value = String((userHeaders as Record<string, unknown>)[name]);
      const lower = name.toLowerCase();
      // The caller's Last-Event-ID is where the stream starts, until the stream names an id of its own.
      if (lower === 'last-event-id') {
        if (value !== seed && parser.lastEventId === seed) {
          seed = value;
          parser = newParser();
        }
      } else headers[name] = value;
      if (lower === 'content-type') hasContentType = true;
    }
    if (st.contentType !== null && !hasContentType) headers['Content-Type'] = st.contentType;
    started = false;
    lastActivity = now();
    // Called again for a silent XHR renewal: the same user headers, the then-current last event ID.
    const makeRequest = (): TransportRequest => {
      const lastEventId = parser.lastEventId;
      return {
        url: st.lastEventIdParam !== undefined && lastEventId !== '' ? withQueryParam(st.url, st.lastEventIdParam, lastEventId) : st.url,
        method: st.method,
        headers: streamHeaders(headers, lastEventId),
        body: st.body,
        withCredentials: st.withCredentials,
        credentials: st.credentials,
        fetch: st.fetch,
      };
    };
    const current = generation;
    abort = startConnection(makeRequest, parser, { renewable: st.resendable, onResponse, onParsed: backpressure, onEnd });
    const timeout = st.heartbeatTimeout;
    // Not for a request that already ended (a transport may end it from within startConnection):
    // stopRequest() moved the generation on, and a watch armed now would outlive it.
    if (timeout > 0 && !closed && current === generation) {
      stopHeartbeat = watchHeartbeat(
        timeout,
        () => (resume ? 0 : now() - lastActivity),
        () => fail(new HeartbeatTimeoutError(timeout), resendable()),
      );
    }
  }

  // One connection attempt: headers first (the function may be async), then the request.
  function start(): void {
    if (closed) return;
    readyState = CONNECTING;
    const current = ++generation;
    const headers = st.headers;
    if (typeof headers !== 'function') {
      send(headers === undefined ? {} : headers);
      return;
    }
    let result: Record<string, string> | PromiseLike<Record<string, string>>;
    try {
      result = headers();
    } catch (e) {
      // Deferred so the first attempt never dispatches inside connect(), before listeners exist.
      later(() => fail(headersFailed(e), true), 0);
      return;
    }
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<Record<string, string>>).then(
        (value) => {
          if (!closed && current === generation) send(value);
        },
        (e: unknown) => {
          if (!closed && current === generation) fail(headersFailed(e), true);
        },
      );
    } else send(result);
  }

  // A parser for the stream whose last event ID starts as `seed`.
  function newParser(): Parser {
    return createParser({
      onEvent,
      onRetry: (ms) => {
        serverRetry = ms;
      },
      lastEventId: seed,
      maxEventSize: st.maxEventSize,
      // Not retried by default: the same server would send the same event again.
      onOverflow: () => fail(new EventTooLargeError(st.maxEventSize), false),
    });
  }

  function onEvent(event: ParsedEvent): void {
    if (readyState !== OPEN) return;
    let data: unknown = event.data;
    if (st.json) {
      // The end-of-stream sentinel of OpenAI-style APIs: not JSON, and nothing follows it.
      if (data === '[DONE]') return finish(null);
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        announce('error', new ParseError(event.data, event.type, e));
        return;
      }
    }
    const message = createMessageEvent(event.type, data as string, origin, event.lastEventId);
    // A server event named like the stream's own would reach their listeners as something else.
    if (!/^(open|error|close)$/.test(event.type)) target.dispatchEvent(message);
    // A close replaces `iterations`: the loop ends there.
    for (let i = 0; i < iterations.length; i++) (iterations[i] as Iteration).push(message);
  }

  // The most messages a loop has queued and not taken.
  function backlog(): number {
    let most = 0;
    for (let i = 0; i < iterations.length; i++) most = Math.max(most, (iterations[i] as Iteration).queue.length);
    return most;
  }

  // After each parsed chunk: while a loop is behind, a promise that holds the transport's next read
  // (resolved when every loop waits again); a transport that cannot pause (XHR) ends the stream
  // once a loop is MAX_BACKLOG messages behind rather than queue without bound.
  function backpressure(canPause: boolean): Promise<void> | void {
    lastActivity = now();
    const behind = backlog();
    if (!behind) return;
    if (canPause) return new Promise((resolve) => (resume = resolve));
    if (LEGACY && behind > MAX_BACKLOG) {
      finish(new SSEError('A for await loop fell ' + MAX_BACKLOG + ' messages behind a stream that cannot pause (XMLHttpRequest).'));
    }
  }

  let parser = newParser();
  const slot: Slot = {
    handlers: {},
    url: st.url,
    readyState: () => readyState,
    lastEventId: () => parser.lastEventId,
    close: () => finish(null),
    messages: (types) =>
      createIterator(
        closed ? null : iterations,
        types,
        () => {
          // Every loop has taken what it was given: read on.
          if (resume && !backlog()) {
            lastActivity = now();
            resume();
            resume = null;
          }
        },
        slot.close,
      ),
    tap: (iteration) => iterations.push(iteration),
  };
  Object.defineProperty(target, SLOT, { value: slot });
  if (signal && signal.aborted) {
    // Never connects; the close event waits a task so listeners added after connect() see it.
    readyState = CLOSED;
    later(slot.close, 0);
    return;
  }
  if (signal) signal.addEventListener('abort', (onAbort = slot.close));
  if (inDocument()) watchPage((onPage = pageEvent), true);
  start();
}

/**
 * A stream returned by {@link connect}: an `EventTarget` dispatching `open`, `message` and named
 * events (`MessageEvent`s typed by the event map `M`; server events named `open`, `error` or
 * `close` only reach {@link EventStream.messages} loops), `error` ({@link StreamErrorEvent}: every
 * failure, retried or not, and JSON parse failures) and one final `close` ({@link StreamCloseEvent}),
 * with the handler properties `onopen`, `onmessage`, `onerror`, `onclose`. Where
 * `Symbol.asyncIterator` exists, `for await (const message of stream)` yields its `message` events.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface below adds EventTarget's members (inheritEventTarget() provides them)
export class EventStream<M extends EventMap = { message: string }> {
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSED: 2;
  /** Handler property for `open` events, as on `EventSource`: assigning a function adds it as a listener, `null` removes it. */
  declare onopen: ((this: EventStream<M>, event: Event) => unknown) | null;
  /** Handler property for `message` events (not named events). */
  declare onmessage: ((this: EventStream<M>, event: SSEMessageEvent<M extends { message: infer D } ? D : unknown>) => unknown) | null;
  /** Handler property for `error` events: every failure, retried or not. */
  declare onerror: ((this: EventStream<M>, event: StreamErrorEvent) => unknown) | null;
  /** Handler property for the one `close` event. */
  declare onclose: ((this: EventStream<M>, event: StreamCloseEvent) => unknown) | null;

  /** @internal Use {@link connect}. */
  constructor(url: string | URL, options: ConnectOptions = {}) {
    // A real EventTarget where the platform can make one: returned instead of `this`.
    const self = initEventTarget(this, new.target, EventStream, 'EventStream');
    run(self as unknown as EventTarget, settle(url, options), options);
    return self;
  }

  /** `CONNECTING` (0) while connecting or waiting to reconnect, `OPEN` (1), `CLOSED` (2). */
  get readyState(): number {
    return state(this).readyState();
  }

  /** The last event ID string: what the next reconnection sends as `Last-Event-ID`. */
  get lastEventId(): string {
    return state(this).lastEventId();
  }

  /** The resolved stream URL (without any `lastEventIdParam`). */
  get url(): string {
    return state(this).url;
  }

  /** Closes the stream: aborts the request, cancels timers, fires `close` once, ends `for await` loops. */
  close(): void {
    state(this).close();
  }

  /**
   * An async iterator over the messages of the given event types, in stream order, until the
   * stream closes (it then throws the terminal error, if any); with no type, over every message,
   * typed `SSEMessageEvent<unknown>`. Breaking out of the loop closes the stream. While a loop has
   * messages it has not taken (its body is awaiting), the stream stops reading: over fetch the
   * TCP window fills and the server slows down; it reads on when every loop waits again. The
   * XMLHttpRequest transport cannot pause: past 1,000 messages behind, the stream ends with an
   * `SSEError`. Needs `Promise`; `for await` needs `Symbol.asyncIterator`.
   */
  messages(): AsyncIterableIterator<SSEMessageEvent<unknown>>;
  messages<K extends keyof M & string>(...types: K[]): AsyncIterableIterator<StreamMessage<Pick<M, K>>>;
  messages(...types: string[]): AsyncIterableIterator<MessageEvent> {
    return state(this).messages(types);
  }
}

export interface EventStream<M extends EventMap> extends EventTarget {
  addEventListener<K extends keyof StreamEvents<M> & string>(
    type: K,
    listener: ((this: EventStream<M>, event: StreamEvents<M>[K]) => unknown) | null,
    options?: boolean | AddListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerLike | null, options?: boolean | AddListenerOptions): void;
  removeEventListener<K extends keyof StreamEvents<M> & string>(
    type: K,
    listener: ((this: EventStream<M>, event: StreamEvents<M>[K]) => unknown) | null,
    options?: boolean | ListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerLike | null, options?: boolean | ListenerOptions): void;
  /**
   * `for await (const message of stream)`: yields each `message` event (not named events: see
   * {@link EventStream.messages}) until the stream closes; throws the terminal error, if any.
   * Breaking out closes the stream. While the loop body runs, the stream stops reading.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<StreamMessage<Pick<M & { message: unknown }, 'message'>>>;
}

inheritEventTarget(EventStream);

const constants: PropertyDescriptorMap = {
  CONNECTING: { value: CONNECTING, enumerable: true },
  OPEN: { value: OPEN, enumerable: true },
  CLOSED: { value: CLOSED, enumerable: true },
};
Object.defineProperties(EventStream, constants);
Object.defineProperties(EventStream.prototype, {
  onopen: handlerAttribute('open', state),
  onmessage: handlerAttribute('message', state),
  onerror: handlerAttribute('error', state),
  onclose: handlerAttribute('close', state),
});

if (typeof Symbol === 'function' && Symbol.asyncIterator) {
  Object.defineProperty(EventStream.prototype, Symbol.asyncIterator, {
    value(this: EventStream<EventMap>) {
      return state(this).messages(['message']);
    },
    writable: true,
    configurable: true,
  });
}

/**
 * Opens a Server-Sent Events stream with what `EventSource` cannot do: request headers (also
 * refreshed per reconnection), any method and body, your own `fetch`, exponential backoff with
 * jitter between `retry.min` and `retry.max` (the server's `retry:` as base, `Retry-After`
 * honoured), heartbeat timeouts, JSON data (`[DONE]` ends it), typed named events, `AbortSignal`,
 * and `for await` with backpressure.
 *
 * Retries: network errors, heartbeat timeouts, 408, 429 and 5xx, and the end of the body (a new
 * request with `Last-Event-ID`). Fatal: other 4xx, 3xx left after redirects, a Content-Type other
 * than `text/event-stream`, a CORS refusal (the stream closes with the typed error); 204 closes
 * cleanly. A non-GET request is not sent again once its response started, unless
 * `retryNonIdempotent`. `options.onResponse` and `options.retry.shouldRetry` decide otherwise per
 * response and per failure.
 *
 * Typing: `M` maps event types to their data; a map whose data is not all strings needs
 * `json: true`. Without a map, `json: true` types `data` as `unknown`.
 *
 * @param url Absolute URL, or relative to the page.
 * @throws TypeError for an invalid URL or option, with what to pass instead.
 */
export function connect(url: string | URL, options: ConnectOptions & { json: true }): EventStream<{ message: unknown }>;
export function connect<M extends EventMap = { message: string }>(url: string | URL, ...options: OptionsFor<M>): EventStream<M>;
export function connect<M extends EventMap>(url: string | URL, options?: ConnectOptions): EventStream<M> {
  return new EventStream<M>(url, options);
}

/**
 * The options `connect<M>()` takes: an event map with data other than strings needs `json: true`
 * (without it every `data` is the text as received), so the map cannot promise what the stream
 * does not deliver.
 */
export type OptionsFor<M extends EventMap> = M[keyof M] extends string ? [options?: ConnectOptions] : [options: ConnectOptions & { json: true }];

/**
 * @internal For ssekit/shared, whose leading tab forwards what its stream receives to the other
 * tabs: calls `tap` with every message `stream` parses (named `open`, `error` or `close` too),
 * synchronously, in stream order, right after its listeners. It never holds the stream's reads.
 */
export function tapMessages(stream: EventStream<EventMap>, tap: (message: SSEMessageEvent<unknown>) => void): void {
  state(stream).tap({ queue: [], push: tap as (message: MessageEvent) => void, end() {} });
}
