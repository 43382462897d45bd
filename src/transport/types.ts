// The one interface every transport implements: start a request, report its response progressively, abort it.

import type { CredentialsMode, FetchLike, RequestBody } from '../dom-types.js';

export type { FetchLike };

/** What to send. Header names and values must already be valid ByteStrings. */
export interface TransportRequest {
  url: string;
  /** HTTP method, e.g. `"GET"`. */
  method: string;
  headers: Record<string, string>;
  /** Request body; `null` for none. */
  body: RequestBody | null;
  /** Send cookies and HTTP auth cross-origin too (fetch `credentials: 'include'`, XHR `withCredentials`). */
  withCredentials: boolean;
  /** fetch's `credentials` mode when given; overrides `withCredentials` for the fetch transport. */
  credentials?: CredentialsMode | undefined;
  /** The function the fetch transport calls instead of the global `fetch`; with it, connections take the fetch transport wherever `TextDecoder` exists. */
  fetch?: FetchLike | undefined;
}

/** The response head, reported once before any body chunk. */
export interface TransportResponse {
  /** HTTP status; 0 never reaches here (that is a network error). */
  status: number;
  statusText: string;
  /** Final URL after redirects, or the requested URL where the platform cannot tell. */
  url: string;
  /** Reads a response header (case-insensitive); `null` when absent. */
  header(name: string): string | null;
}

/** Callbacks of one request. After `abort()` none of them is called again. */
export interface TransportHandlers {
  /** The response head arrived. */
  onResponse(response: TransportResponse): void;
  /**
   * A piece of the body: bytes (fetch) or already UTF-8-decoded text (XHR). A transport that can
   * pause (fetch) holds its next read until a promise returned settles (backpressure).
   */
  onChunk(chunk: Uint8Array | string): PromiseLike<unknown> | void;
  /**
   * The body ended; `error` is true for a network error (refused, reset, aborted by the network),
   * and `blocked` too when the transport could tell the CORS check failed (retrying is futile).
   * `cause` is the platform's error where it gives one (fetch's rejection, a failed read).
   * `aborted` is true for an abort ssekit did not start (`window.stop()`, the page's navigation):
   * Fetch's "aborted network error", where the transport can tell it from the network's errors.
   */
  onEnd(error: boolean, blocked?: boolean, cause?: unknown, aborted?: boolean): void;
}

/** Starts one request; returns the function that aborts it (idempotent, never throws). */
export type Transport = (request: TransportRequest, handlers: TransportHandlers) => () => void;
