// One connection of an event stream, shared by EventSource and connect(): transport choice, request, decode, parse.

import { createDecoder, type StreamDecoder } from './decoder.js';
import type { Parser } from './parser.js';
import { fetchSupported, fetchTransport } from './transport/fetch.js';
import type { Transport, TransportRequest, TransportResponse } from './transport/types.js';
import { xhrTransport } from './transport/xhr.js';
import { utf8Bytes } from './url.js';

// null: pick per connection, so a page that loses fetch later still connects.
let forcedTransport: Transport | null = null;

/**
 * Forces the transport new connections use (unit tests pass a fake one); `null` restores the
 * default choice: streaming fetch where available, XMLHttpRequest otherwise. Returns the previous
 * setting. Connections already started keep theirs.
 */
export function setTransport(next: Transport | null): Transport | null {
  const previous = forcedTransport;
  forcedTransport = next;
  return previous;
}

/** What a connection reports to its owner. */
export interface ConnectionHandlers {
  /** The response head; return true to read the body into the parser, false to ignore it. */
  onResponse(response: TransportResponse): boolean;
  /** Any body bytes arrived (before they are parsed): heartbeats measure from here. */
  onActivity?(): void;
  /** The body ended (`error` false) or the network failed (`error` true). Not called after abort. */
  onEnd(error: boolean): void;
}

/**
 * Adds the request headers every event stream request carries: `Accept: text/event-stream` and,
 * when the last event ID string is not empty, `Last-Event-ID` as UTF-8 bytes (HTML §9.2.3).
 * Headers already in `headers` (any case) are kept. Returns `headers`.
 */
export function streamHeaders(headers: Record<string, string>, lastEventId: string): Record<string, string> {
  const present: Record<string, true> = {};
  for (const name in headers) present[name.toLowerCase()] = true;
  if (!present['accept']) headers['Accept'] = 'text/event-stream';
  if (lastEventId !== '' && !present['last-event-id']) headers['Last-Event-ID'] = utf8Bytes(lastEventId);
  return headers;
}

/**
 * Starts one connection: resets `parser` for a new stream, sends `request`, and feeds the body,
 * decoded as UTF-8 with a fresh decoder (one BOM dropped per stream), once `onResponse` accepts it.
 * Returns the function that aborts the request (idempotent).
 */
export function startConnection(request: TransportRequest, parser: Parser, handlers: ConnectionHandlers): () => void {
  parser.reset();
  let decoder: StreamDecoder | null = null;
  let accepted = false;
  const transport = forcedTransport || (fetchSupported() ? fetchTransport : xhrTransport);
  return transport(request, {
    onResponse: (response) => {
      accepted = handlers.onResponse(response);
    },
    onChunk: (chunk) => {
      if (!accepted) return;
      if (handlers.onActivity) handlers.onActivity();
      const text = typeof chunk === 'string' ? chunk : (decoder || (decoder = createDecoder())).decode(chunk);
      if (text !== '') parser.feed(text);
    },
    onEnd: (error) => handlers.onEnd(error),
  });
}
