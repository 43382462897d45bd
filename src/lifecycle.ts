// The page lifecycle events streams follow (back/forward cache, frozen and hidden pages, the network coming back), listened to only while a stream needs them.

import { LEGACY, PAGE } from './legacy.js';

/**
 * Adds `listener` to `target` (`on` true) or removes it, for each of the space-separated event
 * `types`: the same function both ways, so that a closed stream leaves no listener behind.
 */
export function listen(target: EventTarget, types: string, listener: (event: Event) => void, on: boolean): void {
  const names = types.split(' ');
  for (let i = 0; i < names.length; i++) {
    if (on) target.addEventListener(names[i] as string, listener);
    else target.removeEventListener(names[i] as string, listener);
  }
}

/**
 * Whether the code runs in a document (workers, Node and Deno's document-less window have no page
 * lifecycle to follow) whose window and document take listeners: every browser since IE9, so
 * every one the ES module build and the page-only build run in.
 */
export function inDocument(): boolean {
  return (
    PAGE ||
    (typeof document === 'object' &&
      !!document &&
      typeof window === 'object' &&
      (!LEGACY || (!!window && !!window.addEventListener && !!document.addEventListener)))
  );
}
