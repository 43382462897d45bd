// A page's window, document and navigator for unit tests in Node: the lifecycle events a test fires, and the listeners left on them.

import { vi } from 'vitest';

/** What a test drives of the fake page. */
export interface FakePage {
  /** Fires a lifecycle event: `pagehide`, `pageshow` (with `persisted`) and `online` at the window, the others at the document. */
  fire(type: string, persisted?: boolean): void;
  /** Sets `document.visibilityState` and fires `visibilitychange`. */
  show(visible: boolean): void;
  /** Sets `navigator.onLine` (no event: fire `online` for that). */
  online(value: boolean): void;
  /** The listeners window and document hold, as sorted `"target type"` entries. */
  listeners(): string[];
}

const WINDOW_EVENTS = ['pagehide', 'pageshow', 'online', 'offline'];

/** Stubs `window`, `document` and `navigator` (undo with `vi.unstubAllGlobals()`). */
export function installFakePage(): FakePage {
  const held: Record<string, Set<unknown>> = {};
  const target = (name: string) => {
    const t = new EventTarget();
    const add = t.addEventListener.bind(t);
    const remove = t.removeEventListener.bind(t);
    t.addEventListener = (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) => {
      (held[`${name} ${type}`] ??= new Set()).add(listener);
      add(type, listener, options);
    };
    t.removeEventListener = (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) => {
      held[`${name} ${type}`]?.delete(listener);
      remove(type, listener, options);
    };
    return t;
  };
  const win = target('window');
  const doc = Object.assign(target('document'), { visibilityState: 'visible' });
  const nav = { onLine: true };
  vi.stubGlobal('window', win);
  vi.stubGlobal('document', doc);
  vi.stubGlobal('navigator', nav);
  return {
    fire(type, persisted) {
      const event = new Event(type);
      if (persisted !== undefined) Object.defineProperty(event, 'persisted', { value: persisted });
      (WINDOW_EVENTS.includes(type) ? win : doc).dispatchEvent(event);
    },
    show(visible) {
      doc.visibilityState = visible ? 'visible' : 'hidden';
      doc.dispatchEvent(new Event('visibilitychange'));
    },
    online(value) {
      nav.onLine = value;
    },
    listeners() {
      return Object.keys(held)
        .filter((key) => (held[key] as Set<unknown>).size > 0)
        .sort();
    },
  };
}
