// Streaming UTF-8 bytes-to-text decoding for one stream, dropping one leading BOM (HTML §9.2.6, Encoding §8.1).

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
 * Returns a streaming UTF-8 decoder for one stream, over the platform's `TextDecoder` (engines
 * without one use the XHR transport, which decodes by itself: see `fetchSupported`). The
 * response's `charset` is deliberately ignored: event streams are always UTF-8 (HTML §9.2.6).
 * Throws nothing.
 */
export function createDecoder(): StreamDecoder {
  const decoder = new TextDecoder();
  return {
    decode: (bytes) => decoder.decode(bytes, { stream: true }),
    flush: () => decoder.decode(),
  };
}
