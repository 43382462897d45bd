// Long soaks (issue 18): 10,000 reconnection cycles per engine and transport, and streams held for 10 minutes at 1,000 events/s; heap, timers, listeners and sockets sampled, results to bench/results/soak.json.
//
// npm run soak (about 15 minutes): the full soak, whose tables README quotes.
// npm run soak:short (well under a minute): the same checks, smaller (300 cycles, 5 s streams), run by
// `npm test` (CI). SOAK_CYCLES, SOAK_FLOW_MS and SOAK_PART=cycles|flow change the full run.
//
// A cycle: the server answers `retry: 1`, one event whose id and data are its number, and ends the
// response; the client reconnects 1 ms later with Last-Event-ID and gets the next number. Every
// event must arrive once, in order. At each checkpoint the server holds the next request until the
// counts are read, so every sample sees the same state (one request waiting for its response):
// heap after a full GC, timers pending, listeners, and the server's open sockets.
// Exits with 1 when an event was lost or repeated, or timers, listeners or sockets were not the
// same at every checkpoint; heap growth is reported, not judged (GC is not exact).
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getEventListeners } from 'node:events';
import { chromium } from '@playwright/test';
import { CHROMIUM_FLAGS, testChromium } from '../e2e/chromium.js';
import { Browser as CdpBrowser } from './lib/cdp.mjs';
import { head } from '../demo-server/pages.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SHORT = process.argv.includes('--short') || !!process.env.SOAK_SHORT;
const CYCLES = Number(process.env.SOAK_CYCLES) || (SHORT ? 300 : 10_000);
const STEP = CYCLES / 10;
const FLOW_MS = Number(process.env.SOAK_FLOW_MS) || (SHORT ? 5_000 : 600_000);
const FLOW_SAMPLES = 10;
const RATE = 1000; // events per second in the held streams
const EMPTY_MS = Number(process.env.SOAK_EMPTY_MS) || (SHORT ? 4_000 : 60_000);
const PART = process.env.SOAK_PART || 'all'; // hostile | cycles | flow | all (flow includes the empty bodies)

if (typeof globalThis.gc !== 'function') {
  console.error('Run with node --expose-gc (npm run soak does).');
  process.exit(2);
}

const { EventSource, connect, createParser } = await import('../dist/node/index.mjs');

/* ---------- the server ---------- */

const held = new Map(); // checkpoint key -> { respond, reached }
const waiters = new Map(); // checkpoint key -> resolve
let openSockets = 0;
const emptyHits = new Map(); // run -> request times

function checkpoint(key) {
  const entry = held.get(key);
  if (entry) return Promise.resolve(entry);
  return new Promise((resolve) => waiters.set(key, resolve));
}

const pad = 'x'.repeat(40);

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const last = Number(req.headers['last-event-id'] || 0);
  if (url.pathname === '/cycle') {
    const run = url.searchParams.get('run');
    const answer = () => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.end(`retry: 1\nid: ${last + 1}\ndata: ${last + 1}\n\n`);
    };
    if (last > 0 && last % STEP === 0) {
      const key = `${run}:${last}`;
      const entry = { respond: answer };
      held.set(key, entry);
      const waiter = waiters.get(key);
      waiters.delete(key);
      if (waiter) waiter(entry);
      return;
    }
    answer();
    return;
  }
  if (url.pathname === '/empty') {
    // 200 text/event-stream, no body, closed at once: a careless server, forever.
    const times = emptyHits.get(url.searchParams.get('run')) || [];
    times.push(Date.now());
    emptyHits.set(url.searchParams.get('run'), times);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.end();
    return;
  }
  if (url.pathname === '/flow') {
    const ids = url.searchParams.get('ids') === '1';
    let n = last;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    // 10 events every 10 ms: 1,000 events/s.
    const timer = setInterval(() => {
      let text = '';
      for (let i = 0; i < RATE / 100; i++) {
        n++;
        text += `${ids ? `id: ${n}\n` : ''}data: ${n} ${pad}\n\n`;
      }
      res.write(text);
    }, 10);
    res.on('close', () => clearInterval(timer));
    return;
  }
  if (url.pathname === '/page') {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
    res.end(page(url.searchParams.get('mode')));
    return;
  }
  if (url.pathname.startsWith('/dist/') && /^[\w./-]+$/.test(url.pathname) && !url.pathname.includes('..')) {
    try {
      const body = readFileSync(ROOT + url.pathname.slice(1));
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
      res.end(body);
      return;
    } catch {
      // Falls through to 404.
    }
  }
  res.writeHead(404);
  res.end();
});
server.on('connection', (socket) => {
  openSockets++;
  socket.on('close', () => openSockets--);
});
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;

/* ---------- the pages ---------- */

// Counts the page's pending timers (set and neither fired nor cleared) and drives a soak; ES5, for the legacy page too.
const INSTRUMENT = `(function (w) {
  var set = w.setTimeout, clear = w.clearTimeout, pending = {}, count = 0;
  w.setTimeout = function (fn, ms) {
    var id = set(function () { if (pending[id]) { delete pending[id]; count--; } fn(); }, ms);
    pending[id] = true; count++;
    return id;
  };
  w.clearTimeout = function (id) { if (pending[id]) { delete pending[id]; count--; } clear(id); };
  w.__timers = function () { return count; };
  w.__soak = { count: 0, bad: 0, first: null, last: 0 };
  w.__check = function (data) {
    var n = +String(data).split(' ')[0], s = w.__soak;
    if (s.first === null) s.first = n;
    else if (n !== s.last + 1) s.bad++;
    s.last = n; s.count++;
  };
})(window);`;

function page(mode) {
  const load =
    mode === 'legacy'
      ? `<script src="/dist/ssekit.js"></script><script>window.__lib = SSEKit;</script>`
      : `<script type="module">import * as lib from '/dist/index.mjs'; window.__lib = lib;</script>`;
  return `${mode === 'legacy' ? head('legacy', 'soak') : '<!DOCTYPE html><html><head><meta charset="utf-8"><title>soak</title>'}
<script>${INSTRUMENT}</script>
${load}
</head><body>soak ${mode}</body></html>`;
}

/* ---------- measuring ---------- */

const mb = (bytes) => Math.round((bytes / 1048576) * 100) / 100;

async function nodeSample(signal) {
  globalThis.gc();
  globalThis.gc();
  return {
    heapMB: mb(process.memoryUsage().heapUsed),
    timers: process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length,
    listeners: signal ? getEventListeners(signal, 'abort').length : 0,
    sockets: openSockets,
  };
}

// Evaluates `expression` in the page over CDP (Playwright's evaluate needs globalThis, Set and Map,
// which the IE-class page deleted); returns its value.
async function ev(cdp, expression) {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, returnByValue: true });
  if (exceptionDetails) throw new Error(`${expression}: ${JSON.stringify(exceptionDetails.exception || exceptionDetails.text)}`);
  return result.value;
}

async function pageSample(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => (metrics.find((m) => m.name === name) || { value: 0 }).value;
  return {
    heapMB: mb(usedSize),
    timers: await ev(cdp, 'window.__timers()'),
    listeners: metric('JSEventListeners'),
    sockets: openSockets,
    domNodes: metric('Nodes'),
  };
}

// Waits for checkpoint `key`, or fails after `limit` ms without one (a stalled soak).
async function reach(key, limit) {
  let timer;
  const stalled = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`soak stalled before ${key}`)), limit);
  });
  try {
    return await Promise.race([checkpoint(key), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/* ---------- reconnection cycles ---------- */

let runs = 0;

// One soak: `start(url)` starts the stream; `sample()` reads the counts; `delivered()` the events seen.
async function cycles(label, start, sample, delivered, stop) {
  const run = `r${++runs}`;
  const url = `${ORIGIN}/cycle?run=${run}`;
  const began = Date.now();
  await start(url);
  const rows = [];
  for (let n = STEP; n <= CYCLES; n += STEP) {
    const entry = await reach(`${run}:${n}`, 120_000);
    const counts = await sample();
    const seen = await delivered();
    rows.push({ cycle: n, ...counts, delivered: seen.count, lost_or_repeated: seen.bad + Math.abs(seen.count - n) });
    entry.respond();
  }
  await stop();
  const seconds = Math.round((Date.now() - began) / 100) / 10;
  return { label, seconds, rows };
}

async function nodeCycles() {
  const out = [];
  {
    let es;
    const seen = { count: 0, bad: 0, last: 0 };
    out.push(
      await cycles(
        'Node, EventSource (fetch)',
        (url) => {
          es = new EventSource(url);
          es.onmessage = (e) => {
            if (+e.data !== seen.last + 1) seen.bad++;
            seen.last = +e.data;
            seen.count++;
          };
        },
        () => nodeSample(null),
        () => seen,
        () => es.close(),
      ),
    );
  }
  {
    let stream;
    const controller = new AbortController();
    const seen = { count: 0, bad: 0, last: 0 };
    out.push(
      await cycles(
        'Node, connect() (fetch)',
        (url) => {
          stream = connect(url, { signal: controller.signal, retry: { min: 0 } });
          stream.onmessage = (e) => {
            if (+e.data !== seen.last + 1) seen.bad++;
            seen.last = +e.data;
            seen.count++;
          };
        },
        () => nodeSample(controller.signal),
        () => seen,
        () => controller.abort(),
      ),
    );
  }
  return out;
}

async function launch() {
  const { path } = testChromium();
  return chromium.launch({
    headless: true,
    ...(path ? { executablePath: path } : {}),
    args: [...CHROMIUM_FLAGS, '--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
  });
}

async function openPage(browser, mode) {
  const pg = await browser.newPage();
  await pg.goto(`${ORIGIN}/page?mode=${mode}`);
  const cdp = await pg.context().newCDPSession(pg);
  await cdp.send('Performance.enable');
  for (let i = 0; !(await ev(cdp, '!!window.__lib')); i++) {
    if (i > 100) throw new Error(`the ${mode} page did not load ssekit`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { pg, cdp };
}

async function browserCycles(browser) {
  const out = [];
  for (const mode of ['modern', 'legacy']) {
    for (const kind of ['EventSource', 'connect()']) {
      const { pg, cdp } = await openPage(browser, mode);
      out.push(
        await cycles(
          `Chromium ${mode === 'modern' ? 'modern page (fetch)' : 'IE-class page (XHR)'}, ${kind}`,
          (url) =>
            ev(
              cdp,
              `(function () {
                var lib = window.__lib, u = ${JSON.stringify(url)};
                var s = ${kind === 'EventSource' ? 'new lib.EventSource(u)' : 'lib.connect(u, { retry: { min: 0 } })'};
                s.onmessage = function (e) { window.__check(e.data); };
                window.__stream = s;
              })()`,
            ),
          () => pageSample(cdp),
          () => ev(cdp, 'window.__soak'),
          () => ev(cdp, 'window.__stream.close()'),
        ),
      );
      await pg.close();
    }
  }
  return out;
}

/* ---------- streams held at 1,000 events/s ---------- */

async function flows() {
  const kinds = [
    { label: 'IE-class page (XHR), EventSource, events with ids', mode: 'legacy', ids: 1 },
    { label: 'IE-class page (XHR), EventSource, events without ids', mode: 'legacy', ids: 0 },
    { label: 'modern page (fetch), EventSource, events with ids', mode: 'modern', ids: 1 },
  ];
  // A browser each, over a bare DevTools pipe (bench/lib/cdp.mjs): its renderer's memory is that
  // stream's alone. Not through Playwright, which turns on the Network domain in every page: the
  // renderer then keeps each XMLHttpRequest's response for DevTools, and the IE-class pages' memory
  // grew by what the stream had sent (116 -> 160 MB in 10 minutes with ids), none of it ssekit's.
  const opened = [];
  for (const kind of kinds) {
    // The e2e tests' Chromium (the headless shell where installed): no renderers of a browser UI
    // beside the tab's, so the renderers' memory below is the page's.
    const browser = await CdpBrowser.launch(testChromium().path);
    const page = await browser.newPage(`${ORIGIN}/page?mode=${kind.mode}`);
    for (let i = 0; !(await ev(page, '!!window.__lib')); i++) {
      if (i > 100) throw new Error(`the ${kind.mode} page did not load ssekit`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    opened.push({ kind, browser, page, rows: [] });
  }
  for (const o of opened) {
    await ev(
      o.page,
      `(function () {
        var s = new window.__lib.EventSource(${JSON.stringify(`${ORIGIN}/flow?ids=${o.kind.ids}`)});
        s.onmessage = function (e) { window.__check(e.data); };
        window.__stream = s;
      })()`,
    );
  }
  const began = Date.now();
  for (let i = 1; i <= FLOW_SAMPLES; i++) {
    const due = began + (FLOW_MS * i) / FLOW_SAMPLES;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    for (const o of opened) {
      const counts = await pageSample(o.page);
      const seen = await ev(o.page, 'window.__soak');
      o.rows.push({
        seconds: Math.round((Date.now() - began) / 1000),
        events: seen.count,
        out_of_order: seen.bad,
        heapMB: counts.heapMB,
        rendererRssMB: await rendererRssMB(o.browser),
        timers: counts.timers,
        listeners: counts.listeners,
      });
    }
  }
  for (const o of opened) {
    await ev(o.page, 'window.__stream.close()');
    await o.browser.close();
  }
  return opened.map((o) => ({ label: o.kind.label, seconds: Math.round(FLOW_MS / 1000), rows: o.rows }));
}

// The resident memory of a browser's renderer processes, in MB: its one tab's (the page may have
// moved to a second renderer on its first navigation; the first then exits or stays near empty).
async function rendererRssMB(browser) {
  let kB = 0;
  for (const pid of await browser.rendererPids()) {
    try {
      kB += +(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8')) || [0, 0])[1];
    } catch {
      // The process is gone.
    }
  }
  return Math.round((kB / 1024) * 10) / 10;
}

/* ---------- hostile streams through the parser ---------- */

// Each body fed in 64 KiB reads (or whole: one read), timed, heap after GC before and after: time per
// byte and flat memory (the parser keeps nothing of what it has dispatched).
function hostile() {
  const MB = SHORT ? 4 : 100;
  const read = 64 * 1024;
  const cases = [
    { label: `${MB} MB of comments only, in 64 KiB reads`, body: () => ': keep-alive\n'.repeat(Math.ceil((MB << 20) / 13)), whole: false },
    { label: `${MB} MB of tiny events (data:x) in one read`, body: () => 'data:x\n\n'.repeat(Math.ceil((MB << 20) / 8)), whole: true },
    { label: `${MB} MB of 1 MiB ids, in 64 KiB reads`, body: () => `id: ${'i'.repeat(1 << 20)}\ndata: x\n\n`.repeat(MB), whole: false },
    { label: `${MB} MB of 1 MiB retry: values, in 64 KiB reads`, body: () => `retry: ${'9'.repeat(1 << 20)}\n`.repeat(MB), whole: false },
    {
      label: `${MB} MB of one endless line, maxEventSize 1 Mi, in 64 KiB reads`,
      body: () => 'data: ' + 'x'.repeat(MB << 20),
      whole: false,
      limit: 1 << 20,
    },
  ];
  const rows = [];
  for (const c of cases) {
    const body = c.body();
    // Flattened before the measure (repeat() makes a rope, which the first slice would flatten).
    body.indexOf('\u0001');
    let events = 0;
    let overflows = 0;
    const parser = createParser({
      onEvent: () => events++,
      onRetry: () => {},
      onComment: () => {},
      ...(c.limit ? { maxEventSize: c.limit, onOverflow: () => overflows++ } : {}),
    });
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const began = process.hrtime.bigint();
    if (c.whole) parser.feed(body);
    else {
      for (let i = 0; i < body.length; i += read) {
        parser.feed(body.slice(i, i + read));
        if (i % (16 << 20) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    const ns = Number(process.hrtime.bigint() - began);
    globalThis.gc();
    const after = process.memoryUsage().heapUsed;
    rows.push({
      stream: c.label,
      MB: Math.round(body.length / 1048576),
      ms: Math.round(ns / 1e6),
      ns_per_byte: Math.round((ns / body.length) * 100) / 100,
      events,
      overflows,
      heap_growth_MB: mb(after - before),
      peak_over_start_MB: mb(peak - before),
    });
  }
  return rows;
}

/* ---------- empty bodies, closed at once, forever ---------- */

// One EventSource and one connect() stream (defaults) against /empty for EMPTY_MS: how often they ask.
async function emptyBodies() {
  const es = new EventSource(`${ORIGIN}/empty?run=es`);
  const stream = connect(`${ORIGIN}/empty?run=connect`);
  stream.onerror = () => {};
  es.onerror = () => {};
  await new Promise((resolve) => setTimeout(resolve, EMPTY_MS));
  es.close();
  stream.close();
  return [
    ['Node, EventSource (reconnection time 3 s)', 'es'],
    ['Node, connect() (backoff: retry.min 500 ms to retry.initial 1 s)', 'connect'],
  ].map(([label, run]) => {
    const times = emptyHits.get(run) || [];
    const gaps = times
      .slice(1)
      .map((t, i) => t - times[i])
      .sort((a, b) => a - b);
    return {
      client: label,
      seconds: EMPTY_MS / 1000,
      requests: times.length,
      per_minute: Math.round((times.length / EMPTY_MS) * 60_000),
      min_gap_ms: gaps.length ? gaps[0] : null,
      median_gap_ms: gaps.length ? gaps[gaps.length >> 1] : null,
    };
  });
}

/* ---------- report ---------- */

function table(title, rows) {
  const keys = Object.keys(rows[0]);
  const cells = [keys, ...rows.map((r) => keys.map((k) => (r[k] === null || r[k] === undefined ? '-' : String(r[k]))))];
  const widths = keys.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) => '| ' + row.map((c, i) => c.padStart(widths[i])).join(' | ') + ' |';
  return [`${title}`, '', line(keys), '|' + widths.map((w) => '-'.repeat(w + 1) + ':').join('|') + '|', ...cells.slice(1).map(line), ''].join('\n');
}

const problems = [];

function judgeCycles(result) {
  const rows = result.rows;
  for (const key of ['timers', 'listeners']) {
    const values = new Set(rows.map((r) => r[key]));
    if (values.size > 1) problems.push(`${result.label}: ${key} not flat: ${[...values].join(', ')}`);
  }
  // The server's open sockets include the browser's idle keep-alive ones (of the page load, of the
  // previous page), which it closes in its own time: fewer is no leak, more would be.
  if (rows.some((r) => r.sockets > rows[0].sockets)) problems.push(`${result.label}: sockets grew: ${rows.map((r) => r.sockets).join(', ')}`);
  const bad = rows.reduce((sum, r) => sum + r.lost_or_repeated, 0);
  if (bad) problems.push(`${result.label}: events lost or repeated (${bad})`);
}

// Never a tight loop: EventSource waits its reconnection time (3 s), connect() at least retry.min (500 ms).
function judgeEmpty(rows) {
  for (const row of rows) {
    const floor = row.client.includes('EventSource') ? 2900 : 450;
    if (row.min_gap_ms === null || row.min_gap_ms < floor) problems.push(`${row.client}: requests ${row.min_gap_ms} ms apart against empty bodies`);
  }
}

function judgeFlow(result) {
  const end = result.rows[result.rows.length - 1];
  if (end.out_of_order) problems.push(`${result.label}: ${end.out_of_order} events out of order (lost or repeated)`);
  const expected = (FLOW_MS / 1000) * RATE;
  if (end.events < expected * 0.5) problems.push(`${result.label}: only ${end.events} events of about ${expected}`);
  const values = new Set(result.rows.map((r) => r.timers));
  if (values.size > 2) problems.push(`${result.label}: timers not flat: ${[...values].join(', ')}`);
}

// --judge: prints the tables of bench/results/soak.json and judges them again (after a change of the judging).
if (process.argv.includes('--judge')) {
  const file = fileURLToPath(new URL('results/soak.json', import.meta.url));
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  if (saved.hostile) console.log(table('Hostile streams through the parser', saved.hostile));
  for (const r of saved.cycleRuns || []) {
    console.log(table(`${r.label}: ${saved.cycles} reconnection cycles in ${r.seconds} s`, r.rows));
    judgeCycles(r);
  }
  if (saved.empty) {
    console.log(table(`A server answering 200 with an empty body and closing at once`, saved.empty));
    judgeEmpty(saved.empty);
  }
  for (const r of saved.flows || []) {
    console.log(table(`${r.label}: held ${r.seconds} s at ${RATE} events/s`, r.rows));
    judgeFlow(r);
  }
  saved.problems = problems;
  writeFileSync(file, JSON.stringify(saved, null, 2) + '\n');
  server.close();
  console.log(problems.length ? 'Soak problems:\n- ' + problems.join('\n- ') : 'Soak: every event delivered once; timers, listeners and sockets flat.');
  process.exit(problems.length ? 1 : 0);
}

const results = {
  date: new Date().toISOString(),
  node: process.version,
  short: SHORT,
  cycles: CYCLES,
  flowSeconds: FLOW_MS / 1000,
};
let browser = null;
try {
  if (PART === 'all' || PART === 'hostile') {
    results.hostile = hostile();
    console.log(table('Hostile streams through the parser (Node; the body itself is in memory, the parser adds nothing)', results.hostile));
  }
  if (PART === 'all' || PART === 'cycles') {
    results.cycleRuns = await nodeCycles();
    browser = await launch();
    results.chromium = browser.version();
    results.cycleRuns.push(...(await browserCycles(browser)));
    await browser.close();
    browser = null;
    for (const r of results.cycleRuns) {
      console.log(table(`${r.label}: ${CYCLES} reconnection cycles in ${r.seconds} s`, r.rows));
      judgeCycles(r);
    }
  }
  if (PART === 'all' || PART === 'flow') {
    // The empty bodies run beside the held streams: both are mostly waiting.
    const [flowResults, empty] = await Promise.all([flows(), emptyBodies()]);
    results.flows = flowResults;
    results.empty = empty;
    console.log(table(`A server answering 200 with an empty body and closing at once, for ${EMPTY_MS / 1000} s`, empty));
    judgeEmpty(empty);
    for (const r of results.flows) {
      console.log(table(`${r.label}: held ${r.seconds} s at ${RATE} events/s`, r.rows));
      judgeFlow(r);
    }
  }
} finally {
  if (browser) await browser.close();
  server.closeAllConnections();
  server.close();
}
results.problems = problems;
if (!SHORT) {
  const file = fileURLToPath(new URL('results/soak.json', import.meta.url));
  let previous = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // First run.
  }
  // A part run alone keeps the other parts' last results.
  for (const key of ['hostile', 'cycleRuns', 'chromium', 'flows', 'empty']) if (results[key] === undefined) results[key] = previous[key];
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`Written to ${file}`);
}
if (problems.length) {
  console.error('Soak problems:\n- ' + problems.join('\n- '));
  process.exit(1);
}
console.log('Soak: every event delivered once; timers, listeners and sockets flat.');
