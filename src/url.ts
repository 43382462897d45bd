// URL helpers for engines with or without the URL class: resolve against the document base, origin, UTF-8 header bytes.

import { LEGACY, PAGE } from './legacy.js';

declare const document: Document | undefined;
declare const location: Location | undefined;

// The base for relative URLs: the document's base URL in a page, the worker's location in a worker.
function baseURL(): string | undefined {
  if (typeof document === 'object' && document && document.baseURI) return document.baseURI;
  if (typeof location === 'object' && location && location.href) return location.href;
  return undefined;
}

const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

// The WHATWG URL parser: the serialized URL (or its origin), null (or "null") when it fails.
function parse(input: string, base: string | undefined, origin?: boolean): string | null;
function parse(input: string, base: string | undefined, origin: true): string;
function parse(input: string, base: string | undefined, origin?: boolean): string | null {
  try {
    const url = base === undefined ? new URL(input) : new URL(input, base);
    return origin ? url.origin : url.href;
  } catch {
    return origin ? 'null' : null;
  }
}

/**
 * Resolves `input` against the document's base URL (WHATWG URL parser where `URL` exists; an
 * `<a>` element in IE; a plain RFC 3986 merge without either). Returns the serialized absolute
 * URL, or `null` when it cannot be parsed (the caller throws a `SyntaxError`).
 */
export function resolveURL(input: string): string | null {
  const base = baseURL();
  if (!LEGACY || (!PAGE && typeof URL === 'function')) return parse(input, base);
  if (PAGE || (typeof document === 'object' && document && typeof document.createElement === 'function')) {
    const a = (document as Document).createElement('a');
    a.href = input;
    // IE's <a> resolves what the URL parser rejects (a bad host or port): check the authority too.
    const parts = SPLIT.exec(a.href);
    return ABSOLUTE.test(a.href) && parts && (!parts[2] || normalizeAuthority((parts[1] as string).toLowerCase(), parts[2])) ? a.href : null;
  }
  return mergeURL(input, base);
}

const SPLIT = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/;

// RFC 3986 §5.2.4: resolve "." and ".." segments.
function removeDotSegments(path: string): string {
  const input = path.split('/');
  const output: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const segment = input[i] as string;
    if (segment === '..') {
      if (output.length > 1) output.pop();
      if (i === input.length - 1) output.push('');
    } else if (segment === '.') {
      if (i === input.length - 1) output.push('');
    } else output.push(segment);
  }
  return output.join('/');
}

// Lower-cases scheme and host, drops default ports and userinfo-free checks; null for a bad authority.
function normalizeAuthority(scheme: string, authority: string): string | null {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  // eslint-disable-next-line no-control-regex -- controls, spaces and these are forbidden host code points (an <a> percent-encodes a space, as Chromium does)
  if (/[\x00-\x20<>\\^`{|}]/.test(hostPort) || hostPort.split('[').length !== hostPort.split(']').length) return null;
  const port = /:(\d*)$/.exec(hostPort);
  if (port && +(port[1] as string) > 65535) return null;
  let host = authority.toLowerCase();
  if ((scheme === 'http' && /:80$/.test(host)) || (scheme === 'https' && /:443$/.test(host))) host = host.slice(0, host.lastIndexOf(':'));
  return host;
}

// RFC 3986 §5.2 reference resolution for engines with neither URL nor a DOM (IE10-11 workers).
// Groups that did not participate are tested by truthiness: old engines (mujs, IE8) report them as ''.
function mergeURL(input: string, base: string | undefined): string | null {
  // eslint-disable-next-line no-control-regex -- the URL parser strips C0 controls and spaces
  input = input.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  const r = SPLIT.exec(input);
  const b = base === undefined ? null : SPLIT.exec(base);
  if (!r) return null;
  const hasAuthority = (url: string) => /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?\/\//.test(url);
  let scheme: string;
  let authority: string | null;
  let path: string;
  let query: string;
  if (r[1]) {
    scheme = r[1];
    authority = hasAuthority(input) ? r[2] || '' : null;
    path = removeDotSegments(r[3] || '');
    query = r[4] || '';
  } else {
    if (!b || !b[1]) return null;
    scheme = b[1];
    if (hasAuthority(input)) {
      authority = r[2] || '';
      path = removeDotSegments(r[3] || '');
      query = r[4] || '';
    } else {
      authority = hasAuthority(base as string) ? b[2] || '' : null;
      const basePath = b[3] || '';
      if (!r[3]) {
        path = basePath;
        query = r[4] || b[4] || '';
      } else {
        const dir = authority !== null && basePath === '' ? '/' : basePath.slice(0, basePath.lastIndexOf('/') + 1);
        path = removeDotSegments(r[3].charAt(0) === '/' ? r[3] : dir + r[3]);
        query = r[4] || '';
      }
    }
  }
  scheme = scheme.toLowerCase();
  const fragment = r[5] || '';
  if (authority === null) return scheme + ':' + path + query + fragment;
  const host = normalizeAuthority(scheme, authority);
  if (host === null || host === '') return null;
  return scheme + '://' + host + (path === '' ? '/' : path) + query + fragment;
}

/** The ASCII serialization of `url`'s origin, e.g. `"http://127.0.0.1:3001"` (`"null"` for opaque ones). */
export function originOf(url: string): string {
  if (!LEGACY || (!PAGE && typeof URL === 'function')) return parse(url, undefined, true);
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#]*)/.exec(url);
  if (!match) return 'null';
  const scheme = (match[1] as string).toLowerCase();
  let host = (match[2] as string).toLowerCase();
  if ((scheme === 'http' && /:80$/.test(host)) || (scheme === 'https' && /:443$/.test(host))) {
    host = host.slice(0, host.lastIndexOf(':'));
  }
  return scheme + '://' + host;
}

/**
 * Encodes `text` as UTF-8 and returns the bytes as a string of code units 0-255, the form
 * `Headers` and `setRequestHeader` send byte for byte (a lone surrogate becomes U+FFFD).
 */
export function utf8Bytes(text: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    // Only a lone surrogate makes it throw: pairs are kept, lone ones become U+FFFD.
    encoded = encodeURIComponent(text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (m) => (m.length === 2 ? m : '\ufffd')));
  }
  return encoded.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * True when a Content-Type header value's MIME type essence is `text/event-stream` (Fetch
 * "extract a MIME type": the last parsable type of a combined value wins, case-insensitive,
 * parameters ignored; `text/event-streamx` and a missing header are not).
 */
export function isEventStream(contentType: string | null): boolean {
  if (contentType === null) return false;
  const values = contentType.split(',');
  let essence = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as string;
    const semicolon = value.indexOf(';');
    const candidate = (semicolon === -1 ? value : value.slice(0, semicolon)).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '').toLowerCase();
    if (/^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(candidate) && candidate !== '*/*') essence = candidate;
  }
  return essence === 'text/event-stream';
}
