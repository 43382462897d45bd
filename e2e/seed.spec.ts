// The seed's example, end to end: its page on /event and on the held-open /stream shows the seed's result in all three modes.
import type { LogEntry } from '../demo-server/app.js';
import { expect, MODES, SEED_PATHS, test, type DemoServer, type Mode } from './fixtures';

// Reconnections take 3 s each (the default reconnection time), and the page needs three connections.
const SEED_TIMEOUT = 15_000;

/**
 * The texts of the first `n` elements. Read one by one in Playwright's utility world: the bulk
 * reads (allTextContents) run in the page's own world, where the legacy page deleted Set & co.
 */
async function firstTexts(locator: import('@playwright/test').Locator, n: number): Promise<(string | null)[]> {
  const texts: (string | null)[] = [];
  for (let i = 0; i < n; i++) texts.push(await locator.nth(i).textContent());
  return texts;
}

/** The /event or /stream requests a page made since `mark`, told apart by their Referer. */
function streamRequests(server: DemoServer, mark: number, pagePath: string, streamPath: string): LogEntry[] {
  return server.log.entries.filter((entry: LogEntry) => {
    if (entry.seq < mark || entry.path !== streamPath) return false;
    const referer = entry.headers['referer'];
    return typeof referer === 'string' && new URL(referer).pathname === pagePath;
  });
}

async function expectPageFacts(page: import('@playwright/test').Page, mode: Mode): Promise<void> {
  const about = page.locator('#about');
  await expect(about).toHaveAttribute('data-mode', mode);
  const engine = page.locator('#engine');
  const env = page.locator('#env');
  const transport = page.locator('#transport');
  if (mode === 'native') {
    await expect(engine).toHaveAttribute('data-engine', 'native');
    await expect(env).toHaveAttribute('data-missing', '');
    // The browser's own EventSource goes through neither XMLHttpRequest nor fetch.
    await expect(transport).toHaveAttribute('data-xhr', '0');
    await expect(transport).toHaveAttribute('data-fetch', '0');
  } else if (mode === 'modern') {
    await expect(engine).toHaveAttribute('data-engine', 'ssekit');
    await expect(env).toHaveAttribute('data-missing', 'EventSource');
    await expect(transport).not.toHaveAttribute('data-fetch', '0');
    await expect(transport).toHaveAttribute('data-xhr', '0');
  } else {
    await expect(engine).toHaveAttribute('data-engine', 'ssekit');
    const missing = ((await env.getAttribute('data-missing')) || '').split(' ');
    expect(missing).toEqual(
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
    await expect(transport).not.toHaveAttribute('data-xhr', '0');
    await expect(transport).toHaveAttribute('data-fetch', '0');
  }
}

for (const mode of MODES) {
  const path = SEED_PATHS[mode];

  test(`${mode} ${path}: one event per connection, reconnecting with Last-Event-ID (the seed's result)`, async ({ page, server }) => {
    test.setTimeout(SEED_TIMEOUT + 10_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const mark = server.log.mark();
    await page.goto(path);
    const divs = page.locator('body > div');
    // The page keeps growing (one connection every 3 s): wait for six, then read the first six.
    await expect(divs.nth(5)).toBeAttached({ timeout: SEED_TIMEOUT });
    expect(await firstTexts(divs, 6)).toEqual(['SSE connected!', '>>51 ', 'SSE connected!', '>>52 ', 'SSE connected!', '>>53 ']);
    await expectPageFacts(page, mode);
    // `id: 51 ` sets the last event ID to "51 "; HTTP drops the space around a header value, so it arrives as "51".
    const requests = streamRequests(server, mark, path, '/event');
    expect(requests.slice(0, 3).map((entry) => [entry.url, entry.headers['last-event-id'] ?? null])).toEqual([
      ['/event?id=50', null],
      ['/event?id=50', '51'],
      ['/event?id=50', '52'],
    ]);
    expect(requests[0]?.headers['accept']).toBe('text/event-stream');
    expect(errors).toEqual([]);
  });

  test(`${mode} ${path}?src=/stream: one held-open connection`, async ({ page, server }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const mark = server.log.mark();
    await page.goto(`${path}?src=/stream`);
    const divs = page.locator('body > div');
    // Events come every second on the same connection: wait for four, then read the first four.
    await expect(divs.nth(3)).toBeAttached({ timeout: SEED_TIMEOUT });
    expect(await firstTexts(divs, 4)).toEqual(['SSE connected!', '>>51 ', '>>52 ', '>>53 ']);
    await expect(divs.filter({ hasText: 'SSE connected!' })).toHaveCount(1);
    await expectPageFacts(page, mode);
    const requests = streamRequests(server, mark, path, '/stream');
    expect(requests.map((entry) => entry.url)).toEqual(['/stream?id=50']);
    expect(errors).toEqual([]);
  });
}
