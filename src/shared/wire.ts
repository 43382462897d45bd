// connect()'s errors as they cross to another tab: the class by its name, the message, the plain fields, the cause.

import { ContentTypeError, GaveUpError, HeartbeatTimeoutError, HttpStatusError, NetworkError, ParseError, SSEError } from '../errors.js';
import type { WireError } from './protocol.js';

const CLASSES: Record<string, { prototype: SSEError } | undefined> = {
  SSEError,
  HttpStatusError,
  ContentTypeError,
  NetworkError,
  HeartbeatTimeoutError,
  ParseError,
  GaveUpError,
};

// The headers an HttpStatusError keeps in the other tabs: its headers can be asked by name only,
// so the ones a client acts on are copied.
const HEADERS = ['content-type', 'retry-after', 'www-authenticate', 'date'];

/** `error` as plain data for `postMessage`: name, message, its own fields of plain values, and its cause so. */
export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  const own = error as unknown as Record<string, unknown>;
  for (const key of Object.keys(own)) {
    const value = own[key];
    if (key === 'name' || key === 'message') continue;
    if (key === 'headers' && value && typeof (value as { get?: unknown }).get === 'function') {
      const copy: Record<string, string> = {};
      for (const name of HEADERS) {
        const header = (value as { get(name: string): string | null }).get(name);
        if (header !== null && header !== undefined) copy[name] = header;
      }
      fields['headers'] = copy;
    } else if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  const cause = (error as { cause?: unknown }).cause;
  return { name: error.name, message: error.message, fields, cause: cause === undefined ? undefined : toWire(cause) };
}

/**
 * The error `wire` describes, rebuilt in this tab: an instance of the ssekit error class of its
 * name (an `HttpStatusError`'s `headers.get()` answers Content-Type, Retry-After,
 * WWW-Authenticate and Date), or an `Error` of that name.
 */
export function fromWire(wire: WireError): Error {
  const cause = wire.cause ? fromWire(wire.cause) : undefined;
  const Class = CLASSES[wire.name];
  let error: Error;
  if (Class) {
    error = new SSEError(wire.message, cause);
    Object.setPrototypeOf(error, Class.prototype);
  } else {
    error = new Error(wire.message);
    if (cause) Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  }
  error.name = wire.name;
  const target = error as unknown as Record<string, unknown>;
  for (const key of Object.keys(wire.fields)) {
    const value = wire.fields[key];
    if (key === 'headers' && value && typeof value === 'object') {
      const copy = value as Record<string, string | undefined>;
      target[key] = { get: (name: string) => copy[String(name).toLowerCase()] ?? null };
    } else target[key] = value;
  }
  return error;
}
