// What a tab offers the groups of ssekit/shared (Web Locks, BroadcastChannel, the page lifecycle events) and where its groups are kept; unit tests put fakes in its place.

import type { Group } from './group.js';

/** The part of a `BroadcastChannel` a group uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** The part of the Web Locks `LockManager` a group uses. */
export interface LockManagerLike {
  request(name: string, options: { signal: AbortSignal }, callback: (lock: unknown) => unknown): PromiseLike<unknown>;
}

/** An object the page lifecycle events are dispatched at. */
export interface LifecycleTarget {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

/** A tab (page or worker) as the groups see it. */
export interface Environment {
  /** Web Locks, or null where it is missing (Web Locks needs a secure context: https, or http://localhost). */
  locks: LockManagerLike | null;
  /** Opens a `BroadcastChannel`, or null where there is none. */
  channel: ((name: string) => ChannelLike) | null;
  /** Where `freeze` and `resume` are dispatched (the document); null in workers. */
  document: LifecycleTarget | null;
  /** Where `pagehide` and `pageshow` are dispatched (the window); null in workers. */
  window: LifecycleTarget | null;
  /** This tab's shared groups, by stream key. */
  groups: Record<string, Group | undefined>;
}

const groups: Record<string, Group | undefined> = {};
let forced: Environment | null = null;

/**
 * Replaces the environment new groups are created in (unit tests pass fakes, one per simulated
 * tab); `null` restores the platform's. Returns the previous setting.
 */
export function setEnvironment(next: Environment | null): Environment | null {
  const previous = forced;
  forced = next;
  return previous;
}

/**
 * The platform as it is now: read at each construction, so that sharing follows what the page
 * has (a page that deletes `navigator.locks` gets connections of its own from then on).
 */
export function environment(): Environment {
  if (forced) return forced;
  const locks = typeof navigator === 'object' && navigator && navigator.locks && typeof navigator.locks.request === 'function' ? navigator.locks : null;
  return {
    locks: locks as LockManagerLike | null,
    channel: typeof BroadcastChannel === 'function' ? (name) => new BroadcastChannel(name) as unknown as ChannelLike : null,
    document: typeof document === 'object' && document ? document : null,
    window: typeof window === 'object' && window && typeof window.addEventListener === 'function' ? window : null,
    groups,
  };
}
