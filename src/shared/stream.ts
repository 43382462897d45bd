// connectShared(): connect()'s stream over one connection for every tab of the origin, and the source its leading tab runs (a connect() stream of its own).

import { EventStream, tapMessages, type StreamCloseEvent, type StreamErrorEvent, type StreamEvents, type StreamMessage } from '../client.js';
import { createIterator, type Iteration } from '../client/iterate.js';
import { settle, type ConnectOptions, type EventMap, type HeadersOption, type Settings } from '../client/options.js';
import type { AddListenerOptions, EventListenerLike, ListenerOptions, SSEMessageEvent } from '../dom-types.js';
import { NetworkError, ParseError, SSEError } from '../errors.js';
import {
  createMessageEvent,
  createSimpleEvent,
  handlerAttribute,
  inheritEventTarget,
  initEventTarget,
  setReadOnly,
  type HandlerListener,
} from '../event-target.js';
import { environment } from './environment.js';
import { join, leave, type Group } from './group.js';
import { streamKey, streamName } from './key.js';
import { OPEN as VIEW_OPEN, type Member, type SourceFactory, type SourceNote } from './protocol.js';
import { fromWire, toWire } from './wire.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** The options of {@link connectShared}: every option of `connect()`, and how the stream is shared. */
export interface SharedConnectOptions extends ConnectOptions {
  /**
   * What makes streams the same that the library cannot see, e.g. which user a `headers`
   * function authenticates: only streams with an equal `shareKey` (and equal URL, method, body,
   * credentials mode, static headers and `lastEventIdParam`) share a connection. Default: none.
   */
  shareKey?: string;
  /** `false`: this stream opens a connection of its own, as `connect()` does. Default `true`. */
  share?: boolean;
}

/** The options `connectShared<M>()` takes: as for `connect<M>()`, a map with data other than strings needs `json: true`. */
export type SharedOptionsFor<M extends EventMap> = M[keyof M] extends string
  ? [options?: SharedConnectOptions]
  : [options: SharedConnectOptions & { json: true }];

/** What a stream's members reach of this tab's stream (see run()). */
interface Slot {
  /** The listeners of the on* handler properties (see handlerAttribute). */
  handlers: Record<string, HandlerListener | undefined>;
  url: string;
  readyState(): number;
  lastEventId(): string;
  close(): void;
  messages(types: string[]): AsyncIterableIterator<MessageEvent>;
}

const slots = new WeakMap<object, Slot>();

function state(target: unknown): Slot {
  const s = target ? slots.get(target as object) : undefined;
  if (!s) throw new TypeError('Illegal invocation: call this on a stream returned by connectShared().');
  return s;
}

function dispatchError(target: EventTarget, error: Error): void {
  const event = createSimpleEvent('error');
  setReadOnly(event, 'error', error);
  target.dispatchEvent(event);
}

/**
 * Runs this tab's stream `target` of the stream `key` (its member of the tabs' group) with the
 * validated options `settings`, and gives it the slot its members read. As connect()'s run(), the
 * state lives in this closure's variables, which a minifier shortens (issue 17).
 */
function run(target: EventTarget, settings: Settings, key: string, options: SharedConnectOptions): void {
  const signal = options.signal;
  let readyState = CONNECTING;
  let lastEventId = options.lastEventId === undefined ? '' : options.lastEventId;
  let closed = false;
  let group: Group | null = null;
  /** Announces the connection to a stream that joined a group whose connection is open. */
  let timer: ReturnType<typeof setTimeout> | null = null;
  let iterations: Iteration[] = [];
  let onAbort: (() => void) | null = null;

  function detach(): void {
    clearTimeout(timer as ReturnType<typeof setTimeout>);
    timer = null;
    const joined = group;
    group = null;
    if (joined) leave(joined, member);
  }

  // Closes this tab's stream for good, as connect()'s does: terminal error (if any), one close event, loops ended.
  function finish(error: SSEError | null): void {
    if (closed) return;
    closed = true;
    readyState = CLOSED;
    detach();
    if (onAbort) (signal as AbortSignal).removeEventListener('abort', onAbort);
    onAbort = null;
    if (error) dispatchError(target, error);
    const event = createSimpleEvent('close');
    setReadOnly(event, 'error', error);
    target.dispatchEvent(event);
    const ended = iterations;
    iterations = [];
    for (let i = 0; i < ended.length; i++) (ended[i] as Iteration).end(error);
  }

  function onNote(note: SourceNote): void {
    if (closed) return;
    lastEventId = note.id;
    if (note.n === 'open') {
      if (readyState !== CONNECTING) return;
      clearTimeout(timer as ReturnType<typeof setTimeout>);
      timer = null;
      readyState = OPEN;
      target.dispatchEvent(createSimpleEvent('open'));
    } else if (note.n === 'event') {
      if (readyState === OPEN) onEvent(note.t, note.d, note.o, note.id);
    } else if (note.n === 'error') {
      readyState = CONNECTING;
      dispatchError(target, note.e ? fromWire(note.e) : new NetworkError('The connection to ' + settings.url + ' was lost.'));
    } else if (note.n === 'end') finish(note.e ? (fromWire(note.e) as SSEError) : null);
  }

  // As connect()'s onEvent, in this tab: JSON per tab (each tab's own `json`), [DONE] ends this tab's stream only.
  function onEvent(type: string, text: string, origin: string, id: string): void {
    let data: unknown = text;
    if (settings.json) {
      if (text === '[DONE]') return finish(null);
      try {
        data = JSON.parse(text);
      } catch (e) {
        dispatchError(target, new ParseError(text, type, e));
        return;
      }
    }
    const message = createMessageEvent(type, data as string, origin, id);
    if (!/^(open|error|close)$/.test(type)) target.dispatchEvent(message);
    // A close replaces `iterations`: the loop ends there.
    for (let i = 0; i < iterations.length; i++) (iterations[i] as Iteration).push(message);
  }

  const member: Member = { note: onNote };
  const slot: Slot = {
    handlers: {},
    url: settings.url,
    readyState: () => readyState,
    lastEventId: () => lastEventId,
    close: () => finish(null),
    messages: (types) => createIterator(closed ? null : iterations, types, () => {}, slot.close),
  };
  slots.set(target, slot);
  if (signal && signal.aborted) {
    // Never connects; the close event waits a task so listeners added after connectShared() see it.
    readyState = CLOSED;
    timer = setTimeout(() => {
      timer = null;
      finish(null);
    }, 0);
    return;
  }
  if (signal) signal.addEventListener('abort', (onAbort = slot.close));
  const joined = (group = join(environment(), key, streamName(key), connectSource(settings.url, options, settings), member));
  if (joined.view.lastEventId !== '') lastEventId = joined.view.lastEventId;
  // Joining a connection already open: announced from a task, as a new stream's would be.
  if (joined.view.state === VIEW_OPEN) timer = setTimeout(() => onNote({ n: 'open', o: '', id: joined.view.lastEventId, s: '' }), 0);
}

// `headers` without any Last-Event-ID: a stream resumed by another tab starts from the last event
// ID the tabs saw, not from the caller's header (which connect() would take for a new start).
function withoutLastEventId(headers: HeadersOption | undefined): HeadersOption | undefined {
  const strip = (h: Record<string, string>): Record<string, string> => {
    if (typeof h !== 'object' || h === null) return h;
    const kept: Record<string, string> = {};
    for (const name in h) if (Object.prototype.hasOwnProperty.call(h, name) && name.toLowerCase() !== 'last-event-id') kept[name] = h[name] as string;
    return kept;
  };
  if (typeof headers !== 'function') return headers && strip(headers);
  return () => {
    const result = headers();
    return result && typeof (result as PromiseLike<unknown>).then === 'function'
      ? (result as PromiseLike<Record<string, string>>).then(strip)
      : strip(result as Record<string, string>);
  };
}

/**
 * The leading tab's connection: a `connect()` stream of its own with the leading tab's options
 * (its `headers` function, `fetch`, `onResponse`, retry policy and heartbeat), `json` off so that
 * each tab parses with its own; everything it dispatches is posted to the tabs. A new leader
 * resumes from the view: with the last event ID, silently; without one, the tabs see a
 * `NetworkError` (the stream cannot resume) before the new connection's `open`. A request that
 * must not be sent again (`POST` without `retryNonIdempotent`) whose response had started ends
 * the stream instead.
 */
function connectSource(url: string, options: SharedConnectOptions, settings: Settings): SourceFactory {
  return (view, post) => {
    const idle = { stop() {}, delivered() {}, hello() {} };
    if (view.started && !settings.resendable) {
      const error = new SSEError(
        'The tab holding the connection to ' +
          url +
          ' went away, and a ' +
          settings.method +
          ' request is not sent again once its response started: pass retryNonIdempotent: true to resume it in another tab.',
      );
      post({ n: 'end', id: view.lastEventId, e: toWire(error) });
      return idle;
    }
    if (view.started && view.state === VIEW_OPEN && view.lastEventId === '') {
      const error = new NetworkError(
        'The tab holding the connection to ' +
          url +
          ' went away; the stream carries no event ids, so it starts anew in another tab (events in between are lost).',
      );
      post({ n: 'error', id: '', e: toWire(error) });
    }
    const own: SharedConnectOptions = { ...options, json: false };
    delete own.signal;
    delete own.shareKey;
    delete own.share;
    if (view.lastEventId !== '') {
      own.lastEventId = view.lastEventId;
      const headers = withoutLastEventId(options.headers);
      if (headers) own.headers = headers;
    }
    let live = true;
    const stream = new EventStream<EventMap>(url, own);
    stream.addEventListener('open', () => {
      if (live) post({ n: 'open', o: '', id: stream.lastEventId });
    });
    stream.addEventListener('error', (event) => {
      // A terminal error comes again with the close event.
      if (live && stream.readyState !== CLOSED) post({ n: 'error', id: stream.lastEventId, e: toWire(event.error) });
    });
    stream.addEventListener('close', (event) => {
      if (live) post({ n: 'end', id: stream.lastEventId, e: event.error ? toWire(event.error) : null });
    });
    tapMessages(stream, (message) => {
      if (live) post({ n: 'event', t: message.type, d: message.data as string, o: message.origin, id: message.lastEventId });
    });
    return {
      stop: () => {
        live = false;
        stream.close();
      },
      delivered: () => {},
      hello: () => {
        if (stream.readyState === OPEN) post({ n: 'open', o: '', id: stream.lastEventId });
      },
    };
  };
}

// The part of the key a body gives: what can be compared between tabs.
function bodyKey(body: Settings['body']): string | null {
  if (body === null || typeof body === 'string') return body;
  if (typeof URLSearchParams === 'function' && body instanceof URLSearchParams) return 'URLSearchParams ' + body.toString();
  throw new TypeError(
    'connectShared(): `body` must be a string, URLSearchParams or plain data (sent as JSON) for the tabs to tell whether their streams are the same; pass share: false to send another body on a connection of its own.',
  );
}

// Static headers as sorted [name, value] pairs; a function is what the library cannot see (shareKey says it).
function headersKey(headers: HeadersOption | undefined): unknown {
  if (!headers) return null;
  if (typeof headers === 'function') return 'function';
  const pairs: string[][] = [];
  for (const name in headers) if (Object.prototype.hasOwnProperty.call(headers, name)) pairs.push([name.toLowerCase(), String(headers[name])]);
  return pairs.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/**
 * A stream returned by {@link connectShared}: what `connect()` returns (the same events,
 * properties, handlers, `messages()` and `for await`), read from the connection one tab holds
 * for every tab of the origin. `close()` closes this tab's stream only.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface below adds EventTarget's members (inheritEventTarget() provides them)
export class SharedEventStream<M extends EventMap = { message: string }> {
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSED: 2;
  /** Handler property for `open` events: assigning a function adds it as a listener, `null` removes it. */
  declare onopen: ((this: SharedEventStream<M>, event: Event) => unknown) | null;
  /** Handler property for `message` events (not named events). */
  declare onmessage: ((this: SharedEventStream<M>, event: SSEMessageEvent<M extends { message: infer D } ? D : unknown>) => unknown) | null;
  /** Handler property for `error` events: every failure, retried or not. */
  declare onerror: ((this: SharedEventStream<M>, event: StreamErrorEvent) => unknown) | null;
  /** Handler property for the one `close` event. */
  declare onclose: ((this: SharedEventStream<M>, event: StreamCloseEvent) => unknown) | null;

  /** @internal Use {@link connectShared}. */
  constructor(url: string | URL, options: SharedConnectOptions = {}) {
    const self = initEventTarget(this, new.target, SharedEventStream, 'SharedEventStream');
    let settings: Settings;
    try {
      settings = settle(url, options);
    } catch (e) {
      throw e instanceof TypeError ? new TypeError(e.message.replace(/^connect\(/, 'connectShared(')) : e;
    }
    const { shareKey, share } = options;
    if (shareKey !== undefined && typeof shareKey !== 'string') {
      throw new TypeError('connectShared(): `shareKey` must be a string, such as the id of the user a headers function signs in; leave it out for none.');
    }
    if (share !== undefined && typeof share !== 'boolean') throw new TypeError('connectShared(): `share` must be true or false.');
    const key =
      share === false
        ? ''
        : streamKey([
            'connect',
            settings.url,
            settings.method,
            bodyKey(settings.body),
            settings.credentials || (settings.withCredentials ? 'include' : 'same-origin'),
            headersKey(settings.headers),
            settings.lastEventIdParam === undefined ? null : settings.lastEventIdParam,
            shareKey === undefined ? null : shareKey,
          ]);
    run(self as unknown as EventTarget, settings, key, options);
    return self;
  }

  /** `CONNECTING` (0) while connecting or waiting to reconnect, `OPEN` (1), `CLOSED` (2): this tab's stream. */
  get readyState(): number {
    return state(this).readyState();
  }

  /** The last event ID string of the stream, as the tabs know it. */
  get lastEventId(): string {
    return state(this).lastEventId();
  }

  /** The resolved stream URL. */
  get url(): string {
    return state(this).url;
  }

  /** Closes this tab's stream: fires `close` once, ends its loops. The connection goes on for the other tabs; the last stream to close ends it. */
  close(): void {
    state(this).close();
  }

  /**
   * An async iterator over the messages of the given event types, as `EventStream.messages()`.
   * The connection is shared, so a loop that falls behind does not hold it: its messages wait in
   * this tab.
   */
  messages(): AsyncIterableIterator<SSEMessageEvent<unknown>>;
  messages<K extends keyof M & string>(...types: K[]): AsyncIterableIterator<StreamMessage<Pick<M, K>>>;
  messages(...types: string[]): AsyncIterableIterator<MessageEvent> {
    return state(this).messages(types);
  }
}

export interface SharedEventStream<M extends EventMap> extends EventTarget {
  addEventListener<K extends keyof StreamEvents<M> & string>(
    type: K,
    listener: ((this: SharedEventStream<M>, event: StreamEvents<M>[K]) => unknown) | null,
    options?: boolean | AddListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerLike | null, options?: boolean | AddListenerOptions): void;
  removeEventListener<K extends keyof StreamEvents<M> & string>(
    type: K,
    listener: ((this: SharedEventStream<M>, event: StreamEvents<M>[K]) => unknown) | null,
    options?: boolean | ListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerLike | null, options?: boolean | ListenerOptions): void;
  /** `for await (const message of stream)`: each `message` event until the stream closes, as for `connect()`. */
  [Symbol.asyncIterator](): AsyncIterableIterator<StreamMessage<Pick<M & { message: unknown }, 'message'>>>;
}

inheritEventTarget(SharedEventStream);

const constants: PropertyDescriptorMap = {
  CONNECTING: { value: CONNECTING, enumerable: true },
  OPEN: { value: OPEN, enumerable: true },
  CLOSED: { value: CLOSED, enumerable: true },
};
Object.defineProperties(SharedEventStream, constants);
Object.defineProperties(SharedEventStream.prototype, {
  onopen: handlerAttribute('open', state),
  onmessage: handlerAttribute('message', state),
  onerror: handlerAttribute('error', state),
  onclose: handlerAttribute('close', state),
});

Object.defineProperty(SharedEventStream.prototype, Symbol.asyncIterator, {
  value(this: SharedEventStream<EventMap>) {
    return state(this).messages(['message']);
  },
  writable: true,
  configurable: true,
});

/**
 * `connect()` for streams that many tabs open: pages and workers of the origin that open the same
 * stream read it over one connection, held by one tab (elected with Web Locks) and fanned out
 * over a `BroadcastChannel`, in order. Takes `connect()`'s options and returns a stream with
 * `connect()`'s interface; `shareKey` and `share` say how it is shared.
 *
 * - The same stream: equal resolved URL, method, body (a string, `URLSearchParams` or plain data),
 *   credentials mode, static `headers`, `lastEventIdParam` and `shareKey`. Give a `shareKey` for
 *   what the library cannot see, such as the user a `headers` function signs in.
 * - The tab holding the connection applies its own options: its `headers` function (called in
 *   that tab only), `fetch`, `onResponse`, `retry` and `heartbeatTimeout`. Each tab parses JSON
 *   with its own `json` and has its own `signal`, listeners and loops; `close()` closes one tab's
 *   stream, and the last one to close ends the connection.
 * - When that tab closes, navigates, crashes or is frozen, the next tab in line reconnects at once
 *   with the last event ID: with ids, each tab gets every event once, in order. Without ids, the
 *   tabs get a `NetworkError` and the stream starts anew. A non-idempotent request whose response
 *   had started is not sent again (unless `retryNonIdempotent`): the stream ends with an `SSEError`.
 * - Without `navigator.locks` or `BroadcastChannel`, or with `share: false`, the stream has a
 *   connection of its own, as with `connect()`.
 *
 * @throws TypeError for an invalid URL or option (as `connect()`), a `shareKey` that is not a
 *   string, a `share` that is not a boolean, or a body that cannot be compared between tabs
 *   (`FormData`, `Blob`, bytes) unless `share: false`.
 */
export function connectShared(url: string | URL, options: SharedConnectOptions & { json: true }): SharedEventStream<{ message: unknown }>;
export function connectShared<M extends EventMap = { message: string }>(url: string | URL, ...options: SharedOptionsFor<M>): SharedEventStream<M>;
export function connectShared<M extends EventMap>(url: string | URL, options?: SharedConnectOptions): SharedEventStream<M> {
  return new SharedEventStream<M>(url, options);
}
