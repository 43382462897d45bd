// Browser benches in Chromium over a bare CDP pipe (issue 6 §2-4): throughput and main-thread CPU, reconnection delay, memory.
import { writeFileSync, mkdirSync } from 'node:fs';
import { Browser } from './lib/cdp.mjs';
import { startServer, CANDIDATES, WRITE_PATTERNS } from './lib/server.mjs';
import { fixedEvents, namedWithIds } from './lib/workloads.mjs';
import { writeEventsource4Script } from './lib/builds.mjs';
import { median, rotate, table, fmt, envNumber, quick } from './lib/stats.mjs';

const QUICK = quick();
const REPS = envNumber('BENCH_BROWSER_REPS', QUICK ? 2 : 5);
const SCALE = envNumber('BENCH_BROWSER_SCALE', QUICK ? 0.2 : 1);
const RECONNECT_REPS = envNumber('BENCH_RECONNECT_REPS', QUICK ? 1 : 3);
const RECONNECT_SAMPLES = envNumber('BENCH_RECONNECT_SAMPLES', QUICK ? 3 : 5);
const MEMORY_MB = envNumber('BENCH_MEMORY_MB', QUICK ? 20 : 100);
const ONLY = (process.env.BENCH_BROWSER_PARTS || 'throughput,reconnect,memory').split(',');
// Subsets for a quick look at one change (ratios need native among them): BENCH_THROUGHPUT_CANDIDATES=native,modern BENCH_SCENARIOS=1KB.
const THROUGHPUT_CANDIDATES = (process.env.BENCH_THROUGHPUT_CANDIDATES || 'native,modern,legacy,yaffle,eventsource4,floor-fetch,floor-xhr').split(',');
const RECONNECT_CANDIDATES = ['native', 'modern', 'legacy', 'yaffle', 'eventsource4'];
const MEMORY_CANDIDATES = (process.env.BENCH_MEMORY_CANDIDATES || 'native,modern,legacy').split(',');
const TIMEOUT_MS = 120000;
const log = (s) => process.stderr.write(`  ${s}\n`);

// The server's write patterns (lib/server.mjs): the whole body in one write, 1 MiB writes, 1 KB
// every 1 ms. Paced streams are a tenth as long (20k × 1 KB would take 20 s a run); the other
// patterns run for every throughput candidate, `whole` and `paced` for PATTERN_CANDIDATES only.
const WRITES = (process.env.BENCH_WRITES || 'whole,mib,paced').split(',');
if (WRITES.some((w) => !WRITE_PATTERNS[w])) throw new Error(`BENCH_WRITES names only ${Object.keys(WRITE_PATTERNS).join(', ')}`);
const PATTERN_CANDIDATES = ['native', 'modern', 'legacy', 'floor-xhr'];
const PACED_SCALE = 0.1;
const n = (x, write) => Math.max(1, Math.round(x * SCALE * (write === 'paced' ? PACED_SCALE : 1)));
const BASES = [
  { key: 'small', label: (w) => `${n(100000, w) / 1000}k × 50 B`, w: (w) => fixedEvents('small', n(100000, w), 50), type: 'message' },
  { key: '1KB', label: (w) => `${n(20000, w) / 1000}k × 1 KB`, w: (w) => fixedEvents('1KB', n(20000, w), 1024), type: 'message' },
  { key: '64KB', label: (w) => `${n(300, w)} × 64 KB`, w: (w) => fixedEvents('64KB', n(300, w), 65536), type: 'message' },
  {
    key: 'named',
    label: (w) => `${n(50000, w) / 1000}k named + ids`,
    w: (w) => namedWithIds('named', n(50000, w), 50, '\n', 'tick'),
    type: 'tick',
    firstId: 100000,
  },
];
const SCENARIO_KEYS = BASES.map((s) => s.key);
if (process.env.BENCH_SCENARIOS) {
  const keep = process.env.BENCH_SCENARIOS.split(',');
  if (keep.some((k) => !SCENARIO_KEYS.includes(k))) throw new Error(`BENCH_SCENARIOS names only ${SCENARIO_KEYS.join(', ')} (case matters)`);
  BASES.splice(0, BASES.length, ...BASES.filter((s) => keep.includes(s.key)));
}
// One throughput scenario per workload and write pattern; `stream` names the server's body.
const SCENARIOS = WRITES.flatMap((write) =>
  BASES.map((b) => ({
    ...b,
    base: b.key,
    key: `${b.key}/${write}`,
    write,
    stream: write === 'paced' ? `${b.key}-paced` : b.key,
    label: `${b.label(write)}, ${WRITE_PATTERNS[write].label}`,
    candidates: write === 'mib' ? THROUGHPUT_CANDIDATES : THROUGHPUT_CANDIDATES.filter((c) => PATTERN_CANDIDATES.includes(c)),
  })),
);
if (!THROUGHPUT_CANDIDATES.includes('native') || THROUGHPUT_CANDIDATES.some((c) => !CANDIDATES[c]))
  throw new Error(`BENCH_THROUGHPUT_CANDIDATES must include native and name only ${Object.keys(CANDIDATES).join(', ')}`);
if (MEMORY_CANDIDATES.some((c) => !CANDIDATES[c] || CANDIDATES[c].floor))
  throw new Error(
    `BENCH_MEMORY_CANDIDATES names only ${Object.keys(CANDIDATES)
      .filter((c) => !CANDIDATES[c].floor)
      .join(', ')}`,
  );
const ALL_PARTS = ['throughput', 'reconnect', 'memory'];
if (ONLY.some((p) => !ALL_PARTS.includes(p))) throw new Error(`BENCH_BROWSER_PARTS names only ${ALL_PARTS.join(', ')}`);
const TARGETS = { small: 0.8, '1KB': { modern: 1.0, legacy: 0.8 }, '64KB': { modern: 1.0, legacy: 0.8 }, named: 0.8 };
const target = (key, c) => {
  if (c !== 'modern' && c !== 'legacy') return null;
  const t = TARGETS[key.split('/')[0]];
  return typeof t === 'number' ? t : t[c];
};

async function openPage(browser, origin, c) {
  const page = await browser.newPage(`${origin}/page/${c}${CANDIDATES[c].legacy ? '?legacy=1' : ''}`);
  if (!(await page.eval('__bench.ready()'))) throw new Error(`${c}: page did not load its EventSource`);
  return page;
}

// Which transport each candidate must have used: a broken page setup cannot pass as a result.
function checkTransport(c, r) {
  const floor = CANDIDATES[c].floor;
  // Floors make exactly one request over their one transport.
  const ok = floor
    ? floor === 'fetch'
      ? r.fetches === 1 && r.xhrOpens === 0
      : r.fetches === 0 && r.xhrOpens === 1
    : c === 'native'
      ? r.fetches === 0 && r.xhrOpens === 0
      : c === 'legacy'
        ? r.fetches === 0 && r.xhrOpens > 0
        : r.fetches > 0;
  if (!ok) throw new Error(`${c}: unexpected transport use (fetch ${r.fetches}, XHR ${r.xhrOpens})`);
}

async function throughput(browser, origin) {
  const samples = {}; // samples[scenario][candidate] = [{ ms, cpu, script }]
  for (const s of SCENARIOS) samples[s.key] = Object.fromEntries(s.candidates.map((c) => [c, []]));
  const run = async (s, c) => {
    const page = await openPage(browser, origin, c);
    try {
      await page.heapAfterGC();
      const m0 = await page.metrics();
      const spec = { url: `/stream/${s.stream}?write=${s.write}`, type: s.type, n: s.events, lfCount: s.lfCount, timeoutMs: TIMEOUT_MS };
      const r = await page.eval(`__bench.throughput(${JSON.stringify(spec)})`);
      const m1 = await page.metrics();
      const floor = CANDIDATES[c].floor;
      // A floor sees the stream's text, not events: all of it, up to its last LF, must have been decoded.
      const want = floor ? { count: s.lfCount, len: s.textLength, what: 'LFs' } : { count: s.events, len: s.dataLength, what: 'events' };
      if (r.error || (floor ? r.lfs : r.n) !== want.count || r.len !== want.len)
        throw new Error(`${c} on ${s.key}: ${JSON.stringify(r)} (expected ${want.count} ${want.what}, ${want.len} chars)`);
      if (!floor && s.firstId !== undefined && r.lastEventId !== String(s.firstId + s.events - 1))
        throw new Error(`${c} on ${s.key}: lastEventId ${r.lastEventId}`);
      checkTransport(c, r);
      return { ms: r.ms, cpu: (m1.TaskDuration - m0.TaskDuration) * 1000, script: (m1.ScriptDuration - m0.ScriptDuration) * 1000 };
    } finally {
      await page.close();
    }
  };
  // Warm-up (not recorded): browser, network service and server paths, for every candidate.
  const warm = SCENARIOS.find((s) => s.write === 'mib') || SCENARIOS[0];
  for (const c of warm.candidates) await run(warm, c);
  for (let rep = 0; rep < REPS; rep++) {
    for (const [si, s] of SCENARIOS.entries()) {
      for (const c of rotate(s.candidates, rep + si)) samples[s.key][c].push(await run(s, c));
    }
    log(`browser throughput rep ${rep + 1}/${REPS}`);
  }
  const cells = [];
  for (const s of SCENARIOS) {
    const nat = samples[s.key].native;
    for (const c of s.candidates) {
      const xs = samples[s.key][c];
      const ratio = median(xs.map((x, i) => nat[i].ms / x.ms));
      const cpuRatio = median(xs.map((x, i) => nat[i].cpu / x.cpu));
      const t = target(s.key, c);
      cells.push({
        scenario: s.key,
        workload: s.base,
        write: s.write,
        label: s.label,
        candidate: c,
        ms: median(xs.map((x) => x.ms)),
        cpuMs: median(xs.map((x) => x.cpu)),
        scriptMs: median(xs.map((x) => x.script)),
        ratio,
        cpuRatio,
        target: t,
        met: t === null ? null : ratio >= t,
        samples: xs,
      });
    }
  }
  const text =
    `Browser throughput, constructor → N-th event (median of ${REPS} interleaved reps). × native = native time / candidate time (> 1 is faster); CPU = renderer main-thread task time (thread ticks)\n\n` +
    table(
      ['scenario', 'candidate', 'ms', '× native', 'CPU ms', 'CPU × native', 'target', 'met'],
      cells.map((x) => [
        x.label,
        CANDIDATES[x.candidate].label,
        fmt(x.ms, 0),
        fmt(x.ratio),
        fmt(x.cpuMs, 0),
        fmt(x.cpuRatio),
        x.target === null ? '' : '≥ ' + x.target,
        x.met === null ? '' : x.met ? 'yes' : `no (${fmt(x.ratio - x.target)})`,
      ]),
    );
  return { cells, text };
}

async function reconnect(browser, origin) {
  const samples = Object.fromEntries(RECONNECT_CANDIDATES.map((c) => [c, []]));
  for (let rep = 0; rep < RECONNECT_REPS; rep++) {
    for (const c of rotate(RECONNECT_CANDIDATES, rep)) {
      const page = await openPage(browser, origin, c);
      try {
        const r = await page.eval(`__bench.reconnect(${JSON.stringify({ url: '/reconnect', samples: RECONNECT_SAMPLES, timeoutMs: 30000 })})`);
        if (r.error || r.samples.length !== RECONNECT_SAMPLES || r.messages < RECONNECT_SAMPLES) throw new Error(`${c} reconnect: ${JSON.stringify(r)}`);
        samples[c].push(...r.samples);
      } finally {
        await page.close();
      }
    }
  }
  const nat = median(samples.native);
  const rows = RECONNECT_CANDIDATES.map((c) => {
    const m = median(samples[c]);
    const t = c === 'modern' || c === 'legacy' ? 10 : null;
    return {
      candidate: c,
      median: m,
      min: Math.min(...samples[c]),
      max: Math.max(...samples[c]),
      vsNative: m - nat,
      target: t,
      met: t === null ? null : Math.abs(m - nat) <= t,
      samples: samples[c],
    };
  });
  const text =
    `Reconnection with retry: 250, server ends each response: error → next open (ms, ${RECONNECT_REPS * RECONNECT_SAMPLES} samples each)\n\n` +
    table(
      ['candidate', 'median', 'min', 'max', 'vs native', 'target', 'met'],
      rows.map((r) => [
        CANDIDATES[r.candidate].label,
        fmt(r.median, 1),
        fmt(r.min, 1),
        fmt(r.max, 1),
        (r.vsNative >= 0 ? '+' : '') + fmt(r.vsNative, 1),
        r.target === null ? '' : `±${r.target} ms`,
        r.met === null ? '' : r.met ? 'yes' : 'no',
      ]),
    );
  return { rows, text };
}

const SEGMENT_EVENTS = 10000; // × 1 KB ≈ 10 MB a segment
async function memory(browser, origin, server) {
  const segments = Math.max(1, Math.round(MEMORY_MB / 10));
  const plain = fixedEvents('mem', SEGMENT_EVENTS, 1024, 7);
  const runs = [];
  for (const variant of ['noids', 'ids']) {
    for (const c of MEMORY_CANDIDATES) {
      const token = `${variant}-${c}-${Date.now()}`;
      const page = await openPage(browser, origin, c);
      try {
        const sample = async (mb, extra) => ({ mb, heap: await page.heapAfterGC(), anon: page.rendererAnon(), ...extra });
        const points = [await sample(0)];
        await page.eval(`__bench.start(${JSON.stringify({ url: `/segmented/${variant}/${token}` })})`);
        for (let t = Date.now(); !server.hasRequest(token);) {
          if (Date.now() - t > 10000) throw new Error(`${c}: no request for the memory stream`);
          await sleep(10);
        }
        let bytes = 0;
        let live;
        const t0 = Date.now();
        for (let k = 0; k < segments; k++) {
          await server.pushSegment(token);
          bytes += plain.bytes.length;
          for (const t = Date.now(); ;) {
            live = await page.eval('__bench.live()');
            if (live.n >= (k + 1) * SEGMENT_EVENTS) break;
            if (Date.now() - t > 60000) throw new Error(`${c} memory: stuck at ${live.n} events`);
            await sleep(20);
          }
          points.push(await sample(bytes / 1e6));
        }
        const total = segments * SEGMENT_EVENTS;
        if (live.n !== total || live.len !== total * 1024 || live.errors !== 0)
          throw new Error(`${c} memory: ${JSON.stringify(live)}, expected ${total} events`);
        if (variant === 'ids' && live.lastId !== String(total - 1)) throw new Error(`${c} memory: last id ${live.lastId}`);
        checkTransport(c, live);
        await page.eval('__bench.stop()');
        points.push(await sample(bytes / 1e6, { closed: true }));
        const served = server.requests(token);
        runs.push({ variant, candidate: c, points, seconds: (Date.now() - t0) / 1000, requests: served.requests, resumedAt: served.resumed });
        log(
          `memory ${variant} ${c}: JS heap ${fmt(points[points.length - 2].heap / 1e6)} MB, renderer anon ${fmt(points[points.length - 2].anon / 1e6)} MB after ${fmt(bytes / 1e6, 0)} MB`,
        );
      } finally {
        server.endSegmented(token);
        await page.close();
      }
    }
  }
  const pick = (r, i) => r.points[Math.min(i, r.points.length - 1)];
  const mid = Math.ceil(segments / 2);
  const MB = (b) => (b === null || b === undefined ? '—' : fmt(b / 1e6, 1));
  const text =
    `Memory: ${fmt((segments * SEGMENT_EVENTS * 1032) / 1e6, 0)} MB of 1 KB events on one connection. JS = V8 heap used after forced GC; anon = the renderer's resident private memory (RssAnon), where Blink keeps XHR response text (MB)\n\n` +
    table(
      [
        'stream',
        'candidate',
        'JS before',
        `JS @${fmt(pick(runs[0], mid).mb, 0)} MB`,
        `JS @${fmt(pick(runs[0], segments).mb, 0)} MB`,
        'anon before',
        `anon @${fmt(pick(runs[0], mid).mb, 0)} MB`,
        `anon @${fmt(pick(runs[0], segments).mb, 0)} MB`,
        'anon after close()',
        's',
        'requests',
        'legacy < 5 MB (anon growth)',
      ],
      runs.map((r) => {
        const growth = pick(r, segments).anon - r.points[0].anon;
        return [
          r.variant === 'ids' ? 'with ids' : 'no ids',
          CANDIDATES[r.candidate].label,
          MB(r.points[0].heap),
          MB(pick(r, mid).heap),
          MB(pick(r, segments).heap),
          MB(r.points[0].anon),
          MB(pick(r, mid).anon),
          MB(pick(r, segments).anon),
          MB(r.points[r.points.length - 1].anon),
          fmt(r.seconds, 1),
          r.requests,
          r.candidate === 'legacy' ? (growth < 5e6 ? `met (+${MB(growth)})` : `no (+${MB(growth)})`) : '',
        ];
      }),
    );
  return { runs, text };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function runBrowserBench() {
  await writeEventsource4Script();
  const scenarios = SCENARIOS.map((s) => {
    const w = s.w(s.write);
    return { ...s, w: undefined, events: w.events, dataLength: w.dataLength, textLength: w.textLength, lfCount: w.lfCount, bytes: w.bytes };
  });
  SCENARIOS.splice(0, SCENARIOS.length, ...scenarios);
  const streams = Object.fromEntries(scenarios.map((s) => [s.stream, Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.length)]));
  // Segment k of the stream with ids: the same 1 KB payloads, ids k·10000 … k·10000 + 9999.
  const plain = fixedEvents('mem', SEGMENT_EVENTS, 1024, 7);
  const payloads = Buffer.from(plain.bytes).toString('latin1').split('\n\n').slice(0, SEGMENT_EVENTS);
  const segmented = {
    noids: { make: () => plain.bytes, perSegment: SEGMENT_EVENTS, ids: false },
    ids: {
      make: (k) => Buffer.from(payloads.map((p, i) => `id: ${k * SEGMENT_EVENTS + i}\n${p}\n\n`).join(''), 'latin1'),
      perSegment: SEGMENT_EVENTS,
      ids: true,
    },
  };
  const server = await startServer({ streams, segmented });
  const browser = await Browser.launch();
  const result = { bench: 'browser', date: new Date().toISOString(), chromium: browser.version, reps: REPS, scale: SCALE };
  const texts = [];
  try {
    if (ONLY.includes('throughput')) {
      const t = await throughput(browser, server.origin);
      result.throughput = t.cells;
      texts.push(t.text);
    }
    if (ONLY.includes('reconnect')) {
      const r = await reconnect(browser, server.origin);
      result.reconnect = r.rows;
      texts.push(r.text);
    }
    if (ONLY.includes('memory')) {
      const m = await memory(browser, server.origin, server);
      result.memory = m.runs;
      texts.push(m.text);
    }
  } finally {
    result.cdpMethodsSent = [...browser.methodsSent].sort();
    await browser.close();
    await server.close();
  }
  if (result.cdpMethodsSent.some((m) => /^(Network|Fetch)\./.test(m))) throw new Error('a Network/Fetch CDP method was sent');
  texts.unshift(`${result.chromium}, bare CDP pipe; CDP methods sent: ${result.cdpMethodsSent.join(', ')} (never Network.* / Fetch.*)`);
  return { result, text: texts.join('\n\n') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { result, text } = await runBrowserBench();
  console.log(text);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  // A subset (or a part) is a look at one change, not the record: it goes to a .tmp file (ignored by git).
  const subset =
    process.env.BENCH_THROUGHPUT_CANDIDATES ||
    process.env.BENCH_SCENARIOS ||
    process.env.BENCH_WRITES ||
    process.env.BENCH_MEMORY_CANDIDATES ||
    ALL_PARTS.some((p) => !ONLY.includes(p));
  writeFileSync(new URL(subset ? './results/browser-subset.tmp' : './results/browser.json', import.meta.url), JSON.stringify(result, null, 1) + '\n');
}
