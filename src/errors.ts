// The typed errors connect() reports: one base class, a stable `name` per kind (set as strings: minifiers rename classes).

/**
 * Base of every error `connect()` reports. `name` is stable (`"SSEError"` or the subclass's
 * name); `cause` carries the underlying error where there is one.
 */
export class SSEError extends Error {
  /** The underlying error (a fetch/XHR failure, a JSON SyntaxError, the last retried error...). */
  declare readonly cause: unknown;

  constructor(message: string, cause?: unknown) {
    super(message);
    // Compiled to ES5, `super()` returns a plain Error: restore the subclass's prototype.
    const proto = new.target.prototype;
    if (Object.getPrototypeOf(this) !== proto) {
      if (Object.setPrototypeOf) Object.setPrototypeOf(this, proto);
      else (this as unknown as { __proto__: object }).__proto__ = proto;
    }
    this.name = 'SSEError';
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, writable: true, configurable: true });
  }
}

/** The head of a response, as `connect()`'s `onResponse` hook and an {@link HttpStatusError} show it. */
export interface ResponseHead {
  /** The HTTP status code, e.g. 404. */
  readonly status: number;
  readonly statusText: string;
  /**
   * Reads a response header (case-insensitive), `null` when absent. Cross-origin, only the
   * CORS-safelisted ones and those the server lists in `Access-Control-Expose-Headers` are readable.
   */
  readonly headers: { get(name: string): string | null };
  /** The final URL of the response (after redirects). */
  readonly url: string;
}

/**
 * The server answered with a status that is not a stream (204 is handled as done), or the
 * `onResponse` hook asked to retry this response. Carries the response head.
 */
export class HttpStatusError extends SSEError implements ResponseHead {
  declare readonly status: number;
  declare readonly statusText: string;
  declare readonly headers: { get(name: string): string | null };
  declare readonly url: string;

  constructor(response: ResponseHead) {
    super('The server answered ' + response.status + (response.statusText ? ' ' + response.statusText : '') + ' for ' + response.url + '.');
    this.name = 'HttpStatusError';
    // status, statusText, headers and url.
    for (const key in response) (this as Record<string, unknown>)[key] = response[key as keyof ResponseHead];
  }
}

/** The response's Content-Type is not `text/event-stream`; the server is not speaking SSE. */
export class ContentTypeError extends SSEError {
  /** The Content-Type header as received, `null` when missing. */
  readonly contentType: string | null;

  constructor(contentType: string | null, url: string) {
    super('Expected Content-Type text/event-stream from ' + url + ', got ' + (contentType === null ? 'none' : contentType) + '.');
    this.name = 'ContentTypeError';
    this.contentType = contentType;
  }
}

/** The connection failed or broke (refused, reset, DNS, CORS, a body that ended with an error). */
export class NetworkError extends SSEError {
  constructor(message: string, cause?: unknown) {
    super(message, cause);
    this.name = 'NetworkError';
  }
}

/** No byte arrived within `heartbeatTimeout` ms: the connection is taken for stalled and reopened. */
export class HeartbeatTimeoutError extends SSEError {
  /** The configured timeout in ms. */
  readonly timeout: number;

  constructor(timeout: number) {
    super('No data for ' + timeout + ' ms: the connection looks stalled, reconnecting.');
    this.name = 'HeartbeatTimeoutError';
    this.timeout = timeout;
  }
}

/**
 * A line of the stream, or one event's data, is longer than `maxEventSize` characters: the
 * request is aborted and the stream ends (a server sending an endless line or endless data
 * without a blank line would otherwise grow memory until the page dies).
 */
export class EventTooLargeError extends SSEError {
  /** The `maxEventSize` in force, in characters. */
  readonly limit: number;

  constructor(limit: number) {
    super('A line or an event of the stream is longer than maxEventSize (' + limit + ' characters); pass a larger maxEventSize if the server means it.');
    this.name = 'EventTooLargeError';
    this.limit = limit;
  }
}

/** With `json: true`, an event's data was not valid JSON. The stream goes on. */
export class ParseError extends SSEError {
  /** The raw data text that failed to parse. */
  readonly data: string;
  /** The event's type (`message` or its `event:` name). */
  readonly eventType: string;

  constructor(data: string, eventType: string, cause: unknown) {
    super('The data of a "' + eventType + '" event is not valid JSON.', cause);
    this.name = 'ParseError';
    this.data = data;
    this.eventType = eventType;
  }
}

/** `retry.maxAttempts` consecutive reconnections failed; `cause` is the last failure (its message ends this one's). */
export class GaveUpError extends SSEError {
  /** How many reconnection attempts were made. */
  readonly attempts: number;

  constructor(attempts: number, cause?: SSEError | null) {
    super('Gave up after ' + attempts + ' reconnection attempt' + (attempts === 1 ? '' : 's') + (cause ? '; the last failure: ' + cause.message : '.'), cause);
    this.name = 'GaveUpError';
    this.attempts = attempts;
  }
}
