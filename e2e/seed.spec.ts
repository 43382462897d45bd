// The seed's example, end to end: its page on /event and on the held-open /stream shows the seed's result in all three modes.
import type { LogEntry } from '../demo-server/app.js';
import { expect, MODES, SEED_PATHS, test, type DemoServer, type Lanes, type Mode, type PageReport } from './fixtures';

// Reconnections take 3 s each (the default reconnection time), and the page needs three connections.
const SEED_TIMEOUT = 15_000;

/** The /event or /stream requests a page made since `mark`, told apart by their Referer. */
function streamRequests(server: DemoServer, mark: number, pagePath: string, streamPath: string): LogEntry[] {
  return server.log.entries.filter((entry: LogEntry) => {
    if (entry.seq < mark || entry.path !== streamPath) return false;
    const referer = entry.headers['referer'];
    return typeof referer === 'string' && new URL(referer).pathname === pagePath;
  });
}

/** A seed page's report: the texts of its divs (what the seed's script appended) once there were enough. */
type SeedReport = PageReport<{ texts: string[] }>;

let unique = 0;

/** Opens the seed page `path` in `mode`'s tab and waits (bounded) for its first `count` lines. */
async function seedLines(lanes: Lanes, server: DemoServer, mode: Mode, path: string, count: number): Promise<SeedReport> {
  const key = `seed-${mode}-${unique++}`;
  const separator = path.includes('?') ? '&' : '?';
  const report = await lanes.visit<{ texts: string[] }>(server, mode, `${server.url}${path}${separator}report=${key}&count=${count}`, key, SEED_TIMEOUT);
  if (!report) throw new Error(`${mode} ${path}: fewer than ${count} lines within ${SEED_TIMEOUT} ms`);
  return report;
}

function expectPageFacts(report: SeedReport, mode: Mode): void {
  if (mode === 'native') {
    expect(report.engine).toBe('native');
    expect(report.missing).toEqual([]);
    // The browser's own EventSource goes through neither XMLHttpRequest nor fetch.
    expect(report.transport).toEqual({ xhr: 0, fetch: 0 });
  } else if (mode === 'modern') {
    expect(report.engine).toBe('ssekit');
    expect(report.missing).toEqual(['EventSource']);
    expect(report.transport.fetch).toBeGreaterThan(0);
    expect(report.transport.xhr).toBe(0);
  } else {
    expect(report.engine).toBe('ssekit');
    expect(report.missing).toEqual(
      expect.arrayContaining([
        'EventSource',
        'fetch',
        'ReadableStream',
        'TextDecoder',
        'AbortController',
        'URL',
        'Symbol',
        'Map',
        'Set',
        'WeakMap',
        'Promise',
        'Reflect',
        'Event',
        'MessageEvent',
        'EventTarget',
        'Object.assign',
      ]),
    );
    expect(report.transport.xhr).toBeGreaterThan(0);
    expect(report.transport.fetch).toBe(0);
  }
}

for (const mode of MODES) {
  const path = SEED_PATHS[mode];

  test(`${mode} ${path}: one event per connection, reconnecting with Last-Event-ID (the seed's result)`, async ({ lanes, server }) => {
    test.setTimeout(SEED_TIMEOUT + 20_000);
    const mark = server.log.mark();
    // The page keeps growing (one connection every 3 s): its report holds the first six lines.
    const report = await seedLines(lanes, server, mode, path, 6);
    expect(report.payload.texts.slice(0, 6)).toEqual(['SSE connected!', '>>51 ', 'SSE connected!', '>>52 ', 'SSE connected!', '>>53 ']);
    expectPageFacts(report, mode);
    // `id: 51 ` sets the last event ID to "51 "; HTTP drops the space around a header value, so it arrives as "51".
    const requests = streamRequests(server, mark, path, '/event');
    expect(requests.slice(0, 3).map((entry) => [entry.url, entry.headers['last-event-id'] ?? null])).toEqual([
      ['/event?id=50', null],
      ['/event?id=50', '51'],
      ['/event?id=50', '52'],
    ]);
    expect(requests[0]?.headers['accept']).toBe('text/event-stream');
    expect(report.pageErrors).toEqual([]);
  });

  test(`${mode} ${path}?src=/stream: one held-open connection`, async ({ lanes, server }) => {
    const mark = server.log.mark();
    // Events come every second on the same connection: the report holds the first four lines.
    const report = await seedLines(lanes, server, mode, `${path}?src=/stream`, 4);
    expect(report.payload.texts).toEqual(['SSE connected!', '>>51 ', '>>52 ', '>>53 ']);
    expectPageFacts(report, mode);
    const requests = streamRequests(server, mark, path, '/stream');
    expect(requests.map((entry) => entry.url)).toEqual(['/stream?id=50']);
    expect(report.pageErrors).toEqual([]);
  });
}
