// The client wrapper connect(): headers, bodies, backoff with jitter, heartbeats, JSON, typed events, AbortSignal, for await.

import { startConnection, streamHeaders } from './connection.js';
import type { AddListenerOptions, CredentialsMode, EventListenerLike, ListenerOptions, RequestBody, SSEMessageEvent } from './dom-types.js';
import { ContentTypeError, GaveUpError, HeartbeatTimeoutError, HttpStatusError, NetworkError, ParseError, SSEError } from './errors.js';
import { createMessageEvent, createSimpleEvent, inheritEventTarget, initEventTarget, setReadOnly } from './event-target.js';
import { createParser, type ParsedEvent, type Parser } from './parser.js';
import type { TransportRequest, TransportResponse } from './transport/types.js';
import { isEventStream, originOf, resolveURL } from './url.js';

/** Names each event type a stream carries to the type of its `data` (after JSON parsing with `json: true`). */
export type EventMap = Record<string, unknown>;

/** Backoff policy between reconnections. All times in ms. */
export interface RetryOptions {
  /** First delay when the server sent no `retry:` field. Default 1000. */
  initial?: number;
  /** Upper bound of any computed delay. Default 30000. */
  max?: number;
  /** Growth per consecutive failed attempt (≥ 1). Default 2. */
  factor?: number;
  /** Share of each delay that is randomized, 0 (none) to 1 (full jitter: uniform in [0, delay]). Default 1. */
  jitter?: number;
  /** Consecutive reconnection attempts before giving up with a `GaveUpError`. Default Infinity. */
  maxAttempts?: number;
}

/** Headers as an object, or a function (sync or async) called before every (re)connection. */
export type HeadersOption = Record<string, string> | (() => Record<string, string> | PromiseLike<Record<string, string>>);

/** Options of {@link connect}. Every one is optional. */
export interface ConnectOptions {
  /** Request headers, or a function returning them, called before **every** (re)connection (refresh a token there). */
  headers?: HeadersOption;
  /** HTTP method. Default `"POST"` when `body` is given, else `"GET"`. */
  method?: string;
  /** Request body: a string, `FormData`, `Blob`, `URLSearchParams`, `ArrayBuffer`, or a plain object/array sent as JSON. */
  body?: RequestBody | Record<string, unknown> | unknown[] | null;
  /** fetch's credentials mode (`"omit"`, `"same-origin"`, `"include"`). Overrides `withCredentials`. */
  credentials?: CredentialsMode;
  /** Send cookies cross-origin (`credentials: "include"`). Default false. */
  withCredentials?: boolean;
  /** Aborting it closes the stream; an already-aborted signal never connects. */
  signal?: AbortSignal;
  /** Initial last event ID string, sent as `Last-Event-ID` on the first request. Default `""`. */
  lastEventId?: string;
  /** Also send the last event ID as this query parameter (e.g. `"lastEventId"` for servers written for Yaffle's polyfill). */
  lastEventIdParam?: string;
  /** Backoff policy. */
  retry?: RetryOptions;
  /** Re-send a non-GET request after its response has started (duplicates side effects!). Default false. */
  retryNonIdempotent?: boolean;
  /** Reconnect when no byte arrives for this many ms. Default: no heartbeat. */
  heartbeatTimeout?: number;
  /** Parse each event's data as JSON; a parse failure is an `error` event with a `ParseError` and the stream goes on. */
  json?: boolean;
}

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

/** Every event a stream dispatches, by type. */
export type StreamEvents<M extends EventMap> = {
  open: Event;
  error: StreamErrorEvent;
  close: StreamCloseEvent;
} & { [K in keyof M & string]: SSEMessageEvent<M[K]> };

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
const MAX_DELAY = 2147483647;
// A heartbeat check this late means our timers were throttled or frozen: look once more before declaring a stall.
const LATE_TIMER = 1000;

interface Iteration {
  push(event: MessageEvent): void;
  end(error: SSEError | null): void;
}

interface Settings {
  url: string;
  method: string;
  body: BodyInit | null;
  headers: HeadersOption | undefined;
  contentType: string | null;
  credentials: RequestCredentials | undefined;
  withCredentials: boolean;
  lastEventIdParam: string | undefined;
  initial: number;
  max: number;
  factor: number;
  jitter: number;
  maxAttempts: number;
  retryNonIdempotent: boolean;
  heartbeatTimeout: number;
  json: boolean;
}

interface State {
  target: EventStream<EventMap>;
  settings: Settings;
  parser: Parser;
  readyState: number;
  closed: boolean;
  origin: string;
  /** Consecutive reconnection attempts since the last successful open. */
  attempts: number;
  /** The server's `retry:` value, which replaces `initial` as the backoff's base. */
  serverRetry: number | null;
  /** A non-idempotent request's response was accepted: it must not be sent again. */
  started: boolean;
  /** Bumped per connection attempt so a late async headers() result for an old attempt is ignored. */
  generation: number;
  abort: (() => void) | null;
  timer: ReturnType<typeof setTimeout> | null;
  heartbeat: ReturnType<typeof setTimeout> | null;
  heartbeatDue: number;
  lastActivity: number;
  lastError: SSEError | null;
  iterations: Iteration[];
  signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
}

const SLOT = '__ssekit';

function state(target: unknown): State {
  const s = typeof target === 'object' && target !== null ? (target as Record<string, State | undefined>)[SLOT] : undefined;
  if (!s) throw new TypeError('Illegal invocation: call this on a stream returned by connect().');
  return s;
}

function now(): number {
  return new Date().getTime();
}

function invalid(option: string, what: string): TypeError {
  return new TypeError('connect(): `' + option + '` ' + what);
}

function nonNegative(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0)) throw invalid(option, 'must be a number of ms ≥ 0, got ' + String(value) + '.');
  return value;
}

function isPlainData(body: unknown): body is Record<string, unknown> | unknown[] {
  if (typeof body !== 'object' || body === null) return false;
  const tag = Object.prototype.toString.call(body);
  if (tag === '[object Array]') return true;
  if (tag !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(body);
  return proto === Object.prototype || proto === null;
}

// Validates options once, up front, so a mistake throws at the call site with what to pass instead.
function settle(url: string | URL, options: ConnectOptions): Settings {
  if (typeof url !== 'string' && !(typeof URL === 'function' && url instanceof URL)) {
    throw new TypeError('connect(url): pass the stream URL as a string or URL, got ' + typeof url + '.');
  }
  const resolved = resolveURL(String(url));
  if (resolved === null) throw new TypeError('connect(url): "' + String(url) + '" is not a valid URL; pass an absolute URL (or one relative to the page).');
  if (typeof options !== 'object' || options === null) throw new TypeError('connect(url, options): pass options as an object, or leave them out.');
  const { headers, retry = {} } = options;
  if (headers !== undefined && typeof headers !== 'function' && (typeof headers !== 'object' || headers === null)) {
    throw invalid('headers', 'must be an object of header names to values, or a function returning one.');
  }
  if (typeof retry !== 'object' || retry === null) throw invalid('retry', 'must be an object such as { initial: 1000, max: 30000 }.');
  const method = options.method === undefined ? (options.body === undefined || options.body === null ? 'GET' : 'POST') : options.method;
  if (typeof method !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method))
    throw invalid('method', 'must be an HTTP method name such as "GET" or "POST".');
  let body: BodyInit | null = null;
  let contentType: string | null = null;
  if (options.body !== undefined && options.body !== null) {
    if (isPlainData(options.body)) {
      body = JSON.stringify(options.body);
      contentType = 'application/json';
    } else if (typeof options.body === 'string' || typeof options.body === 'object') {
      body = options.body as BodyInit;
    } else throw invalid('body', 'must be a string, FormData, Blob, URLSearchParams, ArrayBuffer or a plain object (sent as JSON).');
    if (/^(GET|HEAD)$/i.test(method)) throw invalid('body', 'cannot be sent with ' + method + '; use method: "POST".');
  }
  const credentials = options.credentials;
  if (credentials !== undefined && credentials !== 'omit' && credentials !== 'same-origin' && credentials !== 'include') {
    throw invalid('credentials', 'must be "omit", "same-origin" or "include".');
  }
  const signal = options.signal;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function')) {
    throw invalid('signal', 'must be an AbortSignal (e.g. new AbortController().signal).');
  }
  if (options.lastEventId !== undefined && typeof options.lastEventId !== 'string') throw invalid('lastEventId', 'must be a string.');
  const param = options.lastEventIdParam;
  if (param !== undefined && (typeof param !== 'string' || param === ''))
    throw invalid('lastEventIdParam', 'must be a non-empty query parameter name such as "lastEventId".');
  const factor = retry.factor === undefined ? 2 : retry.factor;
  if (typeof factor !== 'number' || !(factor >= 1)) throw invalid('retry.factor', 'must be a number ≥ 1 (2 doubles each delay).');
  const jitter = retry.jitter === undefined ? 1 : retry.jitter;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) throw invalid('retry.jitter', 'must be a number from 0 (no jitter) to 1 (full jitter).');
  const maxAttempts = retry.maxAttempts === undefined ? Infinity : retry.maxAttempts;
  if (typeof maxAttempts !== 'number' || !(maxAttempts >= 0) || (maxAttempts !== Infinity && Math.floor(maxAttempts) !== maxAttempts)) {
    throw invalid('retry.maxAttempts', 'must be a whole number ≥ 0, or Infinity to retry forever.');
  }
  const heartbeat = options.heartbeatTimeout;
  if (heartbeat !== undefined && (typeof heartbeat !== 'number' || !(heartbeat > 0) || heartbeat === Infinity)) {
    throw invalid('heartbeatTimeout', 'must be a number of ms > 0, e.g. 45000; leave it out for no heartbeat.');
  }
  return {
    url: resolved,
    method,
    body,
    headers,
    contentType,
    credentials,
    withCredentials: !!options.withCredentials,
    lastEventIdParam: param,
    initial: nonNegative(retry.initial, 'retry.initial', 1000),
    max: nonNegative(retry.max, 'retry.max', 30000),
    factor,
    jitter,
    maxAttempts,
    retryNonIdempotent: !!options.retryNonIdempotent,
    heartbeatTimeout: heartbeat === undefined ? 0 : heartbeat,
    json: !!options.json,
  };
}

function withQueryParam(url: string, name: string, value: string): string {
  const hash = url.indexOf('#');
  const fragment = hash === -1 ? '' : url.slice(hash);
  let rest = hash === -1 ? url : url.slice(0, hash);
  const q = rest.indexOf('?');
  const encodedName = encodeURIComponent(name);
  let query = q === -1 ? '' : rest.slice(q + 1);
  if (q !== -1) rest = rest.slice(0, q);
  const kept: string[] = [];
  const parts = query === '' ? [] : query.split('&');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const eq = part.indexOf('=');
    if ((eq === -1 ? part : part.slice(0, eq)) !== encodedName) kept.push(part);
  }
  kept.push(encodedName + '=' + encodeURIComponent(value));
  query = kept.join('&');
  return rest + '?' + query + fragment;
}

function dispatchError(s: State, error: SSEError): void {
  const event = createSimpleEvent('error');
  setReadOnly(event, 'error', error);
  s.target.dispatchEvent(event);
}

function clearTimers(s: State): void {
  if (s.timer !== null) clearTimeout(s.timer);
  if (s.heartbeat !== null) clearTimeout(s.heartbeat);
  s.timer = s.heartbeat = null;
}

function stopRequest(s: State): void {
  s.generation++;
  if (s.heartbeat !== null) clearTimeout(s.heartbeat);
  s.heartbeat = null;
  const abort = s.abort;
  s.abort = null;
  if (abort) abort();
}

// Closes the stream for good: terminal error (if any), then the one close event, then settles iterations.
function finish(s: State, error: SSEError | null): void {
  if (s.closed) return;
  s.closed = true;
  s.readyState = CLOSED;
  clearTimers(s);
  stopRequest(s);
  if (s.signal && s.onAbort) s.signal.removeEventListener('abort', s.onAbort);
  s.onAbort = null;
  if (error) dispatchError(s, error);
  const event = createSimpleEvent('close');
  setReadOnly(event, 'error', error);
  s.target.dispatchEvent(event);
  const iterations = s.iterations;
  s.iterations = [];
  for (let i = 0; i < iterations.length; i++) (iterations[i] as Iteration).end(error);
}

function backoff(s: State): number {
  const st = s.settings;
  const base = s.serverRetry === null ? st.initial : s.serverRetry;
  const delay = Math.min(st.max, base * Math.pow(st.factor, s.attempts));
  return delay - st.jitter * Math.random() * delay;
}

// Reestablish the connection after `delay` ms (backoff when undefined), or give up after maxAttempts.
function reconnect(s: State, error: SSEError | null, delay?: number): void {
  if (s.closed) return;
  stopRequest(s);
  s.readyState = CONNECTING;
  if (error) {
    s.lastError = error;
    dispatchError(s, error);
    if (s.closed) return;
  }
  if (s.attempts >= s.settings.maxAttempts) {
    finish(s, new GaveUpError(s.attempts, error || s.lastError));
    return;
  }
  const wait = delay === undefined ? backoff(s) : delay;
  s.attempts++;
  s.timer = setTimeout(
    () => {
      s.timer = null;
      start(s);
    },
    Math.min(wait, MAX_DELAY),
  );
}

function idempotent(method: string): boolean {
  return /^(GET|HEAD|OPTIONS|PUT|DELETE)$/i.test(method);
}

// Retry-After: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unparsable.
function retryAfter(value: string | null): number | null {
  if (value === null) return null;
  if (/^\s*\d+\s*$/.test(value)) return parseInt(value, 10) * 1000;
  const date = Date.parse(value);
  return isNaN(date) ? null : Math.max(0, date - now());
}

function onResponse(s: State, response: TransportResponse, renewed: boolean): boolean {
  if (s.closed) return false;
  const status = response.status;
  s.lastActivity = now();
  if (status === 204) {
    finish(s, null);
    return false;
  }
  if (status < 200 || status > 299) {
    const error = new HttpStatusError(status, response.statusText, { get: response.header }, response.url);
    if (status === 408 || status === 429 || status >= 500) {
      const after = status === 429 || status === 503 ? retryAfter(response.header('Retry-After')) : null;
      reconnect(s, error, after === null ? undefined : after);
    } else finish(s, error);
    return false;
  }
  const contentType = response.header('Content-Type');
  if (!isEventStream(contentType)) {
    finish(s, new ContentTypeError(contentType, response.url));
    return false;
  }
  // A silent renewal of an XHR connection (memory bound) continues the same stream: no new open.
  if (renewed) return true;
  s.attempts = 0;
  s.lastError = null;
  s.started = true;
  s.origin = originOf(response.url);
  s.readyState = OPEN;
  s.target.dispatchEvent(createSimpleEvent('open'));
  return !s.closed;
}

function onEnd(s: State, error: boolean, blocked?: boolean): void {
  s.abort = null;
  if (s.closed) return;
  if (blocked) {
    // The server answered but its CORS headers refused us: the same request cannot succeed.
    finish(
      s,
      new NetworkError(
        'The response from ' +
          s.settings.url +
          ' was blocked by CORS: the server must send Access-Control-Allow-Origin (and Access-Control-Allow-Credentials with credentials).',
      ),
    );
    return;
  }
  const failure = error ? new NetworkError('The connection to ' + s.settings.url + ' failed or broke.') : null;
  if (s.started && !s.settings.retryNonIdempotent && !idempotent(s.settings.method)) {
    // The request's effects happened once; sending it again could repeat them (an LLM answer, a charge).
    finish(s, failure);
    return;
  }
  reconnect(s, failure);
}

function armHeartbeat(s: State, delay: number): void {
  s.heartbeatDue = now() + delay;
  const generation = s.generation;
  s.heartbeat = setTimeout(
    () => {
      s.heartbeat = null;
      if (s.closed || generation !== s.generation) return;
      const timeout = s.settings.heartbeatTimeout;
      const t = now();
      const idle = t - s.lastActivity;
      if (idle < timeout) armHeartbeat(s, timeout - idle);
      else if (t - s.heartbeatDue > LATE_TIMER) armHeartbeat(s, Math.min(timeout, LATE_TIMER));
      else {
        const error = new HeartbeatTimeoutError(timeout);
        if (s.started && !s.settings.retryNonIdempotent && !idempotent(s.settings.method)) finish(s, error);
        else reconnect(s, error);
      }
    },
    Math.min(delay, MAX_DELAY),
  );
}

function send(s: State, userHeaders: unknown): void {
  if (typeof userHeaders !== 'object' || userHeaders === null) {
    reconnect(s, new SSEError('headers() must return an object of header names to values, got ' + String(userHeaders) + '.'));
    return;
  }
  const st = s.settings;
  const headers: Record<string, string> = {};
  let hasContentType = false;
  for (const name in userHeaders as Record<string, unknown>) {
    if (!Object.prototype.hasOwnProperty.call(userHeaders, name)) continue;
    headers[name] = String((userHeaders as Record<string, unknown>)[name]);
    if (name.toLowerCase() === 'content-type') hasContentType = true;
  }
  if (st.contentType !== null && !hasContentType) headers['Content-Type'] = st.contentType;
  s.started = false;
  s.lastActivity = now();
  // Called again for a silent XHR renewal: the same user headers, the then-current last event ID.
  const makeRequest = (): TransportRequest => {
    const lastEventId = s.parser.lastEventId;
    const request: TransportRequest = {
      url: st.lastEventIdParam !== undefined && lastEventId !== '' ? withQueryParam(st.url, st.lastEventIdParam, lastEventId) : st.url,
      method: st.method,
      headers: streamHeaders(headers, lastEventId),
      body: st.body,
      withCredentials: st.withCredentials,
    };
    if (st.credentials !== undefined) request.credentials = st.credentials;
    return request;
  };
  s.abort = startConnection(makeRequest, s.parser, {
    renewable: idempotent(st.method) || st.retryNonIdempotent,
    onResponse: (response, renewed) => onResponse(s, response, renewed),
    onActivity: () => {
      s.lastActivity = now();
    },
    onEnd: (error, blocked) => onEnd(s, error, blocked),
  });
  if (st.heartbeatTimeout > 0 && !s.closed && s.abort !== null) armHeartbeat(s, st.heartbeatTimeout);
}

// One connection attempt: headers first (the function may be async), then the request.
function start(s: State): void {
  if (s.closed) return;
  s.readyState = CONNECTING;
  const generation = ++s.generation;
  const headers = s.settings.headers;
  if (typeof headers !== 'function') {
    send(s, headers === undefined ? {} : headers);
    return;
  }
  let result: Record<string, string> | PromiseLike<Record<string, string>>;
  try {
    result = headers();
  } catch (e) {
    // Deferred so the first attempt never dispatches inside connect(), before listeners exist.
    s.timer = setTimeout(() => {
      s.timer = null;
      reconnect(s, new SSEError('headers() threw: ' + String(e), e));
    }, 0);
    return;
  }
  if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
    (result as PromiseLike<Record<string, string>>).then(
      (value) => {
        if (!s.closed && generation === s.generation) send(s, value);
      },
      (e: unknown) => {
        if (!s.closed && generation === s.generation) reconnect(s, new SSEError('headers() rejected: ' + String(e), e));
      },
    );
  } else send(s, result);
}

function onEvent(s: State, event: ParsedEvent): void {
  if (s.readyState !== OPEN) return;
  let data: unknown = event.data;
  if (s.settings.json) {
    try {
      data = JSON.parse(event.data);
    } catch (e) {
      dispatchError(s, new ParseError(event.data, event.type, e));
      return;
    }
  }
  const message = createMessageEvent(event.type, data as string, s.origin, event.lastEventId);
  s.target.dispatchEvent(message);
  for (let i = 0; i < s.iterations.length && !s.closed; i++) (s.iterations[i] as Iteration).push(message);
}

/**
 * A stream returned by {@link connect}: an `EventTarget` dispatching `open`, `message` and named
 * events (`MessageEvent`s typed by the event map `M`), `error` ({@link StreamErrorEvent}: every
 * failure, retried or not, and JSON parse failures) and one final `close` ({@link StreamCloseEvent}).
 * Where `Symbol.asyncIterator` exists, `for await (const message of stream)` yields its messages.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-unused-vars -- the interface below adds EventTarget's members (inheritEventTarget() provides them) and uses M
export class EventStream<M extends EventMap = { message: string }> {
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSED: 2;

  /** @internal Use {@link connect}. */
  constructor(url: string | URL, options: ConnectOptions = {}) {
    // A real EventTarget where the platform can make one: returned instead of `this`.
    const self = initEventTarget(this, new.target, EventStream, 'EventStream');
    const settings = settle(url, options);
    const s: State = {
      target: self as unknown as EventStream<EventMap>,
      settings,
      parser: createParser({
        onEvent: (event) => onEvent(s, event),
        onRetry: (ms) => {
          s.serverRetry = ms;
        },
        lastEventId: options.lastEventId === undefined ? '' : options.lastEventId,
      }),
      readyState: CONNECTING,
      closed: false,
      origin: '',
      attempts: 0,
      serverRetry: null,
      started: false,
      generation: 0,
      abort: null,
      timer: null,
      heartbeat: null,
      heartbeatDue: 0,
      lastActivity: 0,
      lastError: null,
      iterations: [],
      signal: options.signal,
      onAbort: null,
    };
    Object.defineProperty(self, SLOT, { value: s });
    const signal = options.signal;
    if (signal && signal.aborted) {
      // Never connects; the close event waits a task so listeners added after connect() see it.
      s.readyState = CLOSED;
      s.timer = setTimeout(() => {
        s.timer = null;
        finish(s, null);
      }, 0);
      return self;
    }
    if (signal) {
      s.onAbort = () => finish(s, null);
      signal.addEventListener('abort', s.onAbort);
    }
    start(s);
    return self;
  }

  /** `CONNECTING` (0) while connecting or waiting to reconnect, `OPEN` (1), `CLOSED` (2). */
  get readyState(): number {
    return state(this).readyState;
  }

  /** The last event ID string: what the next reconnection sends as `Last-Event-ID`. */
  get lastEventId(): string {
    return state(this).parser.lastEventId;
  }

  /** The resolved stream URL (without any `lastEventIdParam`). */
  get url(): string {
    return state(this).settings.url;
  }

  /** Closes the stream: aborts the request, cancels timers, fires `close` once, ends `for await` loops. */
  close(): void {
    finish(state(this), null);
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
  /** Yields each message until the stream closes; throws the terminal error, if any. Breaking out closes the stream. */
  [Symbol.asyncIterator](): AsyncIterableIterator<StreamMessage<M>>;
}

inheritEventTarget(EventStream);

const constants: PropertyDescriptorMap = {
  CONNECTING: { value: CONNECTING, enumerable: true },
  OPEN: { value: OPEN, enumerable: true },
  CLOSED: { value: CLOSED, enumerable: true },
};
Object.defineProperties(EventStream, constants);

function iterate(this: EventStream<EventMap>): AsyncIterableIterator<MessageEvent> {
  const s = state(this);
  const queue: MessageEvent[] = [];
  let head = 0;
  let finished = s.closed;
  let failure: SSEError | null = null;
  let waiting: { resolve: (r: IteratorResult<MessageEvent>) => void; reject: (e: unknown) => void } | null = null;
  const iteration: Iteration = {
    push(event) {
      if (waiting) {
        const w = waiting;
        waiting = null;
        w.resolve({ value: event, done: false });
      } else queue.push(event);
    },
    end(error) {
      finished = true;
      failure = error;
      if (waiting) {
        const w = waiting;
        waiting = null;
        if (error) {
          failure = null;
          w.reject(error);
        } else w.resolve({ value: undefined, done: true });
      }
    },
  };
  if (!finished) s.iterations.push(iteration);
  const iterator: AsyncIterableIterator<MessageEvent> = {
    next() {
      if (head < queue.length) {
        const value = queue[head++] as MessageEvent;
        if (head === queue.length) queue.length = head = 0;
        return Promise.resolve({ value, done: false });
      }
      if (finished) {
        const error = failure;
        failure = null;
        return error ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      finished = true;
      failure = null;
      queue.length = head = 0;
      finish(s, null);
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

if (typeof Symbol === 'function' && Symbol.asyncIterator) {
  Object.defineProperty(EventStream.prototype, Symbol.asyncIterator, { value: iterate, writable: true, configurable: true });
}

/**
 * Opens a Server-Sent Events stream with what `EventSource` cannot do: request headers (also
 * refreshed per reconnection), any method and body, exponential backoff with jitter (server
 * `retry:` as base, `Retry-After` honoured on 429/503), heartbeat timeouts, JSON data, typed
 * named events, `AbortSignal`, and `for await`.
 *
 * Retries: network errors, 408, 429 and 5xx, and the end of the body (a new request with
 * `Last-Event-ID`). Fatal: other 4xx, 3xx left after redirects, a Content-Type other than
 * `text/event-stream` (the stream closes with the typed error); 204 closes cleanly. A non-GET
 * request is not sent again once its response started, unless `retryNonIdempotent`.
 *
 * @param url Absolute URL, or relative to the page.
 * @throws TypeError for an invalid URL or option, with what to pass instead.
 */
export function connect<M extends EventMap = { message: string }>(url: string | URL, options?: ConnectOptions): EventStream<M> {
  return new EventStream<M>(url, options);
}
