// The retry policy of connect(): the delay before a reconnection (backoff, jitter, the server's retry:, Retry-After) and which requests may be sent again.

import type { Settings } from './options.js';

/**
 * The delay in ms before reconnection attempt `attempts + 1`: the base (`retry.initial`, or the
 * server's `retry:` value when it sent one) times `retry.factor` per attempt already made, capped at
 * `retry.max`, minus a random share (`retry.jitter`) of it.
 */
export function backoff(st: Settings, attempts: number, serverRetry: number | null): number {
  const base = serverRetry === null ? st.initial : serverRetry;
  const delay = Math.min(st.max, base * Math.pow(st.factor, attempts));
  return delay - st.jitter * Math.random() * delay;
}

/** Whether a request with this method may be sent again without repeating side effects (RFC 9110 §9.2.2). */
export function idempotent(method: string): boolean {
  return /^(GET|HEAD|OPTIONS|PUT|DELETE)$/i.test(method);
}

/** A `Retry-After` value in ms from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unparsable. */
export function retryAfter(value: string | null): number | null {
  if (value === null) return null;
  if (/^\s*\d+\s*$/.test(value)) return parseInt(value, 10) * 1000;
  const date = Date.parse(value);
  return isNaN(date) ? null : Math.max(0, date - new Date().getTime());
}
