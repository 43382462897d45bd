// Unit tests of src/decoder.ts (the streaming use of TextDecoder) and of the transport choice for engines without TextDecoder.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDecoder } from '../src/decoder';
import { fetchSupported } from '../src/transport/fetch';

const R = '\ufffd';
const utf8 = (s: string): number[] => Array.from(new TextEncoder().encode(s));

function decodeChunks(chunks: number[][]): string {
  const d = createDecoder();
  let out = '';
  for (const c of chunks) out += d.decode(new Uint8Array(c));
  return out + d.flush();
}

describe('createDecoder()', () => {
  it('holds back a sequence split across chunks, at every split of a 4-byte character', () => {
    const bytes = utf8('a\ud83d\ude00b');
    for (let i = 0; i <= bytes.length; i++) {
      expect(decodeChunks([bytes.slice(0, i), bytes.slice(i)]), `split at ${i}`).toBe('a\ud83d\ude00b');
    }
  });

  it('returns nothing for a chunk that ends inside a sequence, then completes it', () => {
    const d = createDecoder();
    expect(d.decode(new Uint8Array([0xe4, 0xbd]))).toBe('');
    expect(d.decode(new Uint8Array([0xa0, 0x41]))).toBe('\u4f60A');
  });

  it('drops one leading BOM, also split byte by byte, and keeps a second one', () => {
    expect(decodeChunks([[0xef], [0xbb], [0xbf], [0x41]])).toBe('A');
    expect(decodeChunks([[0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41]])).toBe('\ufeffA');
  });

  it('a new decoder per stream drops its own BOM', () => {
    expect([decodeChunks([[0xef, 0xbb, 0xbf, 0x61]]), decodeChunks([[0xef, 0xbb, 0xbf, 0x62]])]).toEqual(['a', 'b']);
  });

  it('turns invalid bytes into U+FFFD and an incomplete sequence at flush() into one', () => {
    expect(decodeChunks([[0x41, 0xff, 0xc3]])).toBe(`A${R}${R}`);
    expect(decodeChunks([[0xed, 0xa0, 0x80]])).toBe(`${R}${R}${R}`);
  });
});

describe('fetchSupported()', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is true with fetch, ReadableStream, Response bodies and TextDecoder', () => {
    expect(fetchSupported()).toBe(true);
  });

  it('is false without TextDecoder (EdgeHTML): such engines read the stream over XHR, which decodes by itself', () => {
    vi.stubGlobal('TextDecoder', undefined);
    expect(fetchSupported()).toBe(false);
  });

  it('is false without fetch or ReadableStream (IE)', () => {
    vi.stubGlobal('ReadableStream', undefined);
    expect(fetchSupported()).toBe(false);
    vi.unstubAllGlobals();
    vi.stubGlobal('fetch', undefined);
    expect(fetchSupported()).toBe(false);
  });
});
