// Unit tests of src/decoder.ts: our streaming UTF-8 fallback and createDecoder() against TextDecoder, split everywhere.
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createDecoder, createUtf8Decoder, type StreamDecoder } from '../src/decoder';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const utf8 = (s: string): number[] => Array.from(new TextEncoder().encode(s));

/** What the platform gives: `decode(chunk, { stream: true })` per chunk, then a final `decode()`. */
function platform(chunks: readonly Uint8Array[]): string {
  const td = new TextDecoder();
  let out = '';
  for (const c of chunks) out += td.decode(c, { stream: true });
  return out + td.decode();
}

function ours(make: () => StreamDecoder, chunks: readonly Uint8Array[]): string {
  const d = make();
  let out = '';
  for (const c of chunks) out += d.decode(c);
  return out + d.flush();
}

const factories: [string, () => StreamDecoder][] = [
  ['createUtf8Decoder', createUtf8Decoder],
  ['createDecoder', createDecoder],
];

/** Every 2-way split; for short inputs every 3-way split and one byte at a time too. */
function chunkings(input: Uint8Array): Uint8Array[][] {
  const n = input.length;
  const out: Uint8Array[][] = [[input]];
  for (let i = 0; i <= n; i++) out.push([input.subarray(0, i), input.subarray(i)]);
  if (n <= 24) {
    for (let i = 0; i <= n; i++) {
      for (let j = i; j <= n; j++) out.push([input.subarray(0, i), input.subarray(i, j), input.subarray(j)]);
    }
  }
  out.push(Array.from(input, (b) => bytes(b)));
  return out;
}

/** Both decoders, on every chunking, give `expected`, and so does TextDecoder. */
function expectDecode(input: number[], expected: string): void {
  const whole = new Uint8Array(input);
  for (const chunks of chunkings(whole)) {
    const label = JSON.stringify(chunks.map((c) => Array.from(c)));
    expect(platform(chunks), `TextDecoder ${label}`).toBe(expected);
    for (const [name, make] of factories) expect(ours(make, chunks), `${name} ${label}`).toBe(expected);
  }
}

const R = '\ufffd';

describe('valid UTF-8', () => {
  it('ASCII', () => expectDecode(utf8('data: hello\r\n\n'), 'data: hello\r\n\n'));
  it('2-byte sequences', () => expectDecode(utf8('\u00e9\u00ff\u0080\u07ff'), '\u00e9\u00ff\u0080\u07ff'));
  it('3-byte sequences', () => expectDecode(utf8('\u0800\u4f60\ufffd\uffff\ud7ff\ue000'), '\u0800\u4f60\ufffd\uffff\ud7ff\ue000'));
  it('4-byte sequences (astral)', () => expectDecode(utf8('\ud83d\ude00\u{10000}\u{10ffff}'), '\ud83d\ude00\u{10000}\u{10ffff}'));
  it('mixed', () => expectDecode(utf8('a\u00e9\u4f60\ud83d\ude00z\u0000'), 'a\u00e9\u4f60\ud83d\ude00z\u0000'));
  it('empty input and empty chunks', () => {
    for (const [, make] of factories) {
      expect(ours(make, [])).toBe('');
      expect(ours(make, [bytes(), bytes(0xc3), bytes(), bytes(0xa9), bytes()])).toBe('\u00e9');
    }
  });
});

describe('invalid bytes: one U+FFFD per maximal invalid subpart', () => {
  const cases: [string, number[], string][] = [
    ['lone continuation bytes', [0x80, 0x41, 0xbf, 0xbf], `${R}A${R}${R}`],
    ['overlong C0 80', [0xc0, 0x80], `${R}${R}`],
    ['overlong C1 BF', [0xc1, 0xbf], `${R}${R}`],
    ['overlong E0 80 80', [0xe0, 0x80, 0x80], `${R}${R}${R}`],
    ['overlong E0 9F BF', [0xe0, 0x9f, 0xbf], `${R}${R}${R}`],
    ['overlong F0 80 80 80', [0xf0, 0x80, 0x80, 0x80], `${R}${R}${R}${R}`],
    ['overlong F0 8F BF BF', [0xf0, 0x8f, 0xbf, 0xbf], `${R}${R}${R}${R}`],
    ['surrogate ED A0 80', [0xed, 0xa0, 0x80], `${R}${R}${R}`],
    ['surrogate ED BF BF', [0xed, 0xbf, 0xbf], `${R}${R}${R}`],
    ['last before surrogates ED 9F BF', [0xed, 0x9f, 0xbf], '\ud7ff'],
    ['above U+10FFFF F4 90 80 80', [0xf4, 0x90, 0x80, 0x80], `${R}${R}${R}${R}`],
    ['F5..FF', [0xf5, 0xf6, 0xf7, 0xf8, 0xfb, 0xfc, 0xfd, 0xfe, 0xff], R.repeat(9)],
    ['truncated 2-byte then ASCII', [0xc3, 0x41], `${R}A`],
    ['truncated 3-byte then ASCII', [0xe2, 0x82, 0x41], `${R}A`],
    ['truncated 4-byte then ASCII', [0xf0, 0x9f, 0x98, 0x41], `${R}A`],
    ['truncated 3-byte then a new lead', [0xe2, 0x82, 0xe2, 0x82, 0xac], `${R}\u20ac`],
    ['truncated 4-byte then a new lead', [0xf0, 0x9f, 0xf0, 0x9f, 0x98, 0x80], `${R}\ud83d\ude00`],
    ['truncated 2-byte at the end', [0x41, 0xc3], `A${R}`],
    ['truncated 3-byte at the end', [0x41, 0xe2, 0x82], `A${R}`],
    ['truncated 4-byte at the end', [0x41, 0xf0, 0x9f, 0x98], `A${R}`],
    ['lead byte alone at the end', [0xf0], R],
    ['too many continuations', [0xc3, 0xa9, 0xa9], `\u00e9${R}`],
    ['CR LF around garbage', [0x0d, 0xff, 0x0a], `\r${R}\n`],
  ];
  for (const [name, input, expected] of cases) it(name, () => expectDecode(input, expected));
});

describe('the BOM', () => {
  it('one leading BOM is stripped', () => expectDecode([0xef, 0xbb, 0xbf, 0x41], 'A'));
  it('a BOM alone is stripped', () => expectDecode([0xef, 0xbb, 0xbf], ''));
  it('a second BOM is kept', () => expectDecode([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41], '\ufeffA'));
  it('a BOM not at the start is kept', () => expectDecode([0x41, 0xef, 0xbb, 0xbf], 'A\ufeff'));
  it('a BOM after an invalid byte is kept', () => expectDecode([0xff, 0xef, 0xbb, 0xbf], `${R}\ufeff`));
  it('a truncated BOM is an invalid sequence', () => expectDecode([0xef, 0xbb, 0x41], `${R}A`));

  it('split BOM, chunk by chunk', () => {
    for (const [, make] of factories) {
      const d = make();
      expect(d.decode(bytes(0xef))).toBe('');
      expect(d.decode(bytes(0xbb))).toBe('');
      expect(d.decode(bytes(0xbf))).toBe('');
      expect(d.decode(bytes(0xef, 0xbb, 0xbf, 0x64))).toBe('\ufeffd');
      expect(d.flush()).toBe('');
    }
  });

  it('after flush() the decoder starts a new stream, as TextDecoder does', () => {
    const stream = [bytes(0xef, 0xbb, 0xbf, 0x41, 0xe2)];
    for (const [name, make] of factories) {
      const d = make();
      const got = [d.decode(stream[0]!), d.flush(), d.decode(stream[0]!), d.flush()];
      expect(got, name).toEqual(['A', R, 'A', R]);
    }
  });
});

describe('large input (crosses the internal batching)', () => {
  it('ASCII, 2-, 3- and 4-byte text over 8192 units, at several alignments', () => {
    for (const pad of [0, 1, 2, 3, 8190, 8191]) {
      const text = `${'a'.repeat(pad)}${'\ud83d\ude00\u00e9\u4f60x'.repeat(5000)}`;
      const input = utf8(text);
      const whole = new Uint8Array(input);
      for (const [name, make] of factories) {
        expect(ours(make, [whole]), `${name} pad ${pad}`).toBe(text);
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < whole.length; i += 1000 + pad) chunks.push(whole.subarray(i, i + 1000 + pad));
        expect(ours(make, chunks), `${name} pad ${pad} chunked`).toBe(text);
      }
    }
  });

  it('a surrogate pair straddling the 8192-unit batch boundary', () => {
    for (const pad of [8190, 8191, 8192, 8193]) {
      const text = `${'b'.repeat(pad)}\ud83d\ude00${'c'.repeat(100)}`;
      expect(ours(createUtf8Decoder, [new Uint8Array(utf8(text))])).toBe(text);
    }
  });

  it('1 MiB in a single decode() call (too many units for one String.fromCharCode.apply)', () => {
    const text = 'data: \u00e9\u4f60\ud83d\ude00 0123456789\n'.repeat(40000);
    const input = new TextEncoder().encode(text);
    expect(input.length).toBeGreaterThan(1 << 20);
    for (const [name, make] of factories) expect(ours(make, [input]), name).toBe(text);
  });

  it('20000 invalid bytes and a leading BOM', () => {
    const input = [0xef, 0xbb, 0xbf, ...Array.from({ length: 20000 }, (_, i) => (i % 3 === 0 ? 0xff : 0x80))];
    const expected = R.repeat(20000);
    const whole = new Uint8Array(input);
    expect(platform([whole])).toBe(expected);
    for (const [name, make] of factories) expect(ours(make, [whole]), name).toBe(expected);
  });
});

describe('createDecoder() without TextDecoder', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('falls back to our decoder, with the same output', () => {
    const input = [0xef, 0xbb, 0xbf, ...utf8('d\u00e9\ud83d\ude00'), 0xed, 0xa0, 0x80, 0xe2, 0x82];
    const expected = platform([new Uint8Array(input)]);
    vi.stubGlobal('TextDecoder', undefined);
    expect(typeof TextDecoder).toBe('undefined');
    for (const chunks of chunkings(new Uint8Array(input))) {
      expect(ours(createDecoder, chunks)).toBe(expected);
    }
  });
});

describe('property: random bytes in random chunks = TextDecoder', () => {
  // Raw bytes, valid encodings of any code point, and the lead bytes with special ranges.
  const piece = fc.oneof(
    fc.integer({ min: 0, max: 255 }).map((b) => [b]),
    fc.integer({ min: 0x80, max: 0xbf }).map((b) => [b]),
    fc.string({ unit: 'binary', maxLength: 3 }).map(utf8),
    fc.constantFrom([0xe0], [0xed], [0xf0], [0xf4], [0xc0], [0xc2], [0xef, 0xbb, 0xbf], [0xf4, 0x8f], [0xe0, 0xa0]),
  );
  const input = fc.array(piece, { maxLength: 40 }).map((ps) => new Uint8Array(ps.flat()));
  const cutInput = input.chain((b) => fc.tuple(fc.constant(b), fc.array(fc.integer({ min: 0, max: b.length }), { maxLength: 10 })));

  function cut(b: Uint8Array, cuts: number[]): Uint8Array[] {
    const sorted = [...cuts].sort((x, y) => x - y);
    const chunks: Uint8Array[] = [];
    let last = 0;
    for (const c of sorted) {
      chunks.push(b.subarray(last, c));
      last = c;
    }
    chunks.push(b.subarray(last));
    return chunks;
  }

  it('random chunkings', () => {
    fc.assert(
      fc.property(cutInput, ([b, cuts]) => {
        const want = platform([b]);
        const chunks = cut(b, cuts);
        expect(platform(chunks)).toBe(want);
        for (const [, make] of factories) expect(ours(make, chunks)).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('every 2-way split', () => {
    fc.assert(
      fc.property(input, (b) => {
        const want = platform([b]);
        for (let i = 0; i <= b.length; i++) {
          expect(ours(createUtf8Decoder, [b.subarray(0, i), b.subarray(i)])).toBe(want);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('uniform random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat(64), { maxLength: 6 }), (b, cuts) => {
        const chunks = cut(
          b,
          cuts.map((c) => Math.min(c, b.length)),
        );
        expect(ours(createUtf8Decoder, chunks)).toBe(platform([b]));
      }),
      { numRuns: 1000 },
    );
  });
});
