// The fuzz test's streams: a seeded generator of random event streams cut into delayed chunks, the shrinking moves on them, and their escaped text for reports.
import type { Chunk, ScriptedConnection } from '../../demo-server/app.js';

/** One line of a stream: its bytes and its line ending (empty for a partial line or a lone BOM). */
export interface Piece {
  text: Uint8Array;
  end: Uint8Array;
}

/** Where a chunk starts (a byte offset, never 0 or the length) and how long the server waits before sending it. */
export interface Cut {
  at: number;
  delay: number;
}

export interface FuzzCase {
  /** The run's seed and the case's number in it: `FUZZ_SEED=seed FUZZ_ONLY=index` replays it. */
  seed: number;
  index: number;
  pieces: Piece[];
  /** Sorted by `at`. The first chunk goes out at once. */
  cuts: Cut[];
}

/** The event type of every case's terminator block; the generator never uses it otherwise. */
export const TERMINATOR = 'fuzz-end';

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);
const NONE = new Uint8Array(0);
const LF = utf8('\n');
const CR = utf8('\r');
const CRLF = utf8('\r\n');
const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same cases on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** In [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of table) total += w;
    let r = this.next() * total;
    for (const [w, value] of table) {
      if ((r -= w) < 0) return value;
    }
    return (table[table.length - 1] as readonly [number, T])[1];
  }
}

/** The seed of case `index` of a run: every case can be generated (and replayed) alone. */
export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// Characters of values and names: ASCII (colons and spaces included), controls, NUL, non-ASCII
// of each UTF-8 length, astral ones (surrogate pairs in JavaScript), and invisible ones.
const ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :;,.-_=+{}[]"\'/\\?!#%&*()<>@|~`^$';
const ODD = ['\u0000', '\t', '\u0001', '\u001f', '\u007f', '\u000b', '\u000c'];
const NON_ASCII = [
  '\u00e9',
  '\u00fc',
  '\u00a0',
  '\u00ff',
  '\u0100',
  '\u0394',
  '\u05d0',
  '\u20ac',
  '\u4e2d',
  '\u6587',
  '\u2028',
  '\u2029',
  '\ufffd',
  '\ufeff',
  '\uffff',
];
const ASTRAL = ['\u{1F600}', '\u{1D4B3}', '\u{10000}', '\u{10FFFF}', '\u{1F4A9}', '\u{20BB7}'];
// Byte sequences no UTF-8 decoder accepts: a lone continuation, overlongs, truncated sequences,
// UTF-16 surrogates, past U+10FFFF, and bytes never used in UTF-8.
const INVALID: readonly number[][] = [
  [0x80],
  [0xbf],
  [0xff],
  [0xfe],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xc3],
  [0xe2, 0x82],
  [0xe0, 0x80, 0x80],
  [0xf0, 0x9f, 0x98],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xef, 0xbb],
];

const FIELDS = ['data', 'event', 'id', 'retry'] as const;
const WRONG_CASE = ['Data', 'DATA', 'dAta', 'Event', 'EVENT', 'Id', 'ID', 'iD', 'Retry', 'RETRY'];
const UNKNOWN = [
  'foo',
  'dat',
  'datas',
  'date',
  'ev',
  'events',
  'ids',
  'retries',
  'origin',
  'lastEventId',
  ' data',
  'data ',
  '\tdata',
  'da ta',
  '\ufeffdata',
  'd\u00e1ta',
  '',
];
// Event types: ordinary, odd and the ones the page listens to anyway (message, open, error).
const TYPES = ['foo', 'bar', 'Foo', 'message', 'open', 'error', 'b\u00e4r', '\u{1D4B3}', 'a b', 'x:y', '\u4e2d', 'a\u0000b', ' ', 'fuzz', 'end'];
const RETRIES = ['0', '1', '10', '500', '3000', '0010', '99999999999999999999', '1.5', '-1', '+5', '10s', '1e3', ' 5', '5 ', '', 'abc', '\u0661'];
const IDS = ['1', '2', '42', '007', 'abc', 'caf\u00e9', '\u{1F600}', ' x ', '', 'a\u0000b', '\u0000', 'id: 3', '\ufeff', 'a\tb'];

/** A value's text: 0, 1 or 2 leading spaces, then random characters and invalid bytes; now and then a few KiB long. */
function value(rng: Rng): Uint8Array {
  const parts: Uint8Array[] = [];
  const spaces = rng.weighted([
    [35, 0],
    [50, 1],
    [15, 2],
  ] as const);
  parts.push(utf8(' '.repeat(spaces)));
  const long = rng.chance(0.03);
  const length = long
    ? rng.int(1024, 6144)
    : rng.weighted([
        [10, 0],
        [60, rng.int(1, 8)],
        [30, rng.int(9, 40)],
      ] as const);
  const rich = rng.chance(0.5);
  let text = '';
  const flush = () => {
    if (text) parts.push(utf8(text));
    text = '';
  };
  for (let i = 0; i < length; i++) {
    if (!rich || rng.chance(0.7)) {
      text += ASCII.charAt(rng.int(0, ASCII.length - 1));
      continue;
    }
    const kind = rng.weighted([
      [4, 'odd'],
      [6, 'bmp'],
      [3, 'astral'],
      [2, 'invalid'],
    ] as const);
    if (kind === 'odd') text += rng.pick(ODD);
    else if (kind === 'bmp') text += rng.pick(NON_ASCII);
    else if (kind === 'astral') text += rng.pick(ASTRAL);
    else {
      flush();
      parts.push(Uint8Array.from(rng.pick(INVALID)));
    }
  }
  flush();
  return concat(parts);
}

/** A field line's text: `name`, then `:` and a value (or, now and then, no colon at all). */
function field(rng: Rng, name: string, fixed?: string): Uint8Array {
  if (rng.chance(0.06)) return utf8(name);
  if (fixed !== undefined) {
    const spaces = rng.weighted([
      [35, 0],
      [50, 1],
      [15, 2],
    ] as const);
    return utf8(name + ':' + ' '.repeat(spaces) + fixed);
  }
  return concat([utf8(name + ':'), value(rng)]);
}

function lineEnding(rng: Rng): Uint8Array {
  return rng.weighted([
    [50, LF],
    [25, CRLF],
    [25, CR],
  ] as const);
}

/** The text of one random line (no line ending). `inBlock`: a blank line is one of the choices. */
function line(rng: Rng, blankWeight: number): Uint8Array {
  const kind = rng.weighted([
    [blankWeight, 'blank'],
    [26, 'data'],
    [8, 'event'],
    [8, 'id'],
    [5, 'retry'],
    [7, 'comment'],
    [5, 'wrong-case'],
    [6, 'unknown'],
    [6, 'bare'],
    [3, 'garbage'],
    [2, 'bom'],
  ] as const);
  switch (kind) {
    case 'blank':
      return NONE;
    case 'data':
      return field(rng, 'data');
    case 'event':
      return rng.chance(0.8) ? field(rng, 'event', rng.pick(TYPES)) : field(rng, 'event');
    case 'id':
      return rng.chance(0.7) ? field(rng, 'id', rng.pick(IDS)) : field(rng, 'id');
    case 'retry':
      return field(rng, 'retry', rng.pick(RETRIES));
    case 'comment':
      return concat([utf8(':'), value(rng)]);
    case 'wrong-case':
      return field(rng, rng.pick(WRONG_CASE));
    case 'unknown':
      return field(rng, rng.pick(UNKNOWN));
    case 'bare':
      // A line without a colon: a known name takes the empty value (`data` appends an empty line).
      return utf8(rng.pick([...FIELDS, ...FIELDS, 'foo', 'Data', 'message']));
    case 'garbage':
      return value(rng);
    case 'bom':
      return concat([BOM, line(rng, 0)]);
  }
}

/** Byte offsets worth cutting at: between CR and LF, inside UTF-8 sequences (valid or not), around BOMs. */
function interestingCuts(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 1; i < bytes.length; i++) {
    const prev = bytes[i - 1] as number;
    const byte = bytes[i] as number;
    if ((prev === 0x0d && byte === 0x0a) || prev >= 0x80 || byte >= 0x80 || prev === 0x0a || prev === 0x0d) out.push(i);
  }
  return out;
}

/** Generates case `index` of the run `seed`. */
export function generateCase(seed: number, index: number): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  const pieces: Piece[] = [];
  // Leading BOMs: one, two, and (for the spec's sake, not native's: see compareTarget) a BOM
  // immediately followed by a line ending.
  if (rng.chance(0.15)) {
    pieces.push({ text: BOM, end: NONE });
    if (rng.chance(0.25)) pieces.push({ text: BOM, end: NONE });
    else if (rng.chance(0.3)) pieces.push({ text: NONE, end: lineEnding(rng) });
  }
  const lines = rng.weighted([
    [20, rng.int(1, 4)],
    [55, rng.int(5, 16)],
    [25, rng.int(17, 48)],
  ] as const);
  for (let i = 0; i < lines; i++) pieces.push({ text: line(rng, 30), end: lineEnding(rng) });
  // The terminator: whatever came before, two line endings end the pending line and block, then
  // one known event. The page does not wait for it (the end of the body is what ends a case),
  // but a case without it in native's record means the stream was not read to the end.
  pieces.push({ text: NONE, end: LF }, { text: NONE, end: LF });
  pieces.push({ text: utf8('event: ' + TERMINATOR), end: lineEnding(rng) });
  const dataEnd = lineEnding(rng);
  pieces.push({ text: utf8('data: ' + index), end: dataEnd });
  // (After a CR, an LF would only complete a CRLF, not end the block.)
  const blankEnd = lineEnding(rng);
  pieces.push({ text: NONE, end: dataEnd === CR && blankEnd === LF ? CR : blankEnd });
  // A truncated end: lines of a block never ended by a blank line, and maybe a partial line.
  if (rng.chance(0.6)) {
    const tail = rng.int(1, 3);
    for (let i = 0; i < tail; i++) pieces.push({ text: line(rng, 0), end: lineEnding(rng) });
    const last = rng.weighted([
      [50, 'partial'],
      [35, 'ended'],
      [15, 'cr'],
    ] as const);
    if (last === 'partial') pieces.push({ text: line(rng, 0), end: NONE });
    // A lone CR as the very last byte: a line ending (a blank line, so a dispatch) with no byte after it.
    else if (last === 'cr') pieces.push({ text: NONE, end: CR });
  }
  const total = streamBytes({ seed, index, pieces, cuts: [] }).length;
  const interesting = interestingCuts(streamBytes({ seed, index, pieces, cuts: [] }));
  const count = Math.min(
    total - 1,
    rng.weighted([
      [10, 0],
      [45, rng.int(1, 6)],
      [30, rng.int(7, 16)],
      [15, rng.int(17, 48)],
    ] as const),
  );
  const positions = new Set<number>();
  for (let i = 0; i < count; i++) {
    positions.add(interesting.length && rng.chance(0.5) ? rng.pick(interesting) : rng.int(1, total - 1));
  }
  // Many small chunks mostly go back to back (the server still writes each one apart).
  const pause = count > 16 ? 0.3 : 0.85;
  const cuts = [...positions].sort((a, b) => a - b).map((at) => ({ at, delay: rng.chance(pause) ? rng.int(0, 15) : 0 }));
  return { seed, index, pieces, cuts };
}

/** The whole body of a case. */
export function streamBytes(c: FuzzCase): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const piece of c.pieces) parts.push(piece.text, piece.end);
  return concat(parts);
}

/** The body as the chunks and pauses the scripted server sends. */
export function chunksOf(c: FuzzCase): Chunk[] {
  const bytes = streamBytes(c);
  const chunks: Chunk[] = [];
  let start = 0;
  for (const cut of c.cuts) {
    chunks.push(bytes.slice(start, cut.at));
    if (cut.delay > 0) chunks.push({ wait: cut.delay });
    start = cut.at;
  }
  chunks.push(bytes.slice(start));
  return chunks;
}

/** The scripted connection of a case: text/event-stream without charset, the chunks back to back (pauses only where the case has them), then the end of the body. */
export function connectionOf(c: FuzzCase): ScriptedConnection {
  return { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' }, chunks: chunksOf(c), gap: 0, end: 'end' };
}

// Shrinking

function size(c: FuzzCase): number {
  return streamBytes(c).length * 4 + c.pieces.length * 16 + c.cuts.length * 8 + c.cuts.reduce((n, cut) => n + (cut.delay ? 1 : 0), 0);
}

/** Orders candidates smallest first. */
export function smaller(a: FuzzCase, b: FuzzCase): number {
  return size(a) - size(b);
}

/** Replaces the bytes [from, to) of the body by `length` bytes: cuts inside go, cuts after move. */
function remapCuts(cuts: Cut[], from: number, to: number, length: number, total: number): Cut[] {
  const newTotal = total - (to - from) + length;
  const out: Cut[] = [];
  for (const cut of cuts) {
    let at = cut.at;
    if (at > from && at < to) continue;
    if (at >= to) at += length - (to - from);
    if (at <= 0 || at >= newTotal) continue;
    if (out.length && (out[out.length - 1] as Cut).at === at) continue;
    out.push({ at, delay: cut.delay });
  }
  return out;
}

function pieceOffsets(c: FuzzCase): number[] {
  const offsets: number[] = [];
  let offset = 0;
  for (const piece of c.pieces) {
    offsets.push(offset);
    offset += piece.text.length + piece.end.length;
  }
  offsets.push(offset);
  return offsets;
}

function withoutPieces(c: FuzzCase, start: number, count: number): FuzzCase {
  const offsets = pieceOffsets(c);
  const from = offsets[start] as number;
  const to = offsets[start + count] as number;
  const total = offsets[offsets.length - 1] as number;
  const pieces = c.pieces.slice(0, start).concat(c.pieces.slice(start + count));
  return { ...c, pieces, cuts: remapCuts(c.cuts, from, to, 0, total) };
}

function withPiece(c: FuzzCase, index: number, piece: Piece): FuzzCase {
  const offsets = pieceOffsets(c);
  const old = c.pieces[index] as Piece;
  const from = offsets[index] as number;
  const total = offsets[offsets.length - 1] as number;
  const pieces = c.pieces.slice();
  pieces[index] = piece;
  // Cuts inside the line's text stay where they are if still inside it; the rest move with the end.
  const textCuts = c.cuts.filter((cut) => cut.at > from && cut.at < from + Math.min(old.text.length, piece.text.length));
  const moved = remapCuts(
    c.cuts.filter((cut) => !(cut.at > from && cut.at < from + old.text.length)),
    from,
    from + old.text.length + old.end.length,
    piece.text.length + piece.end.length,
    total,
  );
  return { ...c, pieces, cuts: [...textCuts, ...moved].sort((a, b) => a.at - b.at) };
}

/** Cuts a line's text to about half, at a character boundary where there is one. */
function halve(text: Uint8Array): Uint8Array {
  let at = text.length >> 1;
  while (at > 0 && ((text[at] as number) & 0xc0) === 0x80) at--;
  return text.slice(0, at);
}

/**
 * The next candidates of a shrink round, each a little simpler than `c`: fewer lines (halves,
 * quarters, ... single lines), fewer chunks, no pauses, shorter lines, LF for CRLF or CR.
 */
export function shrinkCandidates(c: FuzzCase, limit = 96): FuzzCase[] {
  const out: FuzzCase[] = [];
  const n = c.pieces.length;
  for (let span = n >> 1 || 1; span >= 1; span = span === 1 ? 0 : span >> 1) {
    for (let start = 0; start + span <= n; start += span) out.push(withoutPieces(c, start, span));
    if (span === 1) break;
  }
  if (c.cuts.length) out.push({ ...c, cuts: [] });
  for (let i = 0; i < c.cuts.length; i++) out.push({ ...c, cuts: c.cuts.filter((_, j) => j !== i) });
  if (c.cuts.some((cut) => cut.delay)) out.push({ ...c, cuts: c.cuts.map((cut) => ({ at: cut.at, delay: 0 })) });
  for (let i = 0; i < n; i++) {
    const piece = c.pieces[i] as Piece;
    if (piece.text.length > 1) out.push(withPiece(c, i, { text: halve(piece.text), end: piece.end }));
  }
  for (let i = 0; i < n; i++) {
    const piece = c.pieces[i] as Piece;
    if (piece.end.length === 2 || (piece.end.length === 1 && piece.end[0] === 0x0d)) out.push(withPiece(c, i, { text: piece.text, end: LF }));
  }
  return out.slice(0, limit);
}

// Reports

/** Bytes as a JavaScript-like string: ASCII as is, other characters as \u escapes, bytes no UTF-8 decoder takes as \xNN. */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      if (b === 0x0a) out += '\\n';
      else if (b === 0x0d) out += '\\r';
      else if (b === 0x09) out += '\\t';
      else if (b === 0x5c) out += '\\\\';
      else if (b === 0x22) out += '\\"';
      else if (b < 0x20 || b === 0x7f) out += '\\x' + b.toString(16).padStart(2, '0');
      else out += String.fromCharCode(b);
      i++;
      continue;
    }
    const length = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
    const seq = length ? bytes.slice(i, i + length) : null;
    let decoded = '';
    if (seq && seq.length === length) {
      try {
        decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(seq);
      } catch {
        decoded = '';
      }
    }
    if (decoded) {
      out += '\\u{' + (decoded.codePointAt(0) as number).toString(16).toUpperCase() + '}';
      i += length;
    } else {
      out += '\\x' + b.toString(16).toUpperCase().padStart(2, '0');
      i++;
    }
  }
  return out;
}

/** A string's characters escaped the same way (for event data and types). */
export function escapeText(text: string): string {
  return escapeBytes(utf8(text));
}

/** The stream line by line, then its chunks and pauses (and its bytes, with `withBytes`). */
export function describe(c: FuzzCase, withBytes: boolean): string {
  const clip = (text: string) => (withBytes || text.length <= 300 ? text : text.slice(0, 240) + `...(${text.length - 240} more characters)`);
  const lines = c.pieces.map((piece) => '  "' + clip(escapeBytes(piece.text) + escapeBytes(piece.end)) + '"');
  const bytes = streamBytes(c);
  const chunks: string[] = [];
  let start = 0;
  for (const cut of c.cuts) {
    chunks.push('"' + clip(escapeBytes(bytes.slice(start, cut.at))) + '"');
    chunks.push(`<${cut.delay} ms>`);
    start = cut.at;
  }
  chunks.push('"' + clip(escapeBytes(bytes.slice(start))) + '"');
  return [
    `lines (${c.pieces.length}, ${bytes.length} bytes):`,
    ...lines,
    `chunks (${c.cuts.length + 1}): ${chunks.join(' ')}`,
    ...(withBytes ? [`bytes: [${Array.from(bytes).join(',')}]`] : []),
  ].join('\n');
}
