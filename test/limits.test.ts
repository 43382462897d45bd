// Hostile streams (issue 18): the parser's maxEventSize bound, retry: at every boundary, huge ids, millions of events, endless comments.
import { describe, expect, it } from 'vitest';
import { createParser, type ParserCallbacks } from '../src/parser';

type Call = string;

// Feeds the chunks; records events, retries, comments and overflows in order.
function run(chunks: readonly string[], options: Partial<ParserCallbacks> = {}): Call[] {
  const calls: Call[] = [];
  const parser = createParser({
    onEvent: (e) => calls.push(`event:${e.data}`),
    onRetry: (ms) => calls.push(`retry:${ms}`),
    onOverflow: () => calls.push('overflow'),
    ...options,
  });
  for (const chunk of chunks) parser.feed(chunk);
  return calls;
}

// The input whole, and cut in two and in three everywhere.
function splits(input: string): string[][] {
  const out: string[][] = [[input]];
  for (let i = 0; i <= input.length; i++) {
    out.push([input.slice(0, i), input.slice(i)]);
    for (let j = i; j <= input.length; j += 3) out.push([input.slice(0, i), input.slice(i, j), input.slice(j)]);
  }
  return out;
}

describe('parser: maxEventSize', () => {
  it('a line longer than the bound, its field name included, is reported once, whatever the chunking; nothing after it is', () => {
    // "data: 0123456789" is 16 characters.
    const input = 'data: a\n\ndata: 0123456789\n\ndata: b\n\n';
    for (const chunks of splits(input)) {
      expect(run(chunks, { maxEventSize: 15 }), JSON.stringify(chunks)).toEqual(['event:a', 'overflow']);
      expect(run(chunks, { maxEventSize: 16 }), JSON.stringify(chunks)).toEqual(['event:a', 'event:0123456789', 'event:b']);
    }
  });

  it("an event's data past the bound (its lines joined by LF) is reported before it is dispatched", () => {
    const input = 'data: 0123\ndata: 4567\ndata: 89\n\ndata: b\n\n';
    // The data is "0123\n4567\n89": 12 characters.
    for (const chunks of splits(input)) {
      expect(run(chunks, { maxEventSize: 11 }), JSON.stringify(chunks)).toEqual(['overflow']);
      expect(run(chunks, { maxEventSize: 12 }), JSON.stringify(chunks)).toEqual(['event:0123\n4567\n89', 'event:b']);
    }
  });

  it('data that passed the bound is reported at the end of the read even when a data line is left pending', () => {
    // The data is "0123\n4567" (9 characters) when the read ends inside "data: 89".
    for (const chunks of splits('data: 0123\ndata: 4567\ndata: 89')) {
      expect(run(chunks, { maxEventSize: 8 }), JSON.stringify(chunks)).toEqual(['overflow']);
    }
  });

  it('an endless line (no line ending ever) is reported once the pending line passes the bound, for every kind of line', () => {
    for (const start of [':', 'data: ', 'id: ', 'event: ', 'retry: ', 'x']) {
      const parser = createParser({ onEvent: () => {}, maxEventSize: 1000, onOverflow: () => overflows++ });
      let overflows = 0;
      let fed = 0;
      parser.feed(start);
      // Bounded: the bound is 1,000 characters, so at most 101 chunks of 10.
      while (overflows === 0 && fed < 2000) {
        parser.feed('x'.repeat(10));
        fed += 10;
      }
      expect(overflows, start).toBe(1);
      expect(fed + start.length, start).toBeLessThanOrEqual(1010 + start.length);
      parser.feed('\n\ndata: more\n\n');
      expect(overflows, start).toBe(1);
    }
  });

  it('endless data lines without a blank line are reported once the data passes the bound', () => {
    const parser = createParser({ onEvent: () => events++, maxEventSize: 100, onOverflow: () => overflows++ });
    let overflows = 0;
    let events = 0;
    for (let i = 0; i < 100 && overflows === 0; i++) parser.feed('data: 0123456789\n');
    expect(overflows).toBe(1);
    expect(events).toBe(0);
  });

  it('reset() (a new stream) parses again, with an empty buffer; the last event ID string is kept', () => {
    const calls: Call[] = [];
    const parser = createParser({ onEvent: (e) => calls.push(`${e.data}@${e.lastEventId}`), maxEventSize: 8, onOverflow: () => calls.push('overflow') });
    parser.feed('id: 1\ndata: a\n\ndata: 0123456789');
    parser.feed('\n\ndata: b\n\n');
    parser.reset();
    parser.feed('data: c\n\n');
    expect(calls).toEqual(['a@1', 'overflow', 'c@1']);
  });

  it('without onOverflow, feed throws a RangeError naming the bound', () => {
    const parser = createParser({ onEvent: () => {}, maxEventSize: 4 });
    expect(() => parser.feed('data: 12345\n\n')).toThrow(RangeError);
    expect(() => createParser({ onEvent: () => {}, maxEventSize: 4 }).feed(': 12345')).toThrow('maxEventSize 4');
  });

  it('has no bound by default: a 4 MiB line and 4 MiB of data in 1 KiB reads are dispatched', () => {
    const line = 'x'.repeat(4 << 20);
    const events: number[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e.data.length) });
    const input = `data: ${line}\n\n` + `data: ${'y'.repeat(1023)}\n`.repeat(4096) + '\n';
    for (let i = 0; i < input.length; i += 1024) parser.feed(input.slice(i, i + 1024));
    expect(events).toEqual([4 << 20, 4096 * 1024 - 1]);
  });
});

describe('parser: hostile but valid streams get the standard answer', () => {
  it('retry: at every boundary sets the reconnection time to that many ms, as a JS number', () => {
    const values = ['0', '2147483647', '2147483648', '9007199254740992', '18446744073709551616', '1' + '0'.repeat(30), '9'.repeat(400)];
    expect(run(values.map((v) => `retry: ${v}\n`))).toEqual(values.map((v) => `retry:${+v}`));
    expect(+'9'.repeat(400)).toBe(Infinity);
    // Not digits only: ignored.
    expect(run(['retry: -1\nretry: 1e3\nretry: 0x10\nretry: 1.5\nretry:\n'])).toEqual([]);
  });

  it('a retry: of a million digits, split in 1 KiB reads, is one value', () => {
    const input = 'retry: ' + '1'.repeat(1 << 20) + '\n';
    const chunks: string[] = [];
    for (let i = 0; i < input.length; i += 1024) chunks.push(input.slice(i, i + 1024));
    expect(run(chunks)).toEqual(['retry:Infinity']);
  });

  it('an id of 1 MiB is the last event ID string, fed whole or in 1 KiB reads; one with NUL is ignored', () => {
    const id = 'i'.repeat(1 << 20);
    const input = `id: ${id}\ndata: a\n\nid: ${id}\0\ndata: b\n\n`;
    for (const size of [input.length, 1024]) {
      const ids: string[] = [];
      const parser = createParser({ onEvent: (e) => ids.push(e.lastEventId) });
      for (let i = 0; i < input.length; i += size) parser.feed(input.slice(i, i + size));
      expect(ids.length).toBe(2);
      expect(ids[0] === id && ids[1] === id).toBe(true);
      expect(parser.lastEventId === id).toBe(true);
    }
  });

  it('two million tiny events in one read are each dispatched, in order', () => {
    const n = 2_000_000;
    let count = 0;
    let ordered = true;
    const parser = createParser({
      onEvent: (e) => {
        if (e.data !== String(count % 10)) ordered = false;
        count++;
      },
    });
    let input = '';
    for (let i = 0; i < 10; i++) input += `data:${i}\n\n`;
    parser.feed(input.repeat(n / 10));
    expect(count).toBe(n);
    expect(ordered).toBe(true);
  });

  it('32 MiB of comment lines only dispatch nothing and leave nothing buffered, with a bound far below the body', () => {
    const chunk = ': keep-alive\n'.repeat(64 * 1024);
    let comments = 0;
    let events = 0;
    let overflows = 0;
    const parser = createParser({ onEvent: () => events++, onComment: () => comments++, maxEventSize: 64, onOverflow: () => overflows++ });
    const reads = Math.ceil((32 << 20) / chunk.length);
    for (let i = 0; i < reads; i++) parser.feed(chunk);
    expect({ comments, events, overflows }).toEqual({ comments: reads * 64 * 1024, events: 0, overflows: 0 });
    expect(parser.resumable()).toBe(false);
    parser.feed('id: 1\ndata: x\n\n');
    expect(events).toBe(1);
  });
});
