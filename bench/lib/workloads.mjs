// Deterministic text/event-stream workloads (Node parser bench and browser streams), each with the events it must yield.

// A small PRNG so every run and every machine gets the same bytes.
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function word(rand, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[(rand() * ALNUM.length) | 0];
  return s;
}
// A JSON-ish ASCII payload of exactly `size` characters.
function payload(rand, i, size) {
  const head = '{"i":' + i + ',"v":"';
  const tail = '"}';
  return head + word(rand, Math.max(0, size - head.length - tail.length)) + tail;
}

// Collects the stream text and what a conforming parser must report for it.
class Builder {
  constructor() {
    this.parts = [];
    this.events = 0;
    this.dataLength = 0;
    this.types = new Map();
  }
  raw(text) {
    this.parts.push(text);
  }
  // One dispatched event: `data` as the parser reports it (lines joined by LF).
  event(text, type, data) {
    this.parts.push(text);
    this.events++;
    this.dataLength += data.length;
    const t = type || 'message';
    this.types.set(t, (this.types.get(t) || 0) + 1);
  }
  done(name, description) {
    const text = this.parts.join('');
    const bytes = Buffer.from(text, 'utf8');
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    return {
      name,
      description,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      textLength: text.length,
      lfCount: lines,
      events: this.events,
      dataLength: this.dataLength,
      types: Object.fromEntries(this.types),
    };
  }
}

/** `count` events of `size` characters of data each, `data: ...\n\n`; with `firstId`, each has an `id:` too. */
export function fixedEvents(name, count, size, seed = 1, firstId = null) {
  const rand = rng(seed);
  const b = new Builder();
  for (let i = 0; i < count; i++) {
    const d = payload(rand, i, size);
    b.event((firstId === null ? '' : 'id: ' + (firstId + i) + '\n') + 'data: ' + d + '\n\n', '', d);
  }
  return b.done(name, `${count} × ${size} B data`);
}

/** `count` events of `lines` data lines each. */
export function multiLine(name, count, lines, lineSize, seed = 2) {
  const rand = rng(seed);
  const b = new Builder();
  for (let i = 0; i < count; i++) {
    const ls = [];
    for (let j = 0; j < lines; j++) ls.push(word(rand, lineSize));
    b.event(ls.map((l) => 'data: ' + l + '\n').join('') + '\n', '', ls.join('\n'));
  }
  return b.done(name, `${count} events × ${lines} data lines × ${lineSize} B`);
}

/** id + event + data fields; `eol` is the line ending. */
export function namedWithIds(name, count, size, eol, type = 'update', seed = 3) {
  const rand = rng(seed);
  const b = new Builder();
  for (let i = 0; i < count; i++) {
    const d = payload(rand, i, size);
    b.event('id: ' + (100000 + i) + eol + 'event: ' + type + eol + 'data: ' + d + eol + eol, type, d);
  }
  return b.done(name, `${count} × (id, event, ${size} B data), ${JSON.stringify(eol)} line ends`);
}

/** A realistic mix: JSON messages, named events with ids, non-ASCII text, comments, a retry. */
export function mix(name, count, seed = 4) {
  const rand = rng(seed);
  const b = new Builder();
  const words = ['héllo', 'naïve', 'Zürich', '東京', 'данные', '🚀 launch', 'ok', 'status', 'price', 'ελληνικά', 'x'];
  b.raw('retry: 5000\n\n');
  for (let i = 0; i < count; i++) {
    const r = rand();
    if (r < 0.05) {
      b.raw(': keep-alive ' + i + '\n\n');
      i--;
      continue;
    }
    if (r < 0.45) {
      const obj = { id: i, user: word(rand, 8), text: words[(rand() * words.length) | 0] + ' ' + word(rand, (rand() * 60) | 0), t: 1700000000000 + i };
      const d = JSON.stringify(obj);
      b.event('data: ' + d + '\n\n', '', d);
    } else if (r < 0.75) {
      const type = ['price', 'trade', 'presence'][(rand() * 3) | 0];
      const d = JSON.stringify({ s: word(rand, 4), p: +(rand() * 1000).toFixed(2), q: (rand() * 100) | 0 });
      b.event('id: ' + i + '\nevent: ' + type + '\ndata: ' + d + '\n\n', type, d);
    } else if (r < 0.9) {
      const d1 = words[(rand() * words.length) | 0] + ' — ' + word(rand, 20);
      const d2 = words[(rand() * words.length) | 0] + ' ✓';
      b.event('event: chat\ndata:' + d1 + '\ndata: ' + d2 + '\n\n', 'chat', d1 + '\n' + d2);
    } else {
      const d = payload(rand, i, 200 + ((rand() * 1800) | 0));
      b.event('id: ' + i + '\ndata: ' + d + '\n\n', '', d);
    }
  }
  return b.done(name, `${count} mixed events: JSON, named with ids, multi-line, non-ASCII, comments`);
}

/** The Node parser workloads of issue 6 §1; `scale` shrinks them for quick runs. */
export function parserWorkloads(scale = 1, only = null) {
  const n = (x) => Math.max(1, Math.round(x * scale));
  const all = {
    small: () => fixedEvents('small', n(200000), 40),
    '1KB': () => fixedEvents('1KB', n(20000), 1024),
    '64KB': () => fixedEvents('64KB', n(500), 65536),
    multiline: () => multiLine('multiline', n(50000), 5, 30),
    crlf: () => namedWithIds('crlf', n(100000), 40, '\r\n'),
    mix: () => mix('mix', n(100000)),
  };
  const names = only ? String(only).split(',') : Object.keys(all);
  return names.map((name) => all[name]());
}
