// URL helpers: Last-Event-ID bytes, origins, the Content-Type check.

import { describe, expect, it } from 'vitest';
import { isEventStream, originOf, utf8Bytes } from '../src/url';

const bytes = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

describe('utf8Bytes', () => {
  it('encodes as UTF-8, one code unit per byte, leaving ASCII (even %XX text) as is', () => {
    expect(utf8Bytes('abc %41 %')).toBe('abc %41 %');
    expect(bytes(utf8Bytes('é€😀'))).toEqual([...new TextEncoder().encode('é€😀')]);
  });
  it('turns a lone surrogate into U+FFFD and keeps pairs', () => {
    expect(bytes(utf8Bytes('\ud800x😀\udc00'))).toEqual([...new TextEncoder().encode('\ufffdx😀\ufffd')]);
  });
});

describe('originOf', () => {
  it('serializes scheme, host and non-default port', () => {
    expect(originOf('HTTP://Example.COM:80/a?b')).toBe('http://example.com');
    expect(originOf('https://u:p@x.example:8443/')).toBe('https://x.example:8443');
    expect(originOf('data:text/plain,x')).toBe('null');
  });
});

describe('isEventStream', () => {
  it('compares the MIME essence case-insensitively and ignores parameters', () => {
    for (const ok of [
      'text/event-stream',
      'Text/Event-Stream',
      'text/event-stream;',
      'text/event-stream; charset=latin1',
      ' text/event-stream ',
      'text/html, text/event-stream',
    ]) {
      expect(isEventStream(ok), ok).toBe(true);
    }
    for (const bad of [null, '', 'text/event-streamx', 'text/plain', 'text/event-stream, text/html', 'text/ event-stream', 'text/event-stream, */*x']) {
      expect(isEventStream(bad), String(bad)).toBe(false);
    }
  });
});
