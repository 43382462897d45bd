// ssekit/shared's hand-over times (issue 16): three tabs share one SharedEventSource connection; the leading tab is closed, navigated away, crashed or frozen, and the bench times the new leader's request and every tab's first event from it.
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Browser } from './lib/cdp.mjs';
import { envNumber, fmt, median, quick, table } from './lib/stats.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REPS = envNumber('BENCH_SHARED_REPS', quick() ? 2 : 7);
const TABS = 3;
// The stream's pace. A resumed request gets its first event at once, so the times below do not
// depend on it; slow enough that the tabs are never busy.
const EVERY = 200;
// Every wait of the bench is bounded by this.
const BOUND = 15_000;
const CASES = ['closed', 'navigated', 'crashed', 'frozen'];
const log = (s) => process.stderr.write(`  ${s}\n`);

/**
 * 127.0.0.1, port 0: dist/ files, an empty page, and /stream?run=R: `id: n` + `data: {"n","c"}`
 * (c: the connection's number within its run), the first event at once, then one every EVERY
 * ms, from the event after the request's Last-Event-ID. Each request's arrival time is kept.
 */
function startServer() {
  /** @type {Map<string, { at: number, lastEventId: string | null }[]>} */
  const runs = new Map();
  const server = createServer((req, res) => {
    const url = new URL(req.url || '/', 'http://x');
    if (url.pathname.startsWith('/dist/') && !url.pathname.includes('..')) {
      try {
        const body = readFileSync(ROOT + url.pathname.slice(1));
        res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    if (url.pathname === '/page') {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
      res.end('<!DOCTYPE html><meta charset="utf-8"><title>ssekit/shared bench</title>');
      return;
    }
    if (url.pathname === '/stream') {
      const run = url.searchParams.get('run') || '';
      const requests = runs.get(run) || [];
      runs.set(run, requests);
      const lastEventId = req.headers['last-event-id'] ?? null;
      requests.push({ at: Date.now(), lastEventId: typeof lastEventId === 'string' ? lastEventId : null });
      const c = requests.length;
      let n = Number(lastEventId) || 0;
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      const tick = () => res.write(`id: ${++n}\ndata: {"n":${n},"c":${c}}\n\n`);
      tick();
      const timer = setInterval(tick, EVERY);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({
        origin: `http://127.0.0.1:${port}`,
        requests: (run) => runs.get(run) || [],
        close: () => {
          server.closeAllConnections();
          return new Promise((r) => server.close(r));
        },
      });
    });
  });
}

// Each tab records every event with the wall clock (Date.now(), as the server's: one machine).
const RECORD = (url) => `(async () => {
  const { SharedEventSource } = await import('/dist/shared.mjs');
  const rec = (window.__rec = []);
  window.__log = [];
  const es = (window.__es = new SharedEventSource(${JSON.stringify(url)}));
  es.onmessage = (e) => { const d = JSON.parse(e.data); rec.push([d.n, d.c, Date.now()]); };
  es.onopen = () => window.__log.push('open');
  es.onerror = () => window.__log.push('error:' + es.readyState);
  return true;
})()`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` (async, truthy when done) every 10 ms, at most BOUND ms; throws with `what` otherwise. */
async function until(check, what) {
  const end = Date.now() + BOUND;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out (${BOUND} ms) waiting for ${what}`);
    await sleep(10);
  }
}

const records = (page) => page.eval('window.__rec');

/** One hand-over: returns { request, delivered } in ms after the leader went, checked. */
async function handOver(browser, server, how, rep) {
  const run = `${how}-${rep}-${Date.now()}`;
  const url = `/stream?run=${run}`;
  const tabs = [];
  try {
    for (let i = 0; i < TABS; i++) tabs.push(await browser.newPage(`${server.origin}/page`));
    const [leader, ...others] = tabs;
    // The first tab leads: it constructs first and gets the lock before the others ask.
    await leader.eval(RECORD(url));
    await until(async () => (await records(leader)).length > 0, 'the leader');
    for (const tab of others) await tab.eval(RECORD(url));
    await until(async () => {
      for (const tab of others) if ((await records(tab)).length < 3) return false;
      return true;
    }, 'every tab to read the stream');
    if (server.requests(run).length !== 1) throw new Error(`${how}: ${server.requests(run).length} connections before the hand-over, not 1`);
    if (how === 'frozen') {
      // Chromium freezes hidden pages only; the tabs opened later are in front of the leader.
      const visibility = await leader.eval('document.visibilityState');
      if (visibility !== 'hidden') throw new Error(`the leader tab is ${visibility}: it cannot be frozen`);
    }
    const since = Date.now();
    if (how === 'closed') await leader.close();
    else if (how === 'navigated') await leader.send('Page.navigate', { url: `${server.origin}/page?away` });
    else if (how === 'crashed') leader.send('Page.crash').catch(() => undefined);
    else await leader.send('Page.setWebLifecycleState', { state: 'frozen' });
    const second = await until(() => server.requests(run)[1], 'the new leader’s request');
    // Every remaining tab has an event of the new connection.
    const firsts = [];
    for (const tab of others) {
      const first = await until(async () => (await records(tab)).find((r) => r[1] === 2), 'an event of the new connection');
      firsts.push(first[2]);
    }
    // Verified: each remaining tab has the server's numbers once, in order, and saw no error.
    for (const tab of others) {
      const ns = (await records(tab)).map((r) => r[0]);
      if (ns.some((n, i) => i > 0 && n !== ns[i - 1] + 1)) throw new Error(`${how}: a tab's events are not the server's sequence: ${ns.join(',')}`);
      const events = await tab.eval('window.__log');
      if (events.join() !== 'open') throw new Error(`${how}: a tab saw ${events.join(', ')} (the hand-over must be unseen)`);
    }
    if (second.lastEventId === null) throw new Error(`${how}: the new leader sent no Last-Event-ID`);
    if (how === 'frozen') await leader.send('Page.setWebLifecycleState', { state: 'active' });
    return { request: second.at - since, delivered: Math.max(...firsts) - since, lastEventId: second.lastEventId };
  } finally {
    for (const tab of tabs) await tab.close().catch(() => undefined);
  }
}

export async function runSharedBench() {
  const server = await startServer();
  const browser = await Browser.launch();
  const result = { date: new Date().toISOString(), chromium: browser.version, reps: REPS, tabs: TABS, every: EVERY, cases: {} };
  try {
    for (const how of CASES) {
      const runs = [];
      for (let rep = 0; rep < REPS; rep++) {
        runs.push(await handOver(browser, server, how, rep));
        log(`${how} ${rep + 1}/${REPS}: request +${runs[rep].request} ms, every tab +${runs[rep].delivered} ms`);
      }
      result.cases[how] = runs;
    }
  } finally {
    result.cdpMethodsSent = [...browser.methodsSent].sort();
    await browser.close();
    await server.close();
  }
  const span = (xs) => `${fmt(median(xs), 0)} (${Math.min(...xs)}-${Math.max(...xs)})`;
  const rows = CASES.map((how) => {
    const runs = result.cases[how];
    return [`leader ${how}`, runs.length, span(runs.map((r) => r.request)), span(runs.map((r) => r.delivered))];
  });
  const text = [
    `ssekit/shared hand-over, ${result.chromium}, ${TABS} tabs of one browser, SharedEventSource on a stream with ids; ms after the leader went (median (min-max) of ${REPS}):`,
    table(['case', 'runs', "new leader's request at the server", 'every other tab has an event of it'], rows),
    'Every run checked: one connection before, each remaining tab the server’s numbers once and in order, no error event, Last-Event-ID sent.',
  ].join('\n');
  return { result, text };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { result, text } = await runSharedBench();
  console.log(text);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/shared.json', import.meta.url), JSON.stringify(result, null, 1) + '\n');
}
