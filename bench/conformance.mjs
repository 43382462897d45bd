// Parsing conformance in Chromium, ssekit beside the packages people use instead: each stream case played to every candidate, its events (type and data) compared with the native EventSource's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Browser } from './lib/cdp.mjs';
import { table } from './lib/stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Each case is a response body in writes (the server pauses between writes, so most arrive as
// separate chunks); the stream then ends. Chromium's own departures from the standard (a charset
// parameter, a line break right after the BOM) are left out: native is the reference here.
const utf8 = (s) => Buffer.from(s, 'utf8');
const CASES = [
  { name: 'LF line ends', writes: ['data: a\n\ndata: b\n\n'] },
  { name: 'CRLF line ends', writes: ['data: a\r\n\r\ndata: b\r\n\r\n'] },
  { name: 'CR line ends', writes: ['data: a\r\rdata: b\r\r'] },
  { name: 'mixed line ends', writes: ['data: a\r\n\ndata: b\r\rdata: c\n\r\n'] },
  { name: 'CRLF split across chunks', writes: ['data: a\r', '\n\r', '\ndata: b\r\n\r\n'] },
  { name: 'CR at a chunk end, LF next', writes: ['data: a\r\r', '\ndata: b\n\n'] },
  { name: 'multi-line data', writes: ['data: a\ndata: b\ndata\n\n'] },
  { name: 'no space, two spaces after the colon', writes: ['data:a\n\ndata:  b\n\n'] },
  { name: 'field name alone (no colon)', writes: ['data\n\ndata: x\n\n'] },
  { name: 'empty data field', writes: ['data:\n\n'] },
  { name: 'colon in the value', writes: ['data: a:b: c\n\n'] },
  { name: 'comments and unknown fields', writes: [': hi\nfoo: bar\ndata: x\n:\n\n'] },
  { name: 'space before the colon (not a field)', writes: ['data : x\n\ndata: y\n\n'] },
  { name: 'named event, type reset after it', writes: ['event: update\ndata: x\n\ndata: y\n\n'] },
  { name: 'event name with a space', writes: ['event: a b\ndata: x\n\n'] },
  { name: 'event field without data dispatches nothing', writes: ['event: update\n\ndata: z\n\n'] },
  { name: 'id and retry blocks dispatch nothing', writes: ['id: 5\n\nretry: 1000\n\ndata: x\n\n'] },
  { name: 'leading BOM dropped', writes: ['\uFEFFdata: a\n\n'] },
  { name: 'second BOM kept (unknown field)', writes: ['\uFEFF\uFEFFdata: a\n\ndata: b\n\n'] },
  { name: 'unterminated last event dropped', writes: ['data: a\n\ndata: b\n'] },
  { name: 'unterminated last line dropped', writes: ['data: a\n\ndata: b'] },
  {
    name: 'UTF-8 split inside characters',
    writes: [utf8('data: é€😀\n\n').subarray(0, 7), utf8('data: é€😀\n\n').subarray(7, 10), utf8('data: é€😀\n\n').subarray(10)],
  },
  { name: 'invalid UTF-8 replaced', writes: [Buffer.from([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0xff, 0x61, 0xc3, 0x0a, 0x0a])] },
  { name: 'NUL in data', writes: ['data: a\0b\n\n'] },
  { name: '100 KB line', writes: ['data: ' + 'x'.repeat(100_000) + '\n\n'] },
];
const TYPES = ['message', 'update', 'a b'];
const PAUSE_MS = 15;
const CASE_TIMEOUT_MS = 5000;

// Each candidate's page script: window.__collect(url) resolves to the [type, data] pairs of the events it got, once the stream ended.
const EVENTSOURCE_LIKE = `
const viaEventSource = (Ctor) => (url, types) => new Promise((resolve) => {
  const events = [];
  const es = new Ctor(url);
  for (const type of types) es.addEventListener(type, (e) => events.push([e.type, e.data]));
  es.addEventListener('error', () => { es.close(); resolve(events); });
});`;
export const CANDIDATES = {
  native: { label: 'native EventSource (Chromium)', source: `${EVENTSOURCE_LIKE}\nwindow.__collect = viaEventSource(EventSource);` },
  ssekit: {
    label: 'ssekit EventSource',
    source: `${EVENTSOURCE_LIKE}\nimport { EventSource } from ${JSON.stringify(ROOT + 'dist/index.mjs')};\nwindow.__collect = viaEventSource(EventSource);`,
  },
  'ssekit-connect': {
    label: 'ssekit connect()',
    source: `import { connect } from ${JSON.stringify(ROOT + 'dist/index.mjs')};
window.__collect = async (url) => {
  const events = [];
  // No reconnection: the stream ends with a GaveUpError when its body ends.
  try {
    for await (const m of connect(url, { retry: { maxAttempts: 0 } })) events.push([m.type, m.data]);
  } catch (e) {
    if (e.name !== 'GaveUpError') throw e;
  }
  return events;
};`,
  },
  yaffle: {
    label: 'event-source-polyfill',
    source: `${EVENTSOURCE_LIKE}\nimport { EventSourcePolyfill } from 'event-source-polyfill';\nwindow.__collect = viaEventSource(EventSourcePolyfill);`,
  },
  eventsource: {
    label: 'eventsource',
    source: `${EVENTSOURCE_LIKE}\nimport { EventSource } from 'eventsource';\nwindow.__collect = viaEventSource(EventSource);`,
  },
  'fetch-event-source': {
    label: '@microsoft/fetch-event-source',
    source: `import { fetchEventSource } from '@microsoft/fetch-event-source';
window.__collect = async (url) => {
  const events = [];
  await fetchEventSource(url, { openWhenHidden: true, onmessage: (m) => events.push([m.event || 'message', m.data]), onerror: (e) => { throw e; } });
  return events;
};`,
  },
  'fetch-event-stream': {
    label: 'fetch-event-stream',
    source: `import { stream } from 'fetch-event-stream';
window.__collect = async (url) => {
  const events = [];
  for await (const m of await stream(url)) events.push([m.event || 'message', m.data]);
  return events;
};`,
  },
  'sse.js': {
    label: 'sse.js',
    source: `import { SSE } from 'sse.js';
window.__collect = (url, types) => new Promise((resolve) => {
  const events = [];
  const source = new SSE(url);
  for (const type of types) source.addEventListener(type, (e) => events.push([e.type, e.data]));
  source.addEventListener('readystatechange', (e) => { if (e.readyState === 2) resolve(events); });
});`,
  },
};

// The candidates' scripts, each bundled into one classic script for the browser (import/browser conditions).
async function bundles() {
  const out = {};
  for (const [key, c] of Object.entries(CANDIDATES)) {
    const r = await build({
      stdin: { contents: c.source, resolveDir: ROOT, sourcefile: `${key}.mjs` },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    out[key] = r.outputFiles[0].text;
  }
  return out;
}

async function startServer(scripts) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const page = /^\/page\/([\w.-]+)$/.exec(path);
    if (page && scripts[page[1]]) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html><meta charset=utf-8><script src="/client/${page[1]}.js"></script>`);
    }
    const client = /^\/client\/([\w.-]+)\.js$/.exec(path);
    if (client && scripts[client[1]]) {
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
      return res.end(scripts[client[1]]);
    }
    const c = /^\/case\/(\d+)$/.exec(path);
    if (c && CASES[+c[1]]) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.flushHeaders();
      for (const [i, chunk] of CASES[+c[1]].writes.entries()) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        if (res.destroyed) return;
        res.write(chunk);
      }
      return res.end();
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))) };
}

export async function runConformanceBench() {
  const scripts = await bundles();
  const server = await startServer(scripts);
  const browser = await Browser.launch();
  const got = {};
  try {
    for (const key of Object.keys(CANDIDATES)) {
      const page = await browser.newPage(`${server.origin}/page/${key}`);
      try {
        got[key] = [];
        for (let i = 0; i < CASES.length; i++) {
          const expression = `Promise.race([__collect('/case/${i}', ${JSON.stringify(TYPES)}).then((e) => JSON.stringify(e), (e) => 'threw: ' + e), new Promise((r) => setTimeout(() => r('timeout'), ${CASE_TIMEOUT_MS}))])`;
          const r = await page.eval(expression);
          got[key].push(/^[[]/.test(r) ? JSON.parse(r) : r);
        }
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const reference = got.native;
  if (reference.some((r) => !Array.isArray(r))) throw new Error(`native EventSource did not end every case: ${JSON.stringify(reference)}`);
  const rows = Object.entries(CANDIDATES).map(([key, c]) => {
    const failed = CASES.flatMap((k, i) =>
      JSON.stringify(got[key][i]) === JSON.stringify(reference[i]) ? [] : [{ case: k.name, got: got[key][i], native: reference[i] }],
    );
    return { candidate: key, label: c.label, cases: CASES.length, same: CASES.length - failed.length, failed };
  });
  const short = (v) => (typeof v === 'string' ? v : JSON.stringify(v).replace(/x{20,}/g, (m) => `x×${m.length}`)).slice(0, 80);
  const text =
    `Parsing conformance in ${browser.version}: ${CASES.length} stream cases, events (type, data) compared with native EventSource's\n\n` +
    table(
      ['candidate', 'same as native'],
      rows.map((r) => [r.label, `${r.same}/${r.cases}`]),
    ) +
    "\n\nDifferences (candidate, case: its events / native's):\n" +
    rows.flatMap((r) => r.failed.map((f) => `  ${r.label}, ${f.case}: ${short(f.got)} / ${short(f.native)}`)).join('\n');
  return { result: { bench: 'conformance', date: new Date().toISOString(), chromium: browser.version, cases: CASES.map((c) => c.name), rows }, text };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { result, text } = await runConformanceBench();
  console.log(text);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/conformance.json', import.meta.url), JSON.stringify(result, null, 1) + '\n');
}
