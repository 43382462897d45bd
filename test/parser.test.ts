// Unit tests of src/parser.ts against the spec digest §3, each input fed whole and split everywhere.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createParser } from '../src/parser';

type Call = ['event', string, string, string] | ['retry', number] | ['comment', string];

interface Outcome {
  calls: Call[];
  lastEventId: string;
}

/** Feeds the chunks to a new parser and records every callback, in order, and the final lastEventId. */
function run(chunks: readonly string[], initialId?: string): Outcome {
  const calls: Call[] = [];
  const parser = createParser({
    onEvent: (e) => {
      calls.push(['event', e.type, e.data, e.lastEventId]);
    },
    onRetry: (ms) => {
      calls.push(['retry', ms]);
    },
    onComment: (text) => {
      calls.push(['comment', text]);
    },
    ...(initialId === undefined ? {} : { lastEventId: initialId }),
  });
  for (const chunk of chunks) parser.feed(chunk);
  return { calls, lastEventId: parser.lastEventId };
}

/** Every way to cut the input into chunks that the test asks for, the whole input excluded. */
function chunkings(input: string): string[][] {
  const n = input.length;
  const out: string[][] = [];
  for (let i = 0; i <= n; i++) out.push([input.slice(0, i), input.slice(i)]);
  if (n <= 40) {
    for (let i = 0; i <= n; i++) {
      for (let j = i; j <= n; j++) out.push([input.slice(0, i), input.slice(i, j), input.slice(j)]);
    }
  }
  // One UTF-16 unit at a time, then the same with an empty chunk between any two units.
  const units = input.split('');
  out.push(units);
  const withEmpties: string[] = [''];
  for (const u of units) withEmpties.push(u, '');
  out.push(withEmpties);
  return out;
}

/** The outcome of the input fed whole must be `expected`, and so must every chunking's. */
function expectParse(input: string, expected: { calls: Call[]; lastEventId?: string }, initialId?: string): void {
  const want: Outcome = { calls: expected.calls, lastEventId: expected.lastEventId ?? initialId ?? '' };
  expect(run([input], initialId), `whole: ${JSON.stringify(input)}`).toEqual(want);
  for (const chunks of chunkings(input)) {
    expect(run(chunks, initialId), `chunks: ${JSON.stringify(chunks)}`).toEqual(want);
  }
}

const ev = (data: string, type = 'message', id = ''): Call => ['event', type, data, id];
const retry = (ms: number): Call => ['retry', ms];
const comment = (text: string): Call => ['comment', text];

describe('line endings', () => {
  it('LF, CRLF and lone CR each end a line', () => {
    expectParse('data: a\n\n', { calls: [ev('a')] });
    expectParse('data: a\r\n\r\n', { calls: [ev('a')] });
    expectParse('data: a\r\r', { calls: [ev('a')] });
  });

  it('mixed endings in one stream', () => {
    expectParse('data: a\rdata: b\r\ndata: c\n\r\ndata: d\r\n\revent: e\ndata: f\n\r', {
      calls: [ev('a\nb\nc'), ev('d'), ev('f', 'e')],
    });
  });

  it('CR at the end of one chunk and LF at the start of the next are one line ending', () => {
    // No blank line in the stream: a CR/LF pair split across chunks must not count twice.
    expect(run(['data: a\r', '\ndata: b\r', '\n']).calls).toEqual([]);
    expect(run(['data: a\r', '\ndata: b\r', '\n', '\r\n']).calls).toEqual([ev('a\nb')]);
    expectParse('data: a\r\ndata: b\r\n\r\n', { calls: [ev('a\nb')] });
  });

  it('an empty chunk between the CR and the LF does not split the pair', () => {
    expect(run(['data: a\r', '', '\ndata: b\r\n\r\n']).calls).toEqual([ev('a\nb')]);
    expect(run(['data: a\r', '', '', '\n', '\r', '', '\n']).calls).toEqual([ev('a')]);
  });

  it('CR at the end of a chunk followed by a chunk that does not start with LF', () => {
    expect(run(['data: a\r', 'data: b\r', '\r']).calls).toEqual([ev('a\nb')]);
    expect(run(['data: a\r', '\r']).calls).toEqual([ev('a')]);
    expect(run(['data: a\r', 'x']).calls).toEqual([]);
  });

  it('two CRs are two line endings: the second is a blank line and dispatches', () => {
    expectParse('data: x\r\rdata: y\r\r', { calls: [ev('x'), ev('y')] });
  });

  it('LF CR is two line endings, not one', () => {
    expectParse('data: x\n\rdata: y\n\r', { calls: [ev('x'), ev('y')] });
  });

  it('a blank line dispatches', () => {
    expectParse('data: one\n\ndata: two\n\n', { calls: [ev('one'), ev('two')] });
  });
});

describe('lines and fields', () => {
  it('a line starting with ":" is a comment; onComment gets the text after the colon', () => {
    expectParse(': hello\n:\n::x: y\ndata: a\n\n', {
      calls: [comment(' hello'), comment(''), comment(':x: y'), ev('a')],
    });
  });

  it('comments do not end or alter the event', () => {
    expectParse('data: a\n: keep-alive\ndata: b\n\n', { calls: [comment(' keep-alive'), ev('a\nb')] });
  });

  it('comments are optional: no onComment is fine', () => {
    const events: string[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e.data) });
    parser.feed(': ping\nretry: 5\ndata: a\n\n');
    expect(events).toEqual(['a']);
  });

  it('a line without a colon is a field name with an empty value', () => {
    expectParse('data\n\n', { calls: [ev('')] });
    expectParse('event: x\nevent\ndata: a\n\n', { calls: [ev('a')] });
    expectParse('id: 1\nid\ndata: a\n\n', { calls: [ev('a')] });
    expectParse('retry\ndata: a\n\n', { calls: [ev('a')] });
  });

  it('"data" without a colon appends an empty line', () => {
    expectParse('data: a\ndata\ndata: b\n\n', { calls: [ev('a\n\nb')] });
  });

  it('only one leading space is removed from the value', () => {
    expectParse('data:  x\n\n', { calls: [ev(' x')] });
    expectParse('data:x\n\n', { calls: [ev('x')] });
    expectParse('data:\tx\n\n', { calls: [ev('\tx')] });
    expectParse('data: x \n\n', { calls: [ev('x ')] });
    expectParse('event:  t\ndata: a\n\n', { calls: [ev('a', ' t')] });
  });

  it('the value keeps every colon after the first', () => {
    expectParse('data: a:b: c\n\n', { calls: [ev('a:b: c')] });
    expectParse('data::\n\n', { calls: [ev(':')] });
    expectParse('event: a:b\ndata: x\n\n', { calls: [ev('x', 'a:b')] });
  });

  it('unknown field names are ignored', () => {
    expectParse('foo: bar\ndat: x\ndatas: x\ndate: x\nevents: x\nie: x\nid2: x\nretryy: 5\nretrx: 5\nx\n\n', {
      calls: [],
    });
    expectParse('foo: bar\ndata: a\nevenx: t\n\n', { calls: [ev('a')] });
  });

  it('field names are case-sensitive', () => {
    expectParse('Data: a\nDATA: b\n\n', { calls: [] });
    expectParse('Event: t\nEVENT: t\ndata: a\n\n', { calls: [ev('a')] });
    expectParse('ID: 5\nId: 5\niD: 5\ndata: a\n\n', { calls: [ev('a')] });
    expectParse('Retry: 5\nRETRY: 5\ndata: a\n\n', { calls: [ev('a')] });
  });

  it('spaces around the field name make it another name', () => {
    expectParse(' data: a\ndata : b\ndata\t: c\n\n', { calls: [] });
  });

  it('event sets the type, which is cleared after the dispatch', () => {
    expectParse('event: add\ndata: 1\n\ndata: 2\n\n', { calls: [ev('1', 'add'), ev('2')] });
  });

  it('the last event field of a block wins; an empty one means "message"', () => {
    expectParse('event: a\nevent: b\ndata: 1\n\n', { calls: [ev('1', 'b')] });
    expectParse('event: a\nevent:\ndata: 1\n\n', { calls: [ev('1')] });
  });

  it('the default type is "message"', () => {
    expectParse('data: x\n\n', { calls: [ev('x', 'message')] });
  });

  it("a leading BOM is not the parser's business: it makes an unknown field name", () => {
    expectParse('\uFEFFdata: x\n\ndata: y\n\n', { calls: [ev('y')] });
  });
});

describe('data', () => {
  it('several data lines are joined with LF', () => {
    expectParse('data: a\ndata: b\ndata: c\n\n', { calls: [ev('a\nb\nc')] });
  });

  it('one trailing LF is removed, once', () => {
    expectParse('data: a\ndata:\n\n', { calls: [ev('a\n')] });
    expectParse('data: a\ndata:\ndata:\n\n', { calls: [ev('a\n\n')] });
  });

  it('"data:" alone is an empty line and dispatches an empty string', () => {
    expectParse('data:\n\n', { calls: [ev('')] });
    expectParse('data: \n\n', { calls: [ev('')] });
  });

  it('"data\\ndata\\n\\n" gives a single LF', () => {
    expectParse('data\ndata\n\n', { calls: [ev('\n')] });
  });

  it('an empty data buffer dispatches nothing and clears the event type', () => {
    expectParse('event: foo\n\ndata: x\n\n', { calls: [ev('x')] });
    expectParse('event: foo\nid: 3\nretry: 9\n\n\n\n', { calls: [retry(9)], lastEventId: '3' });
  });

  it('the data buffer is cleared after the dispatch', () => {
    expectParse('data: a\n\ndata: b\n\n\n\n', { calls: [ev('a'), ev('b')] });
  });
});

describe('id', () => {
  it('persists across events', () => {
    expectParse('id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n', {
      calls: [ev('a', 'message', '1'), ev('b', 'message', '1'), ev('c', 'message', '2')],
      lastEventId: '2',
    });
  });

  it('"id:" with an empty value resets it to ""', () => {
    expectParse('id: 1\ndata: a\n\nid:\ndata: b\n\n', {
      calls: [ev('a', 'message', '1'), ev('b')],
      lastEventId: '',
    });
  });

  it('an id containing U+0000 is ignored and leaves the buffer unchanged', () => {
    expectParse('id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\nid: \u0000\ndata: c\n\n', {
      calls: [ev('a', 'message', '1'), ev('b', 'message', '1'), ev('c', 'message', '1')],
      lastEventId: '1',
    });
    expectParse('id: 1\nid: x\u0000\ndata: a\n\n', { calls: [ev('a', 'message', '1')], lastEventId: '1' });
  });

  it('an id-only block updates lastEventId without dispatching', () => {
    expectParse('id: 7\n\n', { calls: [], lastEventId: '7' });
    expectParse('data: a\n\nid: 8\n\ndata: b\n\n', {
      calls: [ev('a'), ev('b', 'message', '8')],
      lastEventId: '8',
    });
  });

  it('lastEventId only changes at the dispatch, not when the id line is read', () => {
    expect(run(['id: 9\ndata: a\n']).lastEventId).toBe('');
    expect(run(['id: 9\ndata: a\n', '\n']).lastEventId).toBe('9');
  });

  it('is verbatim apart from one leading space', () => {
    expectParse('id: 51 \ndata: 51 \n\n', { calls: [ev('51 ', 'message', '51 ')], lastEventId: '51 ' });
    expectParse('id:  x y \n\n', { calls: [], lastEventId: ' x y ' });
    expectParse('id:\u00e9\ud83d\ude00:z\n\n', { calls: [], lastEventId: '\u00e9\ud83d\ude00:z' });
  });

  it('the lastEventId option seeds the buffer', () => {
    expect(createParser({ onEvent: () => {}, lastEventId: '41' }).lastEventId).toBe('41');
    expectParse('data: a\n\n', { calls: [ev('a', 'message', '41')], lastEventId: '41' }, '41');
    expectParse('id:\ndata: a\n\n', { calls: [ev('a')], lastEventId: '' }, '41');
    expectParse('id: 42\n\n', { calls: [], lastEventId: '42' }, '41');
  });
});

describe('reset()', () => {
  function parserWithLog() {
    const calls: Call[] = [];
    const parser = createParser({
      onEvent: (e) => {
        calls.push(['event', e.type, e.data, e.lastEventId]);
      },
      onRetry: (ms) => {
        calls.push(['retry', ms]);
      },
    });
    return { parser, calls };
  }

  it('keeps the last event ID string', () => {
    const { parser, calls } = parserWithLog();
    parser.feed('id: 5\ndata: a\n\n');
    parser.reset();
    expect(parser.lastEventId).toBe('5');
    parser.feed('data: b\n\n');
    expect(calls).toEqual([ev('a', 'message', '5'), ev('b', 'message', '5')]);
  });

  it('drops a partial line', () => {
    const { parser, calls } = parserWithLog();
    parser.feed('dat');
    parser.reset();
    parser.feed('a: x\n\n');
    parser.feed('data: y\n\n');
    expect(calls).toEqual([ev('y')]);
  });

  it('drops the data buffer', () => {
    const { parser, calls } = parserWithLog();
    parser.feed('data: a\n');
    parser.reset();
    parser.feed('\ndata: b\n\n');
    expect(calls).toEqual([ev('b')]);
  });

  it('drops the event type buffer', () => {
    const { parser, calls } = parserWithLog();
    parser.feed('event: foo\n');
    parser.reset();
    parser.feed('data: b\n\n');
    expect(calls).toEqual([ev('b')]);
  });

  it('drops a pending CR', () => {
    const { parser, calls } = parserWithLog();
    parser.feed('data: a\r');
    parser.reset();
    parser.feed('\ndata: b\r');
    parser.feed('\r');
    expect(calls).toEqual([ev('b')]);
  });

  it('drops the id of a block that was never dispatched', () => {
    const { parser, calls } = parserWithLog();
    parser.feed('id: 1\ndata: a\n\nid: 2\ndata: half');
    parser.reset();
    expect(parser.lastEventId).toBe('1');
    parser.feed('data: b\n\n');
    expect(calls).toEqual([ev('a', 'message', '1'), ev('b', 'message', '1')]);
    expect(parser.lastEventId).toBe('1');
  });
});

describe('retry', () => {
  it('ASCII digits only call onRetry with the number', () => {
    expectParse('retry: 1000\n', { calls: [retry(1000)] });
    expectParse('retry:25\nretry: 0\nretry: 007\n', { calls: [retry(25), retry(0), retry(7)] });
  });

  it('anything else is ignored', () => {
    const ignored = [
      'retry: 1.5',
      'retry: -1',
      'retry: +1',
      'retry: 10s',
      'retry: 1e3',
      'retry:  10',
      'retry: 10 ',
      'retry:',
      'retry: ',
      'retry',
      'retry: \u0661\u0662',
      'retry: \uff11',
      'retry: 1\u00002',
    ];
    for (const line of ignored) {
      expectParse(`${line}\ndata: a\n\n`, { calls: [ev('a')] });
    }
  });

  it('applies in a block without data, and even in a block never dispatched', () => {
    expectParse('retry: 500\n\n', { calls: [retry(500)] });
    expectParse('data: a\nretry: 600\n', { calls: [retry(600)] });
  });

  it('is reported in stream order among events', () => {
    expectParse('data: a\n\nretry: 1\ndata: b\nretry: 2\n\n', { calls: [ev('a'), retry(1), retry(2), ev('b')] });
  });
});

describe('end of stream and odd content', () => {
  it('a partial line and an undispatched block are never reported', () => {
    expectParse('data: a\n\ndata: b\n', { calls: [ev('a')] });
    expectParse('data: a\n\ndata: b', { calls: [ev('a')] });
    expectParse('data: a\n\ndata: b\r', { calls: [ev('a')] });
    expectParse('event: x\ndata: b\nid: 4\n', { calls: [], lastEventId: '' });
  });

  it('keeps U+0000 in data and event types', () => {
    expectParse('event: a\u0000b\ndata: x\u0000y\n\n', { calls: [ev('x\u0000y', 'a\u0000b')] });
  });

  it('keeps non-ASCII and astral characters', () => {
    expectParse('event: \u00e9v\u00e9nement\ndata: \u4f60\u597d \ud83d\ude00\u00ff\n\n', {
      calls: [ev('\u4f60\u597d \ud83d\ude00\u00ff', '\u00e9v\u00e9nement')],
    });
  });

  it('a 256 KiB line fed in 16-character chunks', () => {
    const payload = 'abcdefghijklmno:'.repeat(16 * 1024);
    const stream = `data: ${payload}\n\n`;
    const chunks: string[] = [];
    for (let i = 0; i < stream.length; i += 16) chunks.push(stream.slice(i, i + 16));
    expect(payload.length).toBe(256 * 1024);
    const out = run(chunks);
    expect(out.calls.length).toBe(1);
    expect(out.calls[0]).toEqual(ev(payload));
    // And the same made of many data lines, every line split mid-way.
    const lines = Array.from({ length: 4096 }, (_, i) => `line ${i}:${'x'.repeat(50)}`);
    const multi = `${lines.map((l) => `data: ${l}\r\n`).join('')}\r\n`;
    const multiChunks: string[] = [];
    for (let i = 0; i < multi.length; i += 16) multiChunks.push(multi.slice(i, i + 16));
    expect(run(multiChunks).calls).toEqual([ev(lines.join('\n'))]);
  });

  it('1000 events in one chunk', () => {
    let stream = '';
    const expected: Call[] = [];
    for (let i = 0; i < 1000; i++) {
      stream += `id: ${i}\nevent: e${i % 3}\ndata: ${i}\n\n`;
      expected.push(ev(String(i), `e${i % 3}`, String(i)));
    }
    expect(run([stream])).toEqual({ calls: expected, lastEventId: '999' });
  });
});

describe('fast paths: `data:` lines and the blank line after them', () => {
  it('`data:` is known by its first five characters; other names take the general path', () => {
    expectParse('datax: 1\ndat: 2\ndata x: 3\ndata\ndata:4\n\n', { calls: [ev('\n4')] });
    expectParse('data:\ndata: \ndata:  \n\n', { calls: [ev('\n\n ')] });
  });

  it('a `data:` line followed by a blank line, with every line ending', () => {
    for (const input of ['data: a\n\n', 'data: a\r\n\r\n', 'data: a\n\r\n', 'data: a\r\n\n', 'data: a\r\r', 'data: a\n\r']) {
      expectParse(input, { calls: [ev('a')] });
    }
    expectParse('event: t\nid: 3\ndata: a\n\ndata: b\n\n', { calls: [ev('a', 't', '3'), ev('b', 'message', '3')], lastEventId: '3' });
    expectParse('data: a\ndata: b\n\ndata: c\n\n', { calls: [ev('a\nb'), ev('c')] });
  });

  it('`id:` and `event:` lines, with every line ending; names that only begin like them take the general path', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const input = ['event:b', 'id:7', 'id: 8\0', 'event:  c', 'data: y', '', ''].join(eol);
      expectParse(input, { calls: [ev('y', ' c', '7')], lastEventId: '7' });
    }
    expectParse('id: 1\nevent: a\nidx: 2\nid\nevents: b\nevent\ndata: x\n\n', { calls: [ev('x')] });
    expectParse('id:\nevent:\ndata: z\n\n', { calls: [ev('z')], lastEventId: '' }, 'seed');
  });

  it('a chunk ending inside a `data:` line: prefix, space or value', () => {
    expect(run(['data:', ' x\n\n']).calls).toEqual([ev('x')]);
    expect(run(['data: ', 'x\n\n']).calls).toEqual([ev('x')]);
    expect(run(['data: ', ' x\n\n']).calls).toEqual([ev(' x')]);
    expect(run(['data:x', 'y', '', 'z\n', '\n']).calls).toEqual([ev('xyz')]);
    expect(run(['data: a\ndata: b', 'c\r', '\n\r', '\n']).calls).toEqual([ev('a\nbc')]);
    expect(run(['data: x', '\n', 'data: y\n\n']).calls).toEqual([ev('x\ny')]);
  });

  it('chunks with CR after chunks with LF only, and back', () => {
    expect(run(['data: a\n', 'data: b\r', '\r', 'data: c\n', '\n']).calls).toEqual([ev('a\nb'), ev('c')]);
    expect(run(['data: a\n\n', 'data: b\r\r', 'data: c\n\n', 'data: d\r', '\n\r\n']).calls).toEqual([ev('a'), ev('b'), ev('c'), ev('d')]);
  });
});

describe('callback exceptions', () => {
  it('an exception from onEvent propagates out of feed, with the block already cleared', () => {
    const seen: string[] = [];
    const parser = createParser({
      onEvent: (e) => {
        seen.push(e.data);
        if (e.data === 'boom') throw new Error('listener failed');
      },
    });
    expect(() => parser.feed('event: t\ndata: boom\n\n')).toThrow('listener failed');
    parser.feed('data: next\n\n');
    expect(seen).toEqual(['boom', 'next']);
  });

  it('exceptions from onRetry and onComment propagate too', () => {
    const parser = createParser({
      onEvent: () => {},
      onRetry: () => {
        throw new Error('retry');
      },
      onComment: () => {
        throw new Error('comment');
      },
    });
    expect(() => parser.feed('retry: 1\n')).toThrow('retry');
    expect(() => parser.feed(':x\n')).toThrow('comment');
  });
});

// A deliberately plain reading of §3: split into lines with a regex, then apply the rules.
function reference(stream: string, initialId = ''): Outcome {
  const calls: Call[] = [];
  const lines = stream.split(/\r\n|\r|\n/);
  lines.pop(); // the text after the last line ending is a partial line: discarded
  let data = '';
  let type = '';
  let idBuffer = initialId;
  let lastEventId = initialId;
  for (const line of lines) {
    if (line === '') {
      lastEventId = idBuffer;
      if (data !== '') calls.push(['event', type || 'message', data.slice(0, -1), lastEventId]);
      data = '';
      type = '';
      continue;
    }
    if (line[0] === ':') {
      calls.push(['comment', line.slice(1)]);
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (name === 'event') type = value;
    else if (name === 'data') data += `${value}\n`;
    else if (name === 'id' && !value.includes('\0')) idBuffer = value;
    else if (name === 'retry' && /^[0-9]+$/.test(value)) calls.push(['retry', Number(value)]);
  }
  return { calls, lastEventId };
}

describe('the reference parser itself', () => {
  it('agrees with the hand-written expectations', () => {
    expect(reference('id: 1\ndata: a\r\ndata\r\rretry: 5\n:c\nevent\nid: \u0000\n\nid: 2\n\n')).toEqual({
      calls: [ev('a\n', 'message', '1'), retry(5), comment('c')],
      lastEventId: '2',
    });
  });
});

describe('property: random streams in random chunks', () => {
  const name = fc.constantFrom(
    'data',
    'event',
    'id',
    'retry',
    'Data',
    'DATA',
    'Event',
    'ID',
    'Retry',
    '',
    'dat',
    'datas',
    'evenx',
    'ids',
    'retr',
    'x',
    ' data',
    'data ',
    '\u00e9',
    '\u0000',
  );
  const valueChar = fc.constantFrom('a', 'b', ' ', ':', '\u0000', '\u00e9', '\ud83d\ude00', '\ufeff', '0', '1', '9', '\u0661', '-', '.', '\t');
  const value = fc.array(valueChar, { maxLength: 6 }).map((a) => a.join(''));
  const separator = fc.constantFrom(':', ': ', ':  ', '', '::');
  const fieldLine = fc.tuple(name, separator, value).map(([n, s, v]) => (s === '' ? n : n + s + v));
  const commentLine = value.map((v) => `:${v}`);
  const line = fc.oneof({ weight: 6, arbitrary: fieldLine }, { weight: 1, arbitrary: commentLine }, { weight: 3, arbitrary: fc.constant('') });
  const eol = fc.constantFrom('\n', '\r', '\r\n');
  const stream = fc
    .tuple(fc.array(fc.tuple(line, eol), { maxLength: 40 }), fc.oneof(fc.constant(''), fieldLine))
    .map(([ls, tail]) => ls.map(([l, e]) => l + e).join('') + tail);
  const cutStream = stream.chain((s) => fc.tuple(fc.constant(s), fc.array(fc.integer({ min: 0, max: s.length }), { maxLength: 12 })));
  const initialId = fc.option(fc.constantFrom('', '0', 'seed id'), { nil: undefined });

  function cut(s: string, cuts: number[]): string[] {
    const sorted = [...cuts].sort((a, b) => a - b);
    const chunks: string[] = [];
    let last = 0;
    for (const c of sorted) {
      chunks.push(s.slice(last, c));
      last = c;
    }
    chunks.push(s.slice(last));
    return chunks;
  }

  it('chunked = whole = reference', () => {
    fc.assert(
      fc.property(cutStream, initialId, ([s, cuts], id) => {
        const whole = run([s], id);
        expect(whole).toEqual(reference(s, id));
        const chunks = cut(s, cuts);
        expect(run(chunks, id)).toEqual(whole);
        // An empty chunk may come between any two (a decoder holding back a partial sequence).
        expect(
          run(
            chunks.flatMap((c) => [c, '']),
            id,
          ),
        ).toEqual(whole);
      }),
      { numRuns: 1000 },
    );
  });

  it('every 2-way split of random streams', () => {
    fc.assert(
      fc.property(stream, (s) => {
        const want = reference(s);
        for (let i = 0; i <= s.length; i++) expect(run([s.slice(0, i), s.slice(i)])).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });
});

describe('resumable(): where a stream may be cut and resumed by Last-Event-ID', () => {
  const states = (chunks: string[]) => {
    const parser = createParser({ onEvent: () => {} });
    return chunks.map((chunk) => {
      parser.feed(chunk);
      return parser.resumable();
    });
  };

  it('is true after an event that carried its own id, and only between events', () => {
    expect(states(['id: 1\ndata: a\n\n', 'data: b', '\n', '\n'])).toEqual([true, false, false, false]);
    expect(states(['id: 1\n', '\n'])).toEqual([false, true]);
    expect(states(['id: 1\ndata: a\n\n', ': keep-alive\n\n', '\n\n'])).toEqual([true, true, true]);
    expect(states(['id: 1\ndata: a\n\n', 'event: x\n'])).toEqual([true, false]);
    expect(states(['data: no id\n\n'])).toEqual([false]);
    expect(states(['id: 1\ndata: a\r\n\r'])).toEqual([true]);
  });

  it('is false after reset() until an event with an id', () => {
    const parser = createParser({ onEvent: () => {} });
    parser.feed('id: 1\ndata: a\n\n');
    parser.reset();
    expect(parser.resumable()).toBe(false);
    parser.feed('id: 2\ndata: b\n\n');
    expect(parser.resumable()).toBe(true);
  });
});
