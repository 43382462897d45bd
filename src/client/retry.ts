// The retry policy of connect(): the delay before a reconnection (backoff, jitter, the server's retry:, Retry-After) and which requests may be sent again.

import type { Settings } from './options.js';

/**
 * The wait in ms before reconnection attempt `attempts + 1`. The delay: the base (`retry.initial`,
 * or the server's `retry:` value when it sent one), raised to `retry.min`, times `retry.factor` per
 * attempt already made, capped at `retry.max`. Without `after`, the wait is that delay minus a
 * random share (`retry.jitter`) of its part above `retry.min`: in [min, delay], spread after the
 * cap too. With `after` (a `Retry-After`, in ms), never sooner than the server asked: `after`
 * (at least `retry.min`) plus a random share (`retry.jitter`) of the delay.
 */
export function backoff(st: Settings, attempts: number, serverRetry: number | undefined, after: number | null): number {
  const delay = Math.min(st.max, Math.max(st.min, serverRetry === undefined ? st.initial : serverRetry) * Math.pow(st.factor, attempts));
  const share = st.jitter * Math.random();
  return after === null ? delay - share * (delay - st.min) : Math.max(after, st.min) + share * delay;
}

/** Whether a request with this method may be sent again without repeating side effects (RFC 9110 §9.2.2). */
export function idempotent(method: string): boolean {
  return /^(GET|HEAD|OPTIONS|PUT|DELETE)$/i.test(method);
}

/**
 * A response's `Retry-After` in ms from now (RFC 9110 §10.2.3): delta-seconds, or an HTTP date
 * taken relative to the response's `Date` when readable (so a client clock that is off does not
 * matter), else to the local clock. Null when absent or unparsable.
 */
export function retryAfter(headers: { get(name: string): string | null }): number | null {
  const value = headers.get('Retry-After');
  if (value === null) return null;
  if (/^\s*\d+\s*$/.test(value)) return +value * 1000;
  const date = Date.parse(value);
  return isNaN(date) ? null : Math.max(0, date - (Date.parse(headers.get('Date') as string) || new Date().getTime()));
}
