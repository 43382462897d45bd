// What "the same stream" means to ssekit/shared: the parts of a request that make two of them one stream, and the name its tabs meet under.

import { PROTOCOL } from './protocol.js';

// FNV-1a over the UTF-16 code units, 32 bits, from `seed`.
function fnv(text: string, seed: number): string {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}

/** The key of the stream whose parts are `parts` (JSON values): equal keys, one stream. */
export function streamKey(parts: unknown[]): string {
  return JSON.stringify(parts);
}

/**
 * The name of the lock and the channel of the stream `key`: a hash of it, so that a header value
 * or a body in it is not spelled out in a name other scripts of the origin can list
 * (`navigator.locks.query()`), long enough that two streams of one origin do not meet by
 * accident. The protocol version is part of it.
 */
export function streamName(key: string): string {
  return 'ssekit/' + PROTOCOL + ' ' + fnv(key, 0x811c9dc5) + fnv(key.split('').reverse().join(''), 0x050c5d1f);
}
