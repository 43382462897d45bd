// The heartbeat watch of connect(): no byte for heartbeatTimeout ms is a stall, measured on the clock so throttled timers raise no false alarm.

// A check this late means our timers were throttled or frozen: look once more before declaring a stall.
const LATE_TIMER = 1000;
// setTimeout fires at once for delays past 2^31-1 ms.
const MAX_DELAY = 2147483647;

/** The part of a stream's state the watch reads and writes. Times in ms since the epoch. */
export interface Watched {
  /** The pending check; cleared (and set to null) by the owner when the connection ends. */
  heartbeat: ReturnType<typeof setTimeout> | null;
  /** When the pending check is due. */
  heartbeatDue: number;
  /** When the last byte arrived. */
  lastActivity: number;
  /** The stream is closed. */
  closed?: boolean;
  /** Changes when the connection watched is replaced. */
  generation: number;
  /** Set while reading is held for a slow consumer: no bytes then is no stall. */
  resume?: unknown;
}

/** Current time in ms since the epoch. */
export function now(): number {
  return new Date().getTime();
}

/**
 * Checks in `delay` ms whether a byte arrived in the last `timeout` ms, and keeps checking while
 * bytes flow. When none did, calls `onStall` once, unless the connection watched is gone (the
 * stream closed, or `generation` changed). A check that runs more than a second late (a throttled or frozen
 * tab) looks once more, a second later, before declaring the stall.
 */
export function watchHeartbeat(s: Watched, timeout: number, delay: number, onStall: () => void): void {
  const generation = s.generation;
  s.heartbeatDue = now() + delay;
  s.heartbeat = setTimeout(
    () => {
      s.heartbeat = null;
      if (s.closed || generation !== s.generation) return;
      const t = now();
      const idle = s.resume ? 0 : t - s.lastActivity;
      if (idle < timeout) watchHeartbeat(s, timeout, timeout - idle, onStall);
      else if (t - s.heartbeatDue > LATE_TIMER) watchHeartbeat(s, timeout, Math.min(timeout, LATE_TIMER), onStall);
      else onStall();
    },
    Math.min(delay, MAX_DELAY),
  );
}
