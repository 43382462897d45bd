// SharedEventSource: the EventSource interface (HTML §9.2) over one connection for every tab of the origin, and the source its leading tab runs.

import { startConnection, streamHeaders } from '../connection.js';
import type { AddListenerOptions, EventListenerLike, EventSourceEvents, EventSourceInit, ListenerOptions, SSEMessageEvent } from '../dom-types.js';
import { createMessageEvent, createSimpleEvent, defineEventSourceMembers, inheritEventTarget, initEventTarget, type HandlerListener } from '../event-target.js';
import { createParser } from '../parser.js';
import { isEventStream, originOf, resolveURL } from '../url.js';
import { environment } from './environment.js';
import { join, leave, type Group } from './group.js';
import { streamKey, streamName } from './key.js';
import { OPEN as VIEW_OPEN, type Member, type SourceFactory, type SourceNote } from './protocol.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
// HTML §9.2 leaves the initial reconnection time to the user agent: ssekit's EventSource and Chromium wait 3 s.
const DEFAULT_RECONNECTION_TIME = 3000;
// setTimeout fires at once for delays past 2^31-1 ms.
const MAX_DELAY = 2147483647;

/** The init dictionary of `new SharedEventSource(url, init)`: `EventSourceInit` and how the stream is shared. */
export interface SharedEventSourceInit extends EventSourceInit {
  /**
   * What makes streams the same that the library cannot see, e.g. the signed-in user's id: only
   * sources with equal URL, `withCredentials` and `shareKey` share a connection. Default: none.
   */
  shareKey?: string;
  /** `false`: this source opens a connection of its own, as an `EventSource` does. Default `true`. */
  share?: boolean;
}

// Everything a SharedEventSource holds, kept off the instance as a native object's internal slots.
interface Internals extends Member {
  target: SharedEventSource;
  url: string;
  withCredentials: boolean;
  readyState: number;
  group: Group | null;
  /** Announces the connection to a source that joined a group whose connection is open. */
  timer: ReturnType<typeof setTimeout> | null;
  handlers: Record<string, HandlerListener | undefined>;
}

const slots = new WeakMap<object, Internals>();

function internals(target: unknown): Internals {
  const s = target ? slots.get(target as object) : undefined;
  if (!s) throw new TypeError('Illegal invocation: call this on a SharedEventSource instance.');
  return s;
}

function fire(s: Internals, type: 'open' | 'error'): void {
  s.target.dispatchEvent(createSimpleEvent(type));
}

function detach(s: Internals): void {
  clearTimeout(s.timer as ReturnType<typeof setTimeout>);
  s.timer = null;
  const group = s.group;
  s.group = null;
  if (group) leave(group, s);
}

// A note of the stream, turned into what an EventSource of this tab would fire.
function onNote(s: Internals, note: SourceNote): void {
  if (note.n === 'open') {
    // An open source takes it for what it is: the same stream, continued by another tab's connection.
    if (s.readyState !== CONNECTING) return;
    clearTimeout(s.timer as ReturnType<typeof setTimeout>);
    s.timer = null;
    s.readyState = OPEN;
    fire(s, 'open');
  } else if (note.n === 'event') {
    if (s.readyState === OPEN) s.target.dispatchEvent(createMessageEvent(note.t, note.d, note.o, note.id));
  } else if (note.n === 'error') {
    // Reestablishing the connection (HTML §9.2.3).
    if (s.readyState === CLOSED) return;
    s.readyState = CONNECTING;
    fire(s, 'error');
  } else if (note.n === 'end') {
    // The connection failed (HTML §9.2.3): no reconnection follows.
    if (s.readyState === CLOSED) return;
    detach(s);
    s.readyState = CLOSED;
    fire(s, 'error');
  }
}

/**
 * The leading tab's connection for `url`, with EventSource's rules (HTML §9.2.3): announce a 200
 * `text/event-stream` response, fail for any other (and for a CORS failure seen over fetch),
 * reestablish after the reconnection time when the body ends or the network fails, with
 * `Last-Event-ID`. A new leader resumes from the view: with the last event ID, silently; a stream
 * that carried no id cannot resume, so every tab sees an `error` (readyState `CONNECTING`) before
 * the new connection's `open`, as after a dropped connection.
 */
function eventSourceSource(url: string, withCredentials: boolean): SourceFactory {
  return (view, post) => {
    let reconnectionTime = view.retry === undefined ? DEFAULT_RECONNECTION_TIME : view.retry;
    let origin = view.origin;
    let open = false;
    let reconnecting = false;
    let stopped = false;
    let abort: (() => void) | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // The last event ID string the notes have told.
    let told = view.lastEventId;
    const parser = createParser({
      onEvent: (event) => post({ n: 'event', t: event.type, d: event.data, o: origin, id: (told = event.lastEventId) }),
      onRetry: (ms) => {
        reconnectionTime = ms;
        post({ n: 'retry', ms, id: told });
      },
      lastEventId: view.lastEventId,
    });
    const stop = () => {
      stopped = true;
      clearTimeout(timer as ReturnType<typeof setTimeout>);
      timer = null;
      const a = abort;
      abort = null;
      if (a) a();
    };
    const fail = () => {
      stop();
      post({ n: 'end', id: parser.lastEventId });
    };
    const connect = () => {
      timer = null;
      abort = startConnection(() => ({ url, method: 'GET', headers: streamHeaders({}, parser.lastEventId), body: null, withCredentials }), parser, {
        renewable: true,
        onResponse: (response, renewed) => {
          if (stopped) return false;
          if (response.status !== 200 || !isEventStream(response.header('Content-Type'))) {
            fail();
            return false;
          }
          if (renewed) return true;
          origin = originOf(response.url);
          open = true;
          post({ n: 'open', o: origin, id: parser.lastEventId });
          return true;
        },
        // An id-only block changes the last event ID string without an event: the next leader needs it.
        onParsed: () => {
          if (parser.lastEventId !== told) post({ n: 'id', id: (told = parser.lastEventId) });
        },
        onEnd: (_error, blocked) => {
          abort = null;
          open = false;
          if (stopped) return;
          if (blocked) return fail();
          reconnecting = true;
          post({ n: 'error', id: parser.lastEventId });
        },
      });
    };
    if (view.started && view.state === VIEW_OPEN && view.lastEventId === '') post({ n: 'error', id: '' });
    connect();
    return {
      stop,
      delivered: (note) => {
        // The reconnection time starts once this tab's sources have fired the error: close() in
        // an error listener cancels the reconnection, as it does for an EventSource.
        if (note.n !== 'error' || !reconnecting || stopped) return;
        reconnecting = false;
        timer = setTimeout(connect, Math.min(reconnectionTime, MAX_DELAY));
      },
      hello: () => {
        if (open) post({ n: 'open', o: origin, id: parser.lastEventId });
      },
    };
  };
}

/**
 * An `EventSource` whose stream every page and worker of the origin that opens the same one reads
 * over a single connection: `new SharedEventSource(url, { withCredentials, shareKey, share })`.
 *
 * - The same stream: equal resolved `url`, `withCredentials` and `shareKey`. One tab (elected with
 *   Web Locks) holds the connection; its events reach the other tabs over a `BroadcastChannel`,
 *   in order, each as a task of its own.
 * - Each source behaves as an `EventSource` (HTML §9.2): `readyState`, `open` (its own, also when
 *   it joins a connection already open), `MessageEvent`s with `data`, `origin` and `lastEventId`,
 *   `error` when reconnecting (`CONNECTING`) or failed (`CLOSED`). `close()` affects this source
 *   only; the last source of the stream to close ends the connection.
 * - When the tab holding the connection closes, navigates, crashes or is frozen, the next tab in
 *   line reconnects at once with the last event ID, unseen: with a stream that carries ids, every
 *   source gets every event once, in order. A stream without ids cannot resume: the sources see
 *   `error` (`CONNECTING`), then `open` for the new connection, which starts the stream anew.
 * - Without `navigator.locks` or `BroadcastChannel`, or with `share: false`, it opens a
 *   connection of its own, as `EventSource` does.
 *
 * @throws TypeError without `new` or arguments, for an init that is not an object, a `shareKey`
 *   that is not a string or a `share` that is not a boolean; a `SyntaxError` `DOMException` for a
 *   URL that cannot be parsed.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface below adds EventTarget's members, which inheritEventTarget() provides
export class SharedEventSource {
  /** The readyState before the connection is announced and while reconnecting. */
  declare static readonly CONNECTING: 0;
  /** The readyState while events are being received. */
  declare static readonly OPEN: 1;
  /** The readyState after `close()` or after the connection failed. */
  declare static readonly CLOSED: 2;
  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSED: 2;
  /** The resolved absolute URL given to the constructor. */
  declare readonly url: string;
  /** Whether cross-origin requests carry credentials. */
  declare readonly withCredentials: boolean;
  /** `CONNECTING` (0), `OPEN` (1) or `CLOSED` (2), of this source. */
  declare readonly readyState: number;
  /** Event handler attribute for `open` events. */
  declare onopen: ((this: SharedEventSource, event: Event) => unknown) | null;
  /** Event handler attribute for `message` events (not named events). */
  declare onmessage: ((this: SharedEventSource, event: SSEMessageEvent) => unknown) | null;
  /** Event handler attribute for `error` events. */
  declare onerror: ((this: SharedEventSource, event: Event) => unknown) | null;

  constructor(url: string | URL, eventSourceInitDict?: SharedEventSourceInit);
  constructor(url: string | URL) {
    const self = initEventTarget(this, new.target, SharedEventSource, 'SharedEventSource');
    const fail = "Failed to construct 'SharedEventSource': ";
    if (arguments.length < 1) throw new TypeError(fail + "1 argument required: the stream's URL.");
    const input = String(url);
    // Read from arguments so that SharedEventSource.length is 1, as EventSource's.
    // eslint-disable-next-line prefer-rest-params
    const init = arguments[1] as SharedEventSourceInit | null | undefined;
    if (init !== undefined && init !== null && typeof init !== 'object' && typeof init !== 'function') {
      throw new TypeError(fail + 'pass the init dictionary as an object: { withCredentials, shareKey, share }.');
    }
    const withCredentials = !!(init && init.withCredentials);
    const shareKey = init ? init.shareKey : undefined;
    const share = init ? init.share : undefined;
    if (shareKey !== undefined && typeof shareKey !== 'string') {
      throw new TypeError(fail + 'shareKey must be a string, such as the id of the signed-in user; leave it out for none.');
    }
    if (share !== undefined && typeof share !== 'boolean') throw new TypeError(fail + 'share must be true or false.');
    const resolved = resolveURL(input);
    if (resolved === null) throw new DOMException(fail + "The URL '" + input + "' is invalid.", 'SyntaxError');
    const s: Internals = {
      target: self,
      url: resolved,
      withCredentials,
      readyState: CONNECTING,
      group: null,
      timer: null,
      handlers: {},
      note: (note) => onNote(s, note),
    };
    slots.set(self, s);
    const key = share === false ? '' : streamKey(['EventSource', resolved, withCredentials, shareKey === undefined ? null : shareKey]);
    const group = (s.group = join(environment(), key, streamName(key), eventSourceSource(resolved, withCredentials), s));
    // Joining a connection already open: announced from a task, as a new EventSource's would be.
    if (group.view.state === VIEW_OPEN) {
      s.timer = setTimeout(() => onNote(s, { n: 'open', o: group.view.origin, id: group.view.lastEventId, s: '' }), 0);
    }
    return self;
  }

  /**
   * Closes this source (HTML §9.2.2): `readyState` becomes `CLOSED`, nothing more is fired. The
   * connection goes on for the other sources of the stream; the last one to close ends it.
   */
  close(): void {
    const s = internals(this);
    detach(s);
    s.readyState = CLOSED;
  }
}

/** A SharedEventSource is an EventTarget, with the DOM EventSource's typed listener overloads. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the class
export interface SharedEventSource extends EventTarget {
  addEventListener<K extends keyof EventSourceEvents>(
    type: K,
    listener: (this: SharedEventSource, event: EventSourceEvents[K]) => unknown,
    options?: boolean | AddListenerOptions,
  ): void;
  addEventListener(type: string, listener: (this: SharedEventSource, event: SSEMessageEvent) => unknown, options?: boolean | AddListenerOptions): void;
  addEventListener(type: string, listener: EventListenerLike, options?: boolean | AddListenerOptions): void;
  removeEventListener<K extends keyof EventSourceEvents>(
    type: K,
    listener: (this: SharedEventSource, event: EventSourceEvents[K]) => unknown,
    options?: boolean | ListenerOptions,
  ): void;
  removeEventListener(type: string, listener: (this: SharedEventSource, event: SSEMessageEvent) => unknown, options?: boolean | ListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerLike, options?: boolean | ListenerOptions): void;
}

inheritEventTarget(SharedEventSource);

defineEventSourceMembers(SharedEventSource, internals);
Object.defineProperty(SharedEventSource.prototype, Symbol.toStringTag, { value: 'SharedEventSource', configurable: true });
