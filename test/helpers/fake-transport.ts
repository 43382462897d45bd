// A scripted Transport for unit tests: records each request and lets the test play the server's part.

import type { Transport, TransportHandlers, TransportRequest } from '../../src/transport/types';

/** One request the engine made, with controls to answer it. */
export interface FakeRequest {
  request: TransportRequest;
  handlers: TransportHandlers;
  aborted: boolean;
  /** The body ended or failed (the test called `end`). */
  ended: boolean;
  /** Sends the response head. */
  respond(status?: number, headers?: Record<string, string>, url?: string): void;
  /**
   * Sends a body chunk: a string is sent as UTF-8 bytes unless `asText` (the XHR form). Returns
   * what the engine returned: a promise holding the next read (backpressure), or nothing.
   */
  send(chunk: string | Uint8Array, asText?: boolean): PromiseLike<unknown> | void;
  /**
   * Ends the body; `error` for a network error, `blocked` for one the transport knows to be a CORS
   * failure, `cause` the platform's error, `aborted` for an abort the page caused (window.stop()).
   */
  end(error?: boolean, blocked?: boolean, cause?: unknown, aborted?: boolean): void;
}

/** Creates a fake transport and the list its requests are pushed to. */
export function createFakeTransport(): { transport: Transport; requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  const encoder = new TextEncoder();
  const transport: Transport = (request, handlers) => {
    const fake: FakeRequest = {
      request,
      handlers,
      aborted: false,
      ended: false,
      respond(status = 200, headers = { 'Content-Type': 'text/event-stream' }, url = request.url) {
        if (fake.aborted) throw new Error('respond() after abort');
        const lower: Record<string, string> = {};
        for (const name of Object.keys(headers)) lower[name.toLowerCase()] = headers[name] as string;
        handlers.onResponse({ status, statusText: '', url, header: (name) => lower[name.toLowerCase()] ?? null });
      },
      send(chunk, asText = false) {
        if (fake.aborted) throw new Error('send() after abort');
        return handlers.onChunk(typeof chunk === 'string' && !asText ? encoder.encode(chunk) : chunk);
      },
      end(error = false, blocked, cause, aborted) {
        if (fake.aborted) throw new Error('end() after abort');
        fake.ended = true;
        if (aborted !== undefined) handlers.onEnd(error, blocked, cause, aborted);
        else if (cause !== undefined) handlers.onEnd(error, blocked, cause);
        else if (blocked === undefined) handlers.onEnd(error);
        else handlers.onEnd(error, blocked);
      },
    };
    requests.push(fake);
    return () => {
      fake.aborted = true;
    };
  };
  return { transport, requests };
}
