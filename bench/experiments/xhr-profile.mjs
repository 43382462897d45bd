// One-off: time (and optionally CPU-profile) candidates on one stream with one server write pattern (issue 17).
// node bench/experiments/xhr-profile.mjs [candidates=native,legacy,floor-xhr] [write=whole] [scenario=1KB] [profile=legacy]
import { writeFileSync } from 'node:fs';
import { Browser } from '../lib/cdp.mjs';
import { startServer, CANDIDATES } from '../lib/server.mjs';
import { fixedEvents, namedWithIds } from '../lib/workloads.mjs';

const [cands = 'native,legacy,floor-xhr', write = 'whole', scen = '1KB', prof = '', reps = '3', scale = '1'] = process.argv.slice(2);
const k = (x) => Math.round(x * Number(scale));
const W = {
  '1KB': () => fixedEvents('1KB', k(20000), 1024),
  '64KB': () => fixedEvents('64KB', k(300), 65536),
  small: () => fixedEvents('small', k(100000), 50),
  named: () => namedWithIds('named', k(50000), 50, '\n', 'tick'),
}[scen]();
const type = scen === 'named' ? 'tick' : 'message';
// The polyfill as it was before a change, copied to dist/polyfill-before.min.js by hand.
CANDIDATES['legacy-before'] = { ...CANDIDATES.legacy, body: CANDIDATES.legacy.body.replace('polyfill.min.js', 'polyfill-before.min.js') };
const server = await startServer({ streams: { s: Buffer.from(W.bytes.buffer, W.bytes.byteOffset, W.bytes.length) } });
const browser = await Browser.launch();
try {
  for (let r = 0; r < Number(reps); r++) {
    for (const c of cands.split(',')) {
      const page = await browser.newPage(`${server.origin}/page/${c}${CANDIDATES[c].legacy ? '?legacy=1' : ''}`);
      const profiling = prof.split(',').includes(c) && r === 0;
      if (profiling) {
        await page.send('Profiler.enable');
        await page.send('Profiler.setSamplingInterval', { interval: 200 });
        await page.send('Profiler.start');
      }
      const m0 = await page.metrics();
      const spec = { url: `/stream/s?write=${write}`, type, n: W.events, lfCount: W.lfCount, timeoutMs: 120000 };
      const res = await page.eval(`__bench.throughput(${JSON.stringify(spec)})`);
      const m1 = await page.metrics();
      if (profiling) {
        const { profile } = await page.send('Profiler.stop');
        writeFileSync(`/tmp/x17/${c}-${write}-${scen}.cpuprofile`, JSON.stringify(profile));
      }
      console.log(
        c,
        write,
        scen,
        Math.round(res.ms),
        'ms',
        'cpu',
        Math.round((m1.TaskDuration - m0.TaskDuration) * 1000),
        res.error || '',
        'xhrOpens',
        res.xhrOpens,
      );
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
