// install(): makes ssekit's EventSource the global EventSource where the platform has none (ssekit/polyfill calls it on import).

import { EventSource } from './eventsource.js';
import { PAGE } from './legacy.js';

/**
 * Sets `globalThis.EventSource` (or `window`/`self` on engines without `globalThis`) to ssekit's
 * `EventSource` when the global has no `EventSource`; a native one is never replaced. The page-only
 * build (dist/polyfill.js) installs nothing where there is no document (a worker), where it could
 * not work. Returns the `EventSource` the global now has.
 */
export function install(): typeof EventSource {
  const g = (typeof globalThis === 'object' ? globalThis : typeof self === 'object' ? self : window) as unknown as Record<string, unknown>;
  if (typeof g['EventSource'] !== 'function' && (!PAGE || (typeof document === 'object' && !!document))) g['EventSource'] = EventSource;
  return g['EventSource'] as typeof EventSource;
}
