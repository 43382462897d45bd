// Runs fuzz cases in the browser: one fuzz page per mode plays a whole batch (each case its own EventSource on its own scripted stream), then the records are compared with native's and shrunk on a divergence.
import { isDeepStrictEqual } from 'node:util';
import type { DemoServer, Lanes, Mode, PageReport, RecordedEvent } from '../fixtures';
import type { EngineName } from '../engines';
import { departureOf, type Departure } from './departures';
import { expectedRecord, listenedTypes, type CaseRecord } from './model';
import { connectionOf, describe, escapeText, shrinkCandidates, smaller, streamBytes, type FuzzCase } from './stream';

export const MODES: readonly Mode[] = ['native', 'modern', 'legacy'];
export type SsekitMode = 'modern' | 'legacy';

export interface BatchOptions {
  /** Cases played at once in each page (each one connection; Chromium allows 6 per host). */
  lanes: number;
  /** Milliseconds before the page gives up on one case. */
  caseTimeout: number;
}

export const DEFAULT_OPTIONS: BatchOptions = { lanes: 4, caseTimeout: 10_000 };

export interface ModeRun extends Pick<PageReport<CaseRecord[]>, 'engine' | 'transport' | 'pageErrors'> {
  records: CaseRecord[];
}

/** Plays `cases` in one mode, in the mode's kept tab. */
async function runMode(lanes: Lanes, server: DemoServer, cases: FuzzCase[], mode: Mode, options: BatchOptions): Promise<ModeRun> {
  const origin = new URL(server.url).origin;
  const keys = cases.map((c) => server.scripts.add({ connections: [connectionOf(c)] }));
  const list = cases.map((c, i) => ({ url: `/script/${keys[i]}`, listen: listenedTypes(streamBytes(c), origin) }));
  const key = server.scripts.add({ connections: [], page: { cases: list, lanes: options.lanes, caseTimeout: options.caseTimeout } });
  // Every case is bounded by the page's own timer, so the batch is too.
  const bound = Math.ceil(cases.length / options.lanes) * options.caseTimeout + 10_000;
  const report = await lanes.visit<CaseRecord[]>(server, mode, `${server.url}/fuzz?mode=${mode}&key=${key}`, key, bound);
  if (!report) {
    // Which cases never asked for their stream, or never saw it end: where the page stopped.
    const stuck = keys.flatMap((k, i) => {
      const entries = server.log.forKey(k);
      return entries.length === 0 ? [`${i}: not requested`] : entries.some((e) => e.closedAt === undefined) ? [`${i}: still open`] : [];
    });
    throw new Error(`${mode}: the fuzz page sent no report within ${bound} ms; cases (within the batch) ${stuck.slice(0, 20).join(', ')}`);
  }
  return { records: report.payload, pageErrors: report.pageErrors, engine: report.engine, transport: report.transport };
}

export type BatchRun = Record<Mode, ModeRun>;

/** Plays `cases` in the three modes at once. */
export async function runBatch(lanes: Lanes, server: DemoServer, cases: FuzzCase[], options: BatchOptions = DEFAULT_OPTIONS): Promise<BatchRun> {
  const [native, modern, legacy] = await Promise.all(MODES.map((mode) => runMode(lanes, server, cases, mode, options)));
  return { native: native as ModeRun, modern: modern as ModeRun, legacy: legacy as ModeRun };
}

/** Two records are the same: every event (all its fields, in order), readyState at start and end, nothing thrown, no timeout. */
function same(a: CaseRecord | undefined, b: CaseRecord | undefined): boolean {
  return isDeepStrictEqual(a, b);
}

export interface Verdict {
  /** The spec's model: what ssekit must record (native's record, in every case native follows the standard), but for the modes a departure is shared by. */
  expected: CaseRecord;
  /** The known departure of the engine's native EventSource the case falls in (departures.ts). */
  departure: Departure | undefined;
  /** The ssekit modes that recorded something else than the model. */
  diverging: SsekitMode[];
  /** Native recorded something else than the spec's model. */
  nativeOffSpec: boolean;
  /** Native did not read the stream to its end (the page gave up on it). */
  nativeIncomplete: boolean;
}

/**
 * Compares the records of case `i` of a batch played in `engine`. ssekit is compared with the
 * spec's model; native must agree with the model too, except in the engine's known departures.
 */
export function judge(c: FuzzCase, run: BatchRun, i: number, origin: string, engine: EngineName): Verdict {
  const model = expectedRecord(streamBytes(c), origin);
  const native = run.native.records[i] as CaseRecord;
  const departure = departureOf(engine, c);
  // A mode that reads through the engine's own code where it departs is compared with native.
  const diverging = (['modern', 'legacy'] as const).filter((mode) => !same(run[mode].records[i], departure?.shared?.includes(mode) ? native : model));
  return { expected: model, departure, diverging, nativeOffSpec: !same(native, model), nativeIncomplete: !native || native.timedOut };
}

/** Whether a case fails the test: ssekit off the model, or native off it (or stuck) outside a known departure. */
export function failing(v: Verdict): boolean {
  return v.diverging.length > 0 || (!v.departure && (v.nativeOffSpec || v.nativeIncomplete));
}

export interface Shrunk {
  engine: EngineName;
  origin: string;
  original: FuzzCase;
  minimal: FuzzCase;
  verdict: Verdict;
  run: Record<Mode, CaseRecord>;
  rounds: number;
  tried: number;
}

/**
 * Shrinks a failing case: each round plays up to `limit` simpler candidates (three modes, one
 * batch) and keeps the smallest that still fails the same way (the same ssekit modes diverge, or
 * native still departs from the model), for at most `maxRounds` rounds.
 */
export async function shrink(lanes: Lanes, server: DemoServer, c: FuzzCase, verdict: Verdict, maxRounds = 25, limit = 96): Promise<Shrunk> {
  const origin = new URL(server.url).origin;
  const engine = lanes.engine.name;
  // The same failure, or (for a known departure being minimised) native still off the model there.
  const still = (v: Verdict) =>
    verdict.diverging.length
      ? verdict.diverging.every((mode) => v.diverging.includes(mode))
      : verdict.nativeIncomplete
        ? v.nativeIncomplete
        : v.nativeOffSpec && v.departure === verdict.departure;
  let current = c;
  let currentVerdict = verdict;
  let rounds = 0;
  let tried = 0;
  for (; rounds < maxRounds; rounds++) {
    const candidates = shrinkCandidates(current, limit);
    if (!candidates.length) break;
    tried += candidates.length;
    const run = await runBatch(lanes, server, candidates, { lanes: 6, caseTimeout: DEFAULT_OPTIONS.caseTimeout });
    let best: { c: FuzzCase; v: Verdict } | null = null;
    candidates.forEach((candidate, i) => {
      const v = judge(candidate, run, i, origin, engine);
      if (still(v) && (!best || smaller(candidate, best.c) < 0)) best = { c: candidate, v };
    });
    if (!best) break;
    current = (best as { c: FuzzCase; v: Verdict }).c;
    currentVerdict = (best as { c: FuzzCase; v: Verdict }).v;
  }
  // The minimal case once more, for the records shown in the report.
  const final = await runBatch(lanes, server, [current]);
  const finalVerdict = judge(current, final, 0, origin, engine);
  return {
    engine,
    origin,
    original: c,
    minimal: current,
    verdict: failing(finalVerdict) || finalVerdict.nativeOffSpec ? finalVerdict : currentVerdict,
    run: { native: final.native.records[0] as CaseRecord, modern: final.modern.records[0] as CaseRecord, legacy: final.legacy.records[0] as CaseRecord },
    rounds,
    tried,
  };
}

function showEvent(e: RecordedEvent): string {
  let text = `${e.type === undefined ? '?' : escapeText(e.type)} rs=${e.readyState} ${e.iface}`;
  if (e.data !== undefined) text += ` data="${escapeText(e.data)}" id="${escapeText(e.lastEventId ?? '')}"`;
  if (e.origin !== undefined) text += ` origin=${e.origin} source=${e.source} ports=${e.ports}`;
  if (e.afterClose) text += ' AFTER close()';
  return text;
}

/** A record, one event a line. */
export function showRecord(r: CaseRecord | undefined): string {
  if (!r) return '    (no record)';
  const lines = r.events.map((e) => '    ' + showEvent(e));
  lines.push(
    `    readyState at start ${r.readyStateAtStart}, at end ${r.readyStateAtEnd}${r.thrown ? `, threw ${r.thrown}` : ''}${r.timedOut ? ', TIMED OUT' : ''}`,
  );
  return lines.join('\n');
}

/** The report of one failing case: seed, stream, minimised stream and each mode's record of it. */
export function report(s: Shrunk): string {
  const v = s.verdict;
  const what = v.diverging.length
    ? `ssekit ${v.diverging.join(' and ')} ${v.diverging.length > 1 ? 'differ' : 'differs'} from the spec's model`
    : v.nativeOffSpec
      ? v.departure
        ? `native departs from the spec's model (known: ${v.departure.name}; ${v.departure.spec})`
        : "native differs from the spec's model (a new departure of this engine, or a bug in e2e/fuzz/model.ts)"
      : 'native did not read the stream to its end';
  const bytes = streamBytes(s.minimal);
  return [
    `${v.diverging.length || !v.departure ? 'FUZZ DIVERGENCE' : 'KNOWN DEPARTURE'} (${s.engine}), seed ${s.original.seed} case ${s.original.index}: ${what}`,
    `replay: FUZZ_SEED=${s.original.seed} FUZZ_ONLY=${s.original.index} npx playwright test e2e/fuzz.spec.ts`,
    `original stream: ${describe(s.original, false)}`,
    `minimised stream (${s.rounds} rounds, ${s.tried} candidates): ${describe(s.minimal, bytes.length <= 512)}`,
    `records of the minimised stream:`,
    `  spec model:`,
    showRecord(expectedRecord(bytes, s.origin)),
    `  native:`,
    showRecord(s.run.native),
    `  modern (ssekit over fetch):`,
    showRecord(s.run.modern),
    `  legacy (ssekit over XHR, IE-class page):`,
    showRecord(s.run.legacy),
  ].join('\n');
}
