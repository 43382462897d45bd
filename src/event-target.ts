// EventTarget base and event objects: the platform's own where constructible, a listener registry and createEvent/plain objects otherwise.

/** A listener as accepted by `addEventListener`: a function or an object with `handleEvent`. */
export type Listener = ((event: Event) => unknown) | { handleEvent(event: Event): unknown } | null;

interface Entry {
  listener: NonNullable<Listener>;
  capture: boolean;
  once: boolean;
  removed: boolean;
}

type Registry = Record<string, Entry[] | undefined>;

// The platform EventTarget when `new EventTarget()` works and Reflect.construct can subclass it.
const NativeEventTarget: typeof EventTarget | null = (() => {
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

const nativeEvent = constructible(typeof Event === 'function' ? Event : undefined, 'open');
const nativeMessageEvent = constructible(typeof MessageEvent === 'function' ? MessageEvent : undefined, 'message');
const doc: Document | undefined = typeof document === 'object' && document ? document : undefined;

function captureFlag(options: unknown): boolean {
  return typeof options === 'object' && options !== null ? !!(options as AddEventListenerOptions).capture : !!options;
}

// Reports a listener's exception the way the platform reports an uncaught one, without unwinding our dispatch.
function report(error: unknown): void {
  const g = (typeof globalThis === 'object' ? globalThis : {}) as { reportError?: (e: unknown) => void };
  if (typeof g.reportError === 'function') g.reportError(error);
  else
    setTimeout(() => {
      throw error;
    }, 0);
}

/** Defines a read-only own property on an event object (a host object that refuses keeps its value). */
export function setReadOnly(event: object, name: string, value: unknown): void {
  try {
    Object.defineProperty(event, name, { value, configurable: true, enumerable: true });
  } catch {
    // A host object that refuses own properties keeps its own value.
  }
}

/**
 * Constructor whose instances are real `EventTarget`s where the platform allows
 * (`Reflect.construct` with the subclass as new.target), and otherwise carry a listener registry
 * with the DOM's `addEventListener` / `removeEventListener` / `dispatchEvent` semantics:
 * dedupe by (listener, capture), `once`, `handleEvent` objects, listeners added during a dispatch
 * not called, removed ones skipped, exceptions reported without stopping the others.
 * Throws a `TypeError` when called without `new`.
 */
export const EventTargetBase = function EventTargetBase(this: object): object | void {
  if (!(this instanceof EventTargetBase)) throw new TypeError("Failed to construct: please use the 'new' operator.");
  if (NativeEventTarget) return Reflect.construct(NativeEventTarget, [], (this as { constructor: Function }).constructor);
  Object.defineProperty(this, '__ssekitListeners', { value: {} as Registry, writable: true });
} as unknown as { new (): EventTarget; prototype: EventTarget };

if (NativeEventTarget) {
  // Static inheritance too, as a class extending EventTarget has (Node checks constructor[kIsEventTarget]).
  Object.setPrototypeOf(EventTargetBase, NativeEventTarget);
  EventTargetBase.prototype = Object.create(NativeEventTarget.prototype, {
    constructor: { value: EventTargetBase, writable: true, configurable: true },
  });
} else {
  const proto = EventTargetBase.prototype as unknown as Record<string, unknown>;
  proto['addEventListener'] = function (this: { __ssekitListeners: Registry }, type: string, listener: Listener, options?: unknown) {
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
  proto['removeEventListener'] = function (this: { __ssekitListeners: Registry }, type: string, listener: Listener, options?: unknown) {
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
  proto['dispatchEvent'] = function (this: { __ssekitListeners: Registry }, event: Event) {
    const list = this.__ssekitListeners[event.type];
    setReadOnly(event, 'target', this);
    setReadOnly(event, 'currentTarget', this);
    setReadOnly(event, 'eventPhase', 2);
    if (list) {
      const snapshot = list.slice();
      for (let i = 0; i < snapshot.length; i++) {
        const entry = snapshot[i] as Entry;
        if (entry.removed) continue;
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
  if (doc && doc.createEvent) {
    try {
      const event = doc.createEvent('Event');
      event.initEvent(type, false, false);
      return event;
    } catch {
      // fall through to a plain object
    }
  }
  return plainEvent(type);
}

/**
 * Creates the `MessageEvent` of HTML §9.2.6 "dispatch the event": `data`, `origin`, `lastEventId`,
 * `source` null, `ports` an empty array. Falls back to `initMessageEvent` (IE9-11), then a plain object.
 */
export function createMessageEvent(type: string, data: string, origin: string, lastEventId: string): MessageEvent {
  if (nativeMessageEvent) return new MessageEvent(type, { data, origin, lastEventId });
  if (doc && doc.createEvent) {
    try {
      const event = doc.createEvent('MessageEvent') as MessageEvent & {
        initMessageEvent: (...args: unknown[]) => void;
      };
      event.initMessageEvent(type, false, false, data, origin, lastEventId, null, []);
      if (!event.ports) setReadOnly(event, 'ports', []);
      return event;
    } catch {
      // fall through to a plain object
    }
  }
  const event = plainEvent(type) as unknown as Record<string, unknown>;
  event['data'] = data;
  event['origin'] = origin;
  event['lastEventId'] = lastEventId;
  event['source'] = null;
  event['ports'] = [];
  return event as unknown as MessageEvent;
}
