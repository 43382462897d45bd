// Streaming UTF-8 bytes-to-text decoding for one stream, dropping one leading BOM (HTML §9.2.6, Encoding §8.1).

import { LEGACY } from './legacy.js';

/** A streaming decoder for one response body. Create a new one per connection. */
export interface StreamDecoder {
  /**
   * Decodes the next bytes of the stream. A multi-byte sequence split across calls is held back
   * until it completes; invalid bytes become U+FFFD, one per maximal invalid subpart.
   */
  decode(bytes: Uint8Array): string;
  /** Ends the stream: an incomplete sequence still held back becomes one U+FFFD. */
  flush(): string;
}

/**
 * The Encoding Standard's UTF-8 decoder (§8.1.1), written out for engines without
 * `TextDecoder`. Same output as `new TextDecoder()` with `{ stream: true }`, BOM included.
 */
export function createUtf8Decoder(): StreamDecoder {
  let codePoint = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let bomPossible = true;

  function decode(bytes: Uint8Array): string {
    let out = '';
    // Code units gathered before a String.fromCharCode call; bounded to stay under argument limits.
    const units: number[] = [];
    const length = bytes.length;
    for (let i = 0; i < length; i++) {
      const byte = bytes[i] as number;
      if (needed === 0) {
        if (byte < 0x80) {
          units.push(byte);
        } else if (byte >= 0xc2 && byte <= 0xdf) {
          needed = 1;
          codePoint = byte & 0x1f;
        } else if (byte >= 0xe0 && byte <= 0xef) {
          if (byte === 0xe0) lower = 0xa0;
          else if (byte === 0xed) upper = 0x9f;
          needed = 2;
          codePoint = byte & 0xf;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          if (byte === 0xf0) lower = 0x90;
          else if (byte === 0xf4) upper = 0x8f;
          needed = 3;
          codePoint = byte & 0x7;
        } else {
          units.push(0xfffd);
        }
      } else if (byte < lower || byte > upper) {
        // The sequence so far is one maximal invalid subpart; this byte starts over.
        codePoint = needed = seen = 0;
        lower = 0x80;
        upper = 0xbf;
        units.push(0xfffd);
        i--;
        continue;
      } else {
        lower = 0x80;
        upper = 0xbf;
        codePoint = (codePoint << 6) | (byte & 0x3f);
        if (++seen === needed) {
          if (codePoint > 0xffff) {
            codePoint -= 0x10000;
            units.push(0xd800 + (codePoint >> 10), 0xdc00 + (codePoint & 0x3ff));
          } else units.push(codePoint);
          codePoint = needed = seen = 0;
        }
      }
      if (units.length >= 8192) {
        out += String.fromCharCode.apply(null, units);
        units.length = 0;
      }
    }
    if (units.length > 0) out += String.fromCharCode.apply(null, units);
    return stripBom(out);
  }

  function stripBom(text: string): string {
    if (!bomPossible || text === '') return text;
    bomPossible = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  function flush(): string {
    const incomplete = needed !== 0;
    codePoint = needed = seen = 0;
    lower = 0x80;
    upper = 0xbf;
    const out = incomplete ? stripBom('\ufffd') : '';
    // Like TextDecoder's final decode(): the decoder is then ready for a new stream, BOM included.
    bomPossible = true;
    return out;
  }

  return { decode, flush };
}

/**
 * Returns a streaming UTF-8 decoder for one stream: the platform's `TextDecoder` where there is
 * one, {@link createUtf8Decoder} otherwise. The response's `charset` is deliberately ignored:
 * event streams are always UTF-8 (HTML §9.2.6). Throws nothing.
 */
export function createDecoder(): StreamDecoder {
  if (LEGACY && typeof TextDecoder !== 'function') return createUtf8Decoder();
  const decoder = new TextDecoder();
  return {
    decode: (bytes) => decoder.decode(bytes, { stream: true }),
    flush: () => decoder.decode(),
  };
}
