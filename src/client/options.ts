// connect()'s options: their types, defaults, and the validation that turns them into Settings (a mistake throws at the call site).

import type { CredentialsMode, RequestBody } from '../dom-types.js';
import type { ResponseHead, SSEError } from '../errors.js';
import type { FetchLike } from '../transport/types.js';
import { resolveURL } from '../url.js';
import { idempotent } from './retry.js';

export type { FetchLike } from '../transport/types.js';

/** Names each event type a stream carries to the type of its `data` (after JSON parsing with `json: true`). */
export type EventMap = Record<string, unknown>;

/** Backoff policy between reconnections. All times in ms. */
export interface RetryOptions {
  /** First delay when the server sent no `retry:` field. Default 1000. */
  initial?: number;
  /** Floor of every wait: neither the server's `retry:` nor jitter goes below it (≤ `max`). Default 500, or `max` when smaller. */
  min?: number;
  /** Upper bound of the delay, the server's `retry:` included (jitter then spreads below it). Default 30000. */
  max?: number;
  /** Growth per consecutive failed attempt (≥ 1). Default 2. */
  factor?: number;
  /**
   * Randomized share of each wait, 0 (none) to 1 (full jitter: uniform between `min` and the delay).
   * After a `Retry-After`, the share of the delay added after the instant the server named. Default 1.
   */
  jitter?: number;
  /** Consecutive reconnection attempts before giving up with a `GaveUpError`. Default Infinity. */
  maxAttempts?: number;
  /**
   * Decides, per failure, whether to reconnect: `true` retries, `false` ends the stream with
   * `error`, anything else keeps the default rule (retry network errors, heartbeat timeouts, 408,
   * 429 and 5xx; a non-idempotent request only before its response started). `attempt` is the
   * number of the reconnection it would be, 1 for the first since the stream last opened;
   * `retry.maxAttempts` still applies. Not called for the end of a body (not a failure). An
   * exception ends the stream with an `SSEError` whose `cause` it is.
   */
  shouldRetry?: (error: SSEError, attempt: number) => boolean | undefined | void;
}

/**
 * What an `onResponse` hook decides about a response: nothing (`undefined`) for the default rules,
 * `'accept'` to read the body as an event stream whatever its status and Content-Type,
 * `'retry'` to reconnect at once (not sooner than its `Retry-After`), or an `Error` that ends the
 * stream (an `SSEError` as is; any other as the `cause` of an `SSEError` with its message).
 */
export type ResponseVerdict = void | undefined | 'accept' | 'retry' | Error;

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
  /**
   * Reconnect when no byte arrives for this many ms. Default: no heartbeat. A connection that dies
   * without a FIN or RST (a killed socket, a sleeping laptop, a dropped NAT entry) is found only
   * this way: give every long-lived stream one, e.g. 45000 with a server comment every 15 s.
   */
  heartbeatTimeout?: number;
  /**
   * Close the request while the page is hidden (`document.visibilityState` `"hidden"`) and
   * reconnect at once, with `Last-Event-ID`, when it is visible again: neither a failure nor an
   * attempt counted. Default false: hidden pages keep their streams. A request that must not be
   * sent again (a non-idempotent one whose response started) is never paused.
   */
  pauseWhenHidden?: boolean;
  /**
   * The most characters (UTF-16 code units: bytes, for ASCII text) a line of the stream may have,
   * its field name included, and one event's data (its `data:` lines joined by LF). Past it the
   * request is aborted and the stream ends with an `EventTooLargeError` (`retry.shouldRetry` may
   * retry it): an endless line or endless data without a blank line cannot grow memory without
   * bound. A whole number > 0, or `Infinity` for no bound. Default 16 Mi (16,777,216).
   */
  maxEventSize?: number;
  /** Parse each event's data as JSON; a parse failure is an `error` event with a `ParseError` and the stream goes on. */
  json?: boolean;
  /**
   * Called instead of the global `fetch` for every (re)connection, as `fetch(url, init)` (`init`
   * carries method, headers, body, credentials and the `signal` that aborts it): an undici
   * dispatcher or proxy in Node, cookies or request signing, a mock in tests. With it, the stream
   * reads the response body as a `ReadableStream`, wherever `TextDecoder` exists: IE-class engines
   * read over XMLHttpRequest and never call it.
   */
  fetch?: FetchLike;
  /**
   * Called with the head of every response (status, headers, final URL) before the stream is
   * accepted, synchronously: see {@link ResponseVerdict} for what it may return. Do asynchronous
   * work, such as refreshing a token, in `headers`, which is awaited before every reconnection.
   * An exception ends the stream with an `SSEError` whose `cause` it is.
   */
  onResponse?: (response: ResponseHead) => ResponseVerdict;
}

/** The options validated, with their defaults filled in. */
export interface Settings {
  url: string;
  method: string;
  body: RequestBody | null;
  headers: HeadersOption | undefined;
  contentType: string | null;
  credentials: CredentialsMode | undefined;
  withCredentials: boolean;
  lastEventIdParam: string | undefined;
  initial: number;
  min: number;
  max: number;
  factor: number;
  jitter: number;
  maxAttempts: number;
  shouldRetry: ((error: SSEError, attempt: number) => boolean | undefined | void) | undefined;
  /** The request may be sent again once its response started: idempotent, or `retryNonIdempotent`. */
  resendable: boolean;
  heartbeatTimeout: number;
  pauseWhenHidden: boolean;
  maxEventSize: number;
  json: boolean;
  fetch: FetchLike | undefined;
  onResponse: ((response: ResponseHead) => ResponseVerdict) | undefined;
}

// Throws, unless `ok`, the TypeError saying what to pass as `option` instead: "connect(): `option` must be <hint>."
function check(ok: boolean, option: string, hint: string): void {
  if (!ok) throw new TypeError('connect(): `' + option + '` must be ' + hint + '.');
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

// A number option: `fallback` when absent, else a number from `low` to `high` (a whole one with `whole`, Infinity included).
function number(value: unknown, option: string, fallback: number, low: number, high: number, hint: string, whole?: boolean): number {
  if (value === undefined) return fallback;
  check(
    typeof value === 'number' && value >= low && value <= high && (!whole || value === Infinity || Math.floor(value) === value),
    option,
    hint + ', got ' + String(value),
  );
  return value as number;
}

// A function option: absent, or a function.
function fn<T>(value: T, option: string, signature: string): T {
  check(value === undefined || typeof value === 'function', option, 'a function ' + signature);
  return value;
}

/** connect()'s default `maxEventSize`, in characters: 16 Mi. */
export const DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024;

const MS = 'a number of ms ≥ 0';

/**
 * Validates `url` and `options` once, up front, and fills in the defaults.
 * @throws TypeError for an invalid URL or option, with what to pass instead.
 */
export function settle(url: string | URL, options: ConnectOptions): Settings {
  if (typeof url !== 'string' && !(typeof URL === 'function' && url instanceof URL)) {
    throw new TypeError('connect(url): pass the stream URL as a string or URL, got ' + typeof url + '.');
  }
  const resolved = resolveURL(String(url));
  if (resolved === null) throw new TypeError('connect(url): "' + String(url) + '" is not a valid URL; pass an absolute URL (or one relative to the page).');
  if (!isObject(options)) throw new TypeError('connect(url, options): pass options as an object, or leave them out.');
  const { headers, retry = {}, body: given, credentials, signal, lastEventIdParam: param } = options;
  check(
    headers === undefined || typeof headers === 'function' || isObject(headers),
    'headers',
    'an object of header names to values, or a function returning one',
  );
  check(isObject(retry), 'retry', 'an object such as { max: 30000 }');
  const method = options.method === undefined ? (given === undefined || given === null ? 'GET' : 'POST') : options.method;
  check(typeof method === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method), 'method', 'an HTTP method name such as "GET" or "POST"');
  let body: RequestBody | null = null;
  let contentType: string | null = null;
  if (given !== undefined && given !== null) {
    // Plain data is sent as JSON (Object.getPrototypeOf throws for a string in ES5 engines).
    const proto = isObject(given) ? Object.getPrototypeOf(given) : 0;
    if (proto === Object.prototype || proto === null || Array.isArray(given)) {
      body = JSON.stringify(given);
      contentType = 'application/json';
    } else {
      check(typeof given === 'string' || isObject(given), 'body', 'a string, FormData, Blob, URLSearchParams, ArrayBuffer or a plain object (sent as JSON)');
      body = given as RequestBody;
    }
    check(!/^(GET|HEAD)$/i.test(method), 'body', 'left out with ' + method + ', or sent with method: "POST"');
  }
  check(credentials === undefined || /^(omit|same-origin|include)$/.test(credentials), 'credentials', '"omit", "same-origin" or "include"');
  check(
    signal === undefined || (isObject(signal) && typeof signal.addEventListener === 'function'),
    'signal',
    'an AbortSignal (e.g. new AbortController().signal)',
  );
  check(options.lastEventId === undefined || typeof options.lastEventId === 'string', 'lastEventId', 'a string');
  check(param === undefined || (typeof param === 'string' && param !== ''), 'lastEventIdParam', 'a non-empty query parameter name such as "lastEventId"');
  const max = number(retry.max, 'retry.max', 30000, 0, Infinity, MS);
  return {
    url: resolved,
    method,
    body,
    headers,
    contentType,
    credentials,
    withCredentials: !!options.withCredentials,
    lastEventIdParam: param,
    initial: number(retry.initial, 'retry.initial', 1000, 0, Infinity, MS),
    min: number(retry.min, 'retry.min', Math.min(500, max), 0, max, 'a number of ms from 0 to retry.max (' + max + ')'),
    max,
    factor: number(retry.factor, 'retry.factor', 2, 1, Infinity, 'a number ≥ 1 (2 doubles each delay)'),
    jitter: number(retry.jitter, 'retry.jitter', 1, 0, 1, 'a number from 0 (no jitter) to 1 (full jitter)'),
    maxAttempts: number(retry.maxAttempts, 'retry.maxAttempts', Infinity, 0, Infinity, 'a whole number ≥ 0, or Infinity', true),
    shouldRetry: fn(retry.shouldRetry, 'retry.shouldRetry', '(error, attempt) => boolean | undefined'),
    resendable: !!options.retryNonIdempotent || idempotent(method),
    // > 0 and finite: from the smallest number above 0 to the largest below Infinity.
    heartbeatTimeout: number(
      options.heartbeatTimeout,
      'heartbeatTimeout',
      0,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
      'a number of ms > 0, e.g. 45000; leave it out for none',
    ),
    pauseWhenHidden: !!options.pauseWhenHidden,
    maxEventSize: number(
      options.maxEventSize,
      'maxEventSize',
      DEFAULT_MAX_EVENT_SIZE,
      1,
      Infinity,
      'a whole number of characters > 0 (default 16777216), or Infinity for no bound',
      true,
    ),
    json: !!options.json,
    fetch: fn(options.fetch, 'fetch', 'like fetch itself: (url, init) => Promise<Response>'),
    onResponse: fn(options.onResponse, 'onResponse', "(response) => undefined | 'accept' | 'retry' | Error"),
  };
}
