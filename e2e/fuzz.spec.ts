// The differential fuzz test: seeded random event streams, cut into delayed chunks, played to native EventSource and to ssekit (ES module and IE-class page); each must record exactly what native recorded, and a divergence is reported with a minimised stream.
//
// Bounded run (npm test): FUZZ_CASES cases per mode (default 300) from a fixed seed.
// Long run (npm run fuzz): FUZZ_LONG=1, 2000 cases per mode by default, a fresh seed unless FUZZ_SEED is set.
// Replay: FUZZ_SEED=<seed> FUZZ_ONLY=<case>[,<case>...] npx playwright test e2e/fuzz.spec.ts
import { expect, test } from './fixtures';
import { expectedRecord } from './fuzz/model';
import { DEPARTURES } from './fuzz/departures';
import { DEFAULT_OPTIONS, failing, judge, MODES, report, runBatch, shrink, type Verdict } from './fuzz/run';
import { describe, generateCase, smaller, streamBytes, TERMINATOR } from './fuzz/stream';

function integer(name: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || value > max) throw new Error(`${name} must be an integer from 0 to ${max}, not ${JSON.stringify(text)}`);
  return value;
}

function envNumber(name: string, fallback: number, max?: number): number {
  const text = process.env[name];
  return text === undefined || text === '' ? fallback : integer(name, text, max);
}

const LONG = !!process.env['FUZZ_LONG'];
/** The bounded run's seed is fixed: `npm test` plays the same cases every time. */
const SEED = envNumber('FUZZ_SEED', LONG ? 1_000_003 : 20_261_129, 0xffffffff);
const CASES = envNumber('FUZZ_CASES', LONG ? 2000 : 300);
const ONLY = (process.env['FUZZ_ONLY'] ?? '')
  .split(',')
  .filter((s) => s.trim() !== '')
  .map((s) => integer('FUZZ_ONLY', s));
/** Cases per test: the tests of a run are spread over Playwright's workers. */
const PER_TEST = LONG ? 250 : 100;
/** Failing cases shrunk and reported per test (the others are listed). */
const SHRUNK_PER_TEST = LONG ? 3 : 1;

const groups: number[][] = [];
if (ONLY.length) groups.push(ONLY);
else {
  for (let start = 0; start < CASES; start += PER_TEST) {
    groups.push(Array.from({ length: Math.min(PER_TEST, CASES - start) }, (_, i) => start + i));
  }
}

for (const indexes of groups) {
  const name = indexes.length === 1 || ONLY.length ? indexes.join(', ') : `${indexes[0]}-${indexes[indexes.length - 1]}`;
  test(`fuzz: seed ${SEED}, cases ${name}`, async ({ lanes, server }, testInfo) => {
    // Bounded by the page: each case at most caseTimeout, `lanes` at a time.
    test.setTimeout(60_000 + Math.ceil(indexes.length / DEFAULT_OPTIONS.lanes) * DEFAULT_OPTIONS.caseTimeout);
    const origin = new URL(server.url).origin;
    const cases = indexes.map((index) => generateCase(SEED, index));
    // The generator's own promise: every stream ends with the terminator event, then the body ends.
    for (const c of cases) {
      expect(
        expectedRecord(streamBytes(c), origin).events.some((e) => e.type === TERMINATOR && e.data === String(c.index)),
        `case ${c.index} dispatches its terminator`,
      ).toBe(true);
    }

    const started = Date.now();
    const run = await runBatch(lanes, server, cases);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzz seed ${SEED} cases ${name}: ${cases.length} cases x ${MODES.length} modes in ${seconds.toFixed(1)} s (${(cases.length / seconds).toFixed(1)} cases/s per mode)`,
    );

    expect(run.native.engine).toBe('native');
    expect([run.native.transport.xhr, run.native.transport.fetch], 'native: neither XHR nor fetch').toEqual([0, 0]);
    expect([run.modern.engine, run.modern.transport.xhr, run.modern.transport.fetch], 'modern: ssekit over fetch').toEqual(['ssekit', 0, cases.length]);
    expect([run.legacy.engine, run.legacy.transport.fetch, run.legacy.transport.xhr >= cases.length], 'legacy: ssekit over XHR').toEqual(['ssekit', 0, true]);
    for (const mode of MODES) {
      expect(run[mode].pageErrors, `${mode}: no page errors`).toEqual([]);
      expect(run[mode].records.length, `${mode}: a record per case`).toBe(cases.length);
    }

    const engine = lanes.engine.name;
    const verdicts: Verdict[] = cases.map((c, i) => judge(c, run, i, origin, engine));
    const failures = cases.map((c, i) => ({ c, v: verdicts[i] as Verdict })).filter(({ v }) => failing(v));
    // The engine's own departures: how many cases fell in each known class, in how many native
    // did depart, and the smallest such stream (the long run minimises one per class).
    for (const departure of DEPARTURES[engine]) {
      const inClass = cases.map((c, i) => ({ c, v: verdicts[i] as Verdict })).filter(({ v }) => v.departure === departure);
      if (!inClass.length) continue;
      const off = inClass.filter(({ v }) => v.nativeOffSpec).sort((a, b) => smaller(a.c, b.c));
      const shared = departure.shared ? ` (${departure.shared.join(', ')} with native: it reads through the same engine code)` : '';
      console.log(`  ${engine}, ${departure.name}: ${inClass.length} case(s), ssekit compared with the spec's model${shared}; native departs in ${off.length}`);
      const smallest = off[0];
      if (!smallest) continue;
      if (LONG) {
        test.setTimeout(testInfo.timeout + 10 * 60_000);
        console.log(report(await shrink(lanes, server, smallest.c, smallest.v)));
      } else console.log(`    smallest: case ${smallest.c.index}, ${describe(smallest.c, streamBytes(smallest.c).length <= 160)}`);
    }

    const reports: string[] = [];
    if (failures.length) {
      // Shrinking replays every candidate in the three modes: give it time (bounded by its rounds).
      test.setTimeout(testInfo.timeout + SHRUNK_PER_TEST * 10 * 60_000);
      for (const { c, v } of failures.slice(0, SHRUNK_PER_TEST)) {
        const text = report(await shrink(lanes, server, c, v));
        console.log(text);
        reports.push(text);
        await testInfo.attach(`fuzz-case-${c.index}.txt`, { body: text, contentType: 'text/plain' });
      }
    }
    const summary = failures.map(
      ({ c, v }) =>
        `case ${c.index}: ${v.diverging.length ? `${v.diverging.join('+')} != spec model` : v.nativeOffSpec ? 'native != spec model' : 'native incomplete'}`,
    );
    expect(summary, reports.join('\n\n')).toEqual([]);
  });
}
