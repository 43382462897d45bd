// EventTarget base and event objects: the platform's own where constructible, a listener registry and createEvent/plain objects otherwise.

import { LEGACY, PAGE } from './legacy.js';

/** A listener as accepted by `addEventListener`: a function or an object with `handleEvent`. */
export type Listener = ((event: Event) => unknown) | { handleEvent(event: Event): unknown } | null;

interface Entry {
  listener: NonNullable<Listener>;
  capture: boolean;
  once: boolean;
  removed: boolean;
}

type Registry = Record<string, Entry[] | undefined>;
type Constructor = abstract new (...args: never[]) => object;

// The platform EventTarget when `new EventTarget()` works and Reflect.construct can subclass it.
// Legacy pages never have one (PAGE).
const NativeEventTarget: typeof EventTarget | null = !LEGACY
  ? EventTarget
  : PAGE
    ? null
    : (() => {
        try {
          if (typeof EventTarget === 'function' && typeof Reflect === 'object' && typeof Reflect.construct === 'function') {
            new EventTarget();
            return EventTarget;
          }
        } catch {
          // Not constructible (old Safari, Edge 18): use the registry.
        }
        return null;
      })();

function constructible(ctor: unknown, type: string): boolean {
  try {
    return typeof ctor === 'function' && new (ctor as typeof Event)(type).type === type;
  } catch {
    return false;
  }
}

// Legacy pages (PAGE) make every event with document.createEvent.
const nativeEvent = !LEGACY || (!PAGE && constructible(typeof Event === 'function' ? Event : undefined, 'open'));
const nativeMessageEvent = !LEGACY || (!PAGE && constructible(typeof MessageEvent === 'function' ? MessageEvent : undefined, 'message'));
const doc: Document | undefined = typeof document === 'object' && document ? document : undefined;

function captureFlag(options: unknown): boolean {
  return typeof options === 'object' && options !== null ? !!(options as AddEventListenerOptions).capture : !!options;
}

// Reports a listener's exception the way the platform reports an uncaught one, before the next
// listener runs and without unwinding our dispatch. Where reportError is missing (IE), the error is
// rethrown from a listener of a DOM event dispatched for the purpose: the platform reports an
// exception thrown there at once (window.onerror) and returns from dispatchEvent. A timer is the
// last resort (workers without reportError): the report then comes after the dispatch.
function report(error: unknown): void {
  const g = (typeof globalThis === 'object' ? globalThis : {}) as { reportError?: (e: unknown) => void };
  const rethrow = () => {
    throw error;
  };
  if (!PAGE && typeof g.reportError === 'function') return g.reportError(error);
  if (PAGE || (doc && typeof doc.createEvent === 'function' && typeof doc.createElement === 'function')) {
    const element = (doc as Document).createElement('i');
    element.addEventListener('error', rethrow);
    element.dispatchEvent(initEvent('error'));
  } else setTimeout(rethrow, 0);
}

/** Defines a read-only own property on an event object (a host object that refuses keeps its value). */
export function setReadOnly(event: object, name: string, value: unknown): void {
  try {
    Object.defineProperty(event, name, { value, configurable: true, enumerable: true });
  } catch {
    // A host object that refuses own properties keeps its own value.
  }
}

// The DOM's listener semantics for engines without a constructible EventTarget (IE): dedupe by
// (listener, capture), `once`, `handleEvent` objects, listeners added during a dispatch not
// called, removed ones skipped, exceptions reported without stopping the others.
const addEventListener = function (this: { __ssekitListeners: Registry }, type: string, listener: Listener, options?: unknown) {
  if (!listener) return;
  type = String(type);
  const capture = captureFlag(options);
  const list = this.__ssekitListeners[type] || (this.__ssekitListeners[type] = []);
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as Entry;
    if (entry.listener === listener && entry.capture === capture) return;
  }
  const once = typeof options === 'object' && options !== null && !!(options as AddEventListenerOptions).once;
  list.push({ listener, capture, once, removed: false });
};
const removeEventListener = function (this: { __ssekitListeners: Registry }, type: string, listener: Listener, options?: unknown) {
  const list = this.__ssekitListeners[String(type)];
  if (!list || !listener) return;
  const capture = captureFlag(options);
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as Entry;
    if (entry.listener === listener && entry.capture === capture) {
      entry.removed = true;
      list.splice(i, 1);
      return;
    }
  }
};
const dispatchEvent = function (this: { __ssekitListeners: Registry }, event: Event) {
  const list = this.__ssekitListeners[event.type];
  setReadOnly(event, 'target', this);
  setReadOnly(event, 'srcElement', this);
  setReadOnly(event, 'currentTarget', this);
  setReadOnly(event, 'eventPhase', 2);
  // Our loop cannot read a host event's stop flag: wrap the method to learn of the call.
  let stopped = false;
  const stop = event.stopImmediatePropagation;
  setReadOnly(event, 'stopImmediatePropagation', function () {
    stopped = true;
    if (stop) stop.call(event);
  });
  // At the target, capture listeners run before the others (DOM §2.9 "dispatch": invoke with
  // "capturing", then "bubbling"), each pass over the list as it is when the pass starts.
  for (let pass = 0; list && pass < 2 && !stopped; pass++) {
    const snapshot = list.slice();
    for (let i = 0; i < snapshot.length && !stopped; i++) {
      const entry = snapshot[i] as Entry;
      if (entry.removed || entry.capture !== (pass === 0)) continue;
      if (entry.once) (this as unknown as EventTarget).removeEventListener(event.type, entry.listener as EventListener, entry.capture);
      try {
        const l = entry.listener;
        if (typeof l === 'function') l.call(this, event);
        else if (typeof l.handleEvent === 'function') l.handleEvent(event);
      } catch (error) {
        report(error);
      }
    }
  }
  setReadOnly(event, 'currentTarget', null);
  setReadOnly(event, 'eventPhase', 0);
  return !event.defaultPrevented;
};

/**
 * Makes instances of `ctor` event targets: on engines with a constructible `EventTarget`,
 * `ctor.prototype` (and `ctor` itself) inherit from it, as `class extends EventTarget` would;
 * elsewhere the registry's `addEventListener` / `removeEventListener` / `dispatchEvent` are
 * copied onto `ctor.prototype`. Call once per class, right after defining it.
 */
export function inheritEventTarget(ctor: { prototype: object }): void {
  if (!LEGACY || NativeEventTarget) {
    // Static inheritance too (Node checks constructor[kIsEventTarget]).
    const Native = NativeEventTarget as typeof EventTarget;
    Object.setPrototypeOf(ctor, Native);
    Object.setPrototypeOf(ctor.prototype, Native.prototype);
  } else {
    const proto = ctor.prototype as Record<string, unknown>;
    proto['addEventListener'] = addEventListener;
    proto['removeEventListener'] = removeEventListener;
    proto['dispatchEvent'] = dispatchEvent;
  }
}

/**
 * Returns the object the constructor of `ctor` (a class passed to {@link inheritEventTarget})
 * must use as `this`: a real `EventTarget` made with `Reflect.construct` (prototype from
 * `newTarget`) where possible, else `instance` with an empty listener registry. Throws a
 * `TypeError` when the class was called without `new` (compiled to ES5, `new.target` cannot tell).
 */
export function initEventTarget<T extends object>(instance: T, newTarget: Constructor | undefined, ctor: Constructor, name: string): T {
  if (!newTarget || !(instance instanceof ctor)) throw new TypeError("Failed to construct '" + name + "': Please use the 'new' operator.");
  if (!LEGACY || NativeEventTarget) return Reflect.construct(NativeEventTarget as typeof EventTarget, [], newTarget) as T;
  Object.defineProperty(instance, '__ssekitListeners', { value: {} as Registry, writable: true });
  return instance;
}

/** The listener an event handler attribute adds: it calls `handler`, the attribute's current value. */
export type HandlerListener = EventListener & { handler: unknown };

/**
 * The accessor of an event handler attribute for events of `type` (HTML §8.1.8.1), for a class
 * whose instances keep their handlers' listeners in `slots(instance).handlers`: the first non-null
 * assignment adds one listener that calls whatever handler is current, so the handler keeps the
 * position of its first assignment among listeners; null removes it. Non-objects become null, as
 * in Chromium. `slots` throws for a foreign `this`.
 */
export function handlerAttribute(type: string, slots: (target: unknown) => { handlers: Record<string, HandlerListener | undefined> }): PropertyDescriptor {
  return {
    get(this: EventTarget) {
      const listener = slots(this).handlers[type];
      return listener ? listener.handler : null;
    },
    set(this: EventTarget, value: unknown) {
      const map = slots(this).handlers;
      let listener = map[type];
      if (typeof value === 'function' || (typeof value === 'object' && value !== null)) {
        if (!listener) {
          listener = map[type] = function (this: EventTarget, event: Event) {
            const current = (listener as HandlerListener).handler;
            return typeof current === 'function' ? current.call(this, event) : undefined;
          } as HandlerListener;
          this.addEventListener(type, listener);
        }
        listener.handler = value;
      } else if (listener) {
        this.removeEventListener(type, listener);
        delete map[type];
      }
    },
    enumerable: true,
    configurable: true,
  };
}

/** The internal slots `defineEventSourceMembers` reads: the IDL attributes and the handler listeners. */
export interface EventSourceSlots {
  url: string;
  withCredentials: boolean;
  readyState: number;
  handlers: Record<string, HandlerListener | undefined>;
}

/**
 * Defines the members of the `EventSource` interface (HTML §9.2.2) on a class: the constants
 * `CONNECTING` (0), `OPEN` (1) and `CLOSED` (2), enumerable and read-only, on the constructor and
 * the prototype; `url`, `withCredentials` and `readyState` as read-only accessors of the slots that
 * `slots(instance)` returns; `onopen`, `onmessage`, `onerror`; and the class's own `close`. On the
 * prototype they come in the order WebIDL gives an interface prototype object (§3.7.3: regular
 * attributes, regular operations, constants), which for-in lists; no engine agrees (Chromium puts
 * the constants before close, Firefox close first). The class body defined close first, so it is
 * taken off and put back after the attributes, enumerable as IDL operations are (class methods are not).
 */
export function defineEventSourceMembers(ctor: { prototype: object }, slots: (target: unknown) => EventSourceSlots): void {
  const constants: PropertyDescriptorMap = {
    CONNECTING: { value: 0, enumerable: true },
    OPEN: { value: 1, enumerable: true },
    CLOSED: { value: 2, enumerable: true },
  };
  const getter = (name: 'url' | 'withCredentials' | 'readyState'): PropertyDescriptor => ({
    get(this: unknown) {
      return slots(this)[name];
    },
    enumerable: true,
    configurable: true,
  });
  const prototype = ctor.prototype as { close?: unknown };
  const close = prototype.close;
  delete prototype.close;
  Object.defineProperties(ctor, constants);
  Object.defineProperties(prototype, {
    url: getter('url'),
    withCredentials: getter('withCredentials'),
    readyState: getter('readyState'),
    onopen: handlerAttribute('open', slots),
    onmessage: handlerAttribute('message', slots),
    onerror: handlerAttribute('error', slots),
    close: { value: close, enumerable: true, writable: true, configurable: true },
  });
  Object.defineProperties(prototype, constants);
}

// Plain-object events for engines with neither constructors nor document.createEvent.
function plainEvent(type: string): Event {
  return {
    type,
    target: null,
    currentTarget: null,
    eventPhase: 0,
    bubbles: false,
    cancelable: false,
    defaultPrevented: false,
    isTrusted: false,
    timeStamp: new Date().getTime(),
    preventDefault() {},
    stopPropagation() {},
    stopImmediatePropagation() {},
  } as unknown as Event;
}

/** Creates a simple, non-bubbling, non-cancelable event named `type` (`open`, `error`). */
export function createSimpleEvent(type: string): Event {
  if (nativeEvent) return new Event(type);
  if (PAGE) return initEvent(type);
  if (doc && typeof doc.createEvent === 'function') {
    try {
      return initEvent(type);
    } catch {
      // fall through to a plain object
    }
  }
  return plainEvent(type);
}

// A simple event made the DOM Level 2 way, which documents of every age support.
function initEvent(type: string): Event {
  const event = (doc as Document).createEvent('Event');
  event.initEvent(type, false, false);
  return event;
}

// Whether createEvent('MessageEvent') + initMessageEvent works (documents, IE9-11 included), probed once.
const initEvents: boolean =
  PAGE ||
  (!!doc &&
    (() => {
      try {
        (doc.createEvent('MessageEvent') as MessageEvent).initMessageEvent('message', false, false, '', '', '', null, []);
        return true;
      } catch {
        return false;
      }
    })());

// Whether an event may get an own `origin` (see createMessageEvent). WebKit before Safari 10
// (Android 4.3 and older) defines event attributes on each event, non-configurable: redefining
// one throws there, so such engines get the origin through initMessageEvent.
const ownOrigin: boolean =
  !LEGACY ||
  (initEvents &&
    (() => {
      try {
        Object.defineProperty((doc as Document).createEvent('MessageEvent'), 'origin', { value: '' });
        return true;
      } catch {
        return false;
      }
    })());

/**
 * Creates the `MessageEvent` of HTML §9.2.6 "dispatch the event": `data`, `origin`, `lastEventId`,
 * `source` null, `ports` an empty array. In a document it uses `createEvent` + `initMessageEvent`
 * (also what IE9-11 offer): in Chromium that is ~20 % cheaper than the constructor, whose
 * dictionary argument is read member by member. There `origin` is an own read-only property
 * of the event (see below), except in old WebKit, which refuses it. Elsewhere (workers, Node) the constructor;
 * without either, a plain object.
 */
export function createMessageEvent(type: string, data: string, origin: string, lastEventId: string): MessageEvent {
  if (initEvents) {
    const event = (doc as Document).createEvent('MessageEvent') as MessageEvent;
    // Chromium parses the origin handed to initMessageEvent (or to the constructor) as a URL on
    // every call (SecurityOrigin::CreateFromString), which its own EventSource never does: ~1 µs
    // per event, a sixth of the throughput on small events (npm run bench). Given as an own
    // enumerable property instead, it reads the same (e.origin, 'origin' in e, for-in); own-key
    // reflection (Object.keys, hasOwnProperty, JSON.stringify) lists it, and MessageEvent.prototype's
    // getter called on the event gives ''.
    // Source and ports left to their defaults where the engine has them (an empty array converted
    // to a sequence<MessagePort> on every call costs a few per cent); IE needs every argument.
    if (LEGACY) event.initMessageEvent(type, false, false, data, ownOrigin ? '' : origin, lastEventId, null, []);
    else event.initMessageEvent(type, false, false, data, '', lastEventId);
    if (ownOrigin) Object.defineProperty(event, 'origin', { value: origin, configurable: true, enumerable: true });
    if (LEGACY && !event.ports) setReadOnly(event, 'ports', []);
    return event;
  }
  if (nativeMessageEvent) return new MessageEvent(type, { data, origin, lastEventId });
  const event = plainEvent(type) as unknown as Record<string, unknown>;
  event['data'] = data;
  event['origin'] = origin;
  event['lastEventId'] = lastEventId;
  event['source'] = null;
  event['ports'] = [];
  return event as unknown as MessageEvent;
}
