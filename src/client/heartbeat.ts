// The heartbeat watch of connect(): no byte for heartbeatTimeout ms is a stall, measured on the clock so throttled timers raise no false alarm.

// A check this late means our timers were throttled or frozen: look once more before declaring a stall.
const LATE_TIMER = 1000;
// setTimeout fires at once for delays past 2^31-1 ms.
const MAX_DELAY = 2147483647;

/** Current time in ms since the epoch. */
export function now(): number {
  return new Date().getTime();
}

/**
 * Checks in `timeout` ms whether a byte arrived in the last `timeout` ms (`idle()`: ms since the
 * last byte, 0 while reading is held for a slow consumer), and keeps checking while bytes flow.
 * When none did, calls `onStall` once. A check that runs more than a second late (a throttled or
 * frozen tab) looks once more, a second later, before declaring the stall. Returns the function
 * that stops the watch (the owner calls it when the connection watched ends).
 */
export function watchHeartbeat(timeout: number, idle: () => number, onStall: () => void): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const check = (delay: number) => {
    const due = now() + delay;
    timer = setTimeout(
      () => {
        const quiet = idle();
        if (quiet < timeout) check(timeout - quiet);
        else if (now() - due > LATE_TIMER) check(Math.min(timeout, LATE_TIMER));
        else onStall();
      },
      Math.min(delay, MAX_DELAY),
    );
  };
  check(timeout);
  return () => clearTimeout(timer);
}
