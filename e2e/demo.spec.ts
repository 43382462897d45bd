// The showcase page /demo in Chromium: the three panels (native, ssekit ES module, IE-class page) on the seed's streams, their controls, the connect() section, and a render check on a screenshot.
import type { FrameLocator, Locator, Page } from '@playwright/test';
import type { LogEntry } from '../demo-server/app.js';
import { expect, MODES, test, type DemoServer, type Mode } from './fixtures';

// On /event each reconnection waits the default reconnection time (about 3 s).
const SEED_TIMEOUT = 12_000;

// The size the page is designed for.
test.use({ viewport: { width: 1280, height: 800 } });

const NAMES: Record<Mode, string> = { native: 'Native EventSource', modern: 'ssekit · ES module', legacy: 'ssekit · IE-class page' };

const panel = (page: Page, mode: Mode): FrameLocator => page.frameLocator(`#panel-${mode}`);

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * Waits for the log's first lines and compares them exactly (trailing space included). Read one by
 * one: textContent() runs in Playwright's utility world, untouched by the IE-class page's deletions.
 */
async function expectLogStart(log: Locator, lines: string[]): Promise<void> {
  await expect(log.nth(lines.length - 1)).toBeAttached({ timeout: SEED_TIMEOUT });
  const texts: (string | null)[] = [];
  for (let i = 0; i < lines.length; i++) texts.push(await log.nth(i).textContent());
  expect(texts).toEqual(lines);
}

/** Requests to `path` since `mark` made by one panel, told apart by the panel page in their Referer. */
function panelRequests(server: DemoServer, mark: number, mode: Mode, path: string): LogEntry[] {
  return server.log.entries.filter((entry: LogEntry) => {
    const referer = entry.headers['referer'];
    return entry.seq >= mark && entry.path === path && typeof referer === 'string' && new URL(referer).searchParams.get('mode') === mode;
  });
}

const since = (server: DemoServer, mark: number, path: string) => server.log.entries.filter((entry: LogEntry) => entry.seq >= mark && entry.path === path);

test('on /event every panel shows the seed lines, what it runs, and reconnects with Last-Event-ID', async ({ page, server }) => {
  test.setTimeout(SEED_TIMEOUT + 10_000);
  const errors = collectErrors(page);
  const mark = server.log.mark();
  await page.goto('/demo');
  for (const mode of MODES) {
    const frame = panel(page, mode);
    await expect(frame.locator('#mode')).toHaveText(NAMES[mode]);
    await expect(frame.locator('#engine')).toHaveAttribute('data-engine', mode === 'native' ? 'native' : 'ssekit');
    await expect(frame.locator('body')).toHaveAttribute('data-src', '/event');
    const transport = frame.locator('#transport');
    if (mode === 'legacy') {
      await expect(transport).not.toHaveAttribute('data-xhr', '0');
      await expect(transport).toHaveAttribute('data-fetch', '0');
      await expect(frame.locator('#env')).toHaveAttribute('data-missing', /\bfetch\b.*\bPromise\b/);
    } else if (mode === 'modern') {
      await expect(frame.locator('#env')).toHaveAttribute('data-missing', 'EventSource');
    }
  }
  // Each panel holds its own connections: all three reach the second connection.
  for (const mode of MODES) {
    const frame = panel(page, mode);
    await expectLogStart(frame.locator('#log .ev'), ['SSE connected!', '>>51 ', 'SSE connected!']);
    const reconnects = Number(await frame.locator('#reconnects').getAttribute('data-count'));
    expect(reconnects).toBeGreaterThanOrEqual(1);
    await expect(frame.locator('#last-id')).toHaveAttribute('data-value', /^\d+ $/);
    await expect(frame.locator('#log .err').first()).toHaveText('error: reconnecting, with Last-Event-ID "51 "');
    const requests = panelRequests(server, mark, mode, '/event');
    expect(requests.slice(0, 2).map((entry) => [entry.url, entry.headers['last-event-id'] ?? null])).toEqual([
      ['/event?id=50', null],
      ['/event?id=50', '51'],
    ]);
  }
  expect(errors).toEqual([]);
});

test('switching to /stream holds one connection; close stops one log while the others go on; reopen, close all', async ({ page }) => {
  test.setTimeout(SEED_TIMEOUT + 10_000);
  const errors = collectErrors(page);
  await page.goto('/demo');
  for (const mode of MODES) await expect(panel(page, mode).locator('html')).toHaveAttribute('data-ready', 'true');
  await page.locator('#all-src button[data-src="/stream"]').click();
  await expect(page.locator('#all-src button[data-src="/stream"]')).toHaveClass(/\bon\b/);
  for (const mode of MODES) {
    const frame = panel(page, mode);
    await expect(frame.locator('body')).toHaveAttribute('data-src', '/stream');
    await expect(frame.locator('#src-stream')).toHaveClass('on');
    await expectLogStart(frame.locator('#log .ev'), ['SSE connected!', '>>51 ', '>>52 ']);
    await expect(frame.locator('#log .ev', { hasText: 'SSE connected!' })).toHaveCount(1);
    await expect(frame.locator('#state')).toHaveAttribute('data-state', '1');
    await expect(frame.locator('#reconnects')).toHaveAttribute('data-count', '0');
  }

  // Close the ES module panel; two more events in the native one show time passed without it growing.
  const closed = panel(page, 'modern');
  await closed.locator('#close').click();
  await expect(closed.locator('#state')).toHaveAttribute('data-state', '2');
  await expect(closed.locator('#close')).toBeDisabled();
  const frozen = await closed.locator('#log .ev').count();
  const native = panel(page, 'native').locator('#log .ev');
  const going = await native.count();
  await expect(native.nth(going + 1)).toBeAttached();
  await expect(closed.locator('#log .ev')).toHaveCount(frozen);
  await expect(closed.locator('#log .note').last()).toHaveText('close(): no more events, no reconnection');

  // Reopen gives a fresh EventSource on the same stream.
  await closed.locator('#reopen').click();
  await expect(closed.locator('#state')).toHaveAttribute('data-state', '1');
  await expectLogStart(closed.locator('#log .ev'), ['SSE connected!', '>>51 ']);

  await page.locator('#close-all').click();
  for (const mode of MODES) await expect(panel(page, mode).locator('#state')).toHaveAttribute('data-state', '2');
  expect(errors).toEqual([]);
});

test('the connect() section: a header per connection, the POST echo, and backoff then open', async ({ page, server }) => {
  const errors = collectErrors(page);
  await page.goto('/demo');
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  const mark = server.log.mark();
  const prompt = 'héllo from the e2e test';
  await page.locator('#post-prompt').fill(prompt);
  await page.locator('#run-headers').click();
  await page.locator('#run-post').click();
  await page.locator('#run-backoff').click();

  // Headers: the token the page's headers() made for each connection, as the server received it.
  const rows = page.locator('#headers-out li.row');
  await expect(rows).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(rows.nth(i)).toHaveAttribute('data-auth', `Bearer demo-token-${i + 1}`);
  await expect(rows.nth(1)).toContainText('Last-Event-ID 1');
  await expect(page.locator('#headers-out li.note')).toHaveText('closed by the page after 3 connections');
  const whoami = since(server, mark, '/demo/whoami');
  expect(whoami.map((entry) => [entry.headers['authorization'], entry.headers['last-event-id'] ?? null])).toEqual([
    ['Bearer demo-token-1', null],
    ['Bearer demo-token-2', '1'],
    ['Bearer demo-token-3', '2'],
  ]);

  // POST: sent once as JSON, echoed, streamed back word by word, then a clean close.
  const body = JSON.stringify({ prompt });
  await expect(page.locator('#post-out li.echo')).toHaveAttribute('data-body', body);
  await expect(page.locator('#post-out li.echo')).toContainText('POST application/json');
  await expect(page.locator('#post-words')).toHaveText(prompt);
  await expect(page.locator('#post-out li.done')).toBeVisible();
  const echo = since(server, mark, '/demo/echo');
  expect(echo.map((entry) => [entry.method, entry.body])).toEqual([['POST', body]]);

  // Backoff: three 503s, each an error event and a planned wait of 250 × 2^n ms, then the open.
  const attempts = page.locator('#backoff-rows tr');
  await expect(attempts).toHaveCount(4);
  await expect(attempts.nth(3)).toHaveAttribute('data-answer', 'open');
  for (let i = 0; i < 3; i++) {
    await expect(attempts.nth(i)).toHaveAttribute('data-answer', 'failed');
    await expect(attempts.nth(i).locator('.answer')).toHaveText('503 → error');
  }
  await expect(attempts.locator('.plan')).toHaveText(['', '250 ms', '500 ms', '1000 ms']);
  await expect(attempts.nth(3).locator('.answer')).toHaveText('200 → open');
  await expect(page.locator('#backoff-out p.server')).toHaveAttribute('data-requests', '4');
  await expect(page.locator('#backoff-out p.note')).toHaveText('Closed by the page once the stream was open.');
  expect(since(server, mark, '/demo/flaky').map((entry) => entry.url.replace(/run=[^&]*/, 'run=R'))).toEqual(Array(4).fill('/demo/flaky?run=R&fails=3'));
  expect(errors).toEqual([]);
});

test('the page renders at 1280×800: a non-trivial screenshot, three panels side by side', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/demo');
  for (const mode of MODES) await expect(panel(page, mode).locator('#log .ev').nth(1)).toBeAttached({ timeout: SEED_TIMEOUT });

  const png = await page.screenshot();
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  // IHDR: width and height at bytes 16 and 20.
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 800]);
  // A blank or unstyled page of this size compresses to a few KB; the demo is text, colour and borders.
  expect(png.length).toBeGreaterThan(60_000);

  const boxes = [];
  for (const mode of MODES) {
    const box = await page.locator(`#panel-${mode}`).boundingBox();
    expect(box, `#panel-${mode} has a box`).not.toBeNull();
    boxes.push(box as NonNullable<typeof box>);
    // Each panel paints something of its own (a blank frame of this size is under 2 KB).
    expect((await page.locator(`#panel-${mode}`).screenshot()).length).toBeGreaterThan(10_000);
  }
  for (const box of boxes) {
    expect(box.width).toBeGreaterThan(350);
    expect(box.height).toBeGreaterThan(300);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
  }
  for (let i = 1; i < boxes.length; i++) {
    const [left, right] = [boxes[i - 1] as (typeof boxes)[number], boxes[i] as (typeof boxes)[number]];
    expect(Math.abs(right.y - left.y)).toBeLessThan(2);
    expect(left.x + left.width).toBeLessThanOrEqual(right.x);
  }
  // Nothing wider than the viewport, and the wrapper section starts on the first screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  const cards = await page.locator('#try-headers').boundingBox();
  expect(cards && cards.y < 800).toBe(true);
  expect(errors).toEqual([]);
});

test('the ssekit/shared card: three tabs, one connection to the server; closing the leader hands over, no tab misses or repeats an event', async ({
  page,
  server,
}) => {
  test.setTimeout(40_000);
  const errors = collectErrors(page);
  const mark = server.log.mark();
  await page.goto('/demo');
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  const tabs: Page[] = [];
  for (let i = 0; i < 3; i++) {
    const popup = page.waitForEvent('popup');
    await page.locator('#shared-open').click();
    const tab = await popup;
    await expect(tab.locator('html')).toHaveAttribute('data-ready', 'true');
    tabs.push(tab);
  }
  const rows = page.locator('#shared-tabs tr');
  await expect(rows).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(rows.nth(i)).toHaveAttribute('data-events', /^([3-9]|\d\d+)$/, { timeout: 10_000 });
  await expect(page.locator('#shared-connections')).toHaveAttribute('data-count', '1');
  const leader = (await page.locator('#shared-leader').getAttribute('data-tab')) as string;
  expect(leader).toBe(await tabs[0]?.locator('body').getAttribute('data-tab'));
  await expect(page.locator('#shared-tabs tr[data-leader="true"]')).toHaveAttribute('data-tab', leader);
  await expect(tabs[1]?.locator('#role') as Locator).toHaveText(`reads ${leader}'s connection`);

  await page.locator('#shared-close-leader').click();
  await expect(page.locator(`#shared-tabs tr[data-tab="${leader}"]`)).toHaveAttribute('data-gone', 'true');
  await expect(page.locator('#shared-leader')).not.toHaveAttribute('data-tab', new RegExp(`^(${leader}|)$`));
  const next = (await page.locator('#shared-leader').getAttribute('data-tab')) as string;
  expect([await tabs[1]?.locator('body').getAttribute('data-tab'), await tabs[2]?.locator('body').getAttribute('data-tab')]).toContain(next);
  await expect(page.locator('#shared-connections')).toHaveAttribute('data-count', '1');
  const history = page.locator('#shared-history tr');
  await expect(history.last()).toHaveAttribute('data-tab', next);
  await expect(history.last()).toHaveAttribute('data-last-event-id', /^\d+$/);
  // The remaining tabs go on past the hand-over, every number once and in order.
  for (const tab of tabs.slice(1)) {
    const events = Number(await tab.locator('#events').getAttribute('data-value'));
    await expect(tab.locator('#events')).not.toHaveAttribute('data-value', new RegExp(`^(${events}|${events + 1})$`));
    await expect(tab.locator('#gaps')).toHaveAttribute('data-value', '0');
    await expect(tab.locator('#repeats')).toHaveAttribute('data-value', '0');
    // The hand-over is unseen: the leader handed over at beforeunload, before its request was aborted.
    await expect(tab.locator('#log .err')).toHaveCount(0);
  }
  const requests = since(server, mark, '/demo/shared/stream');
  expect(requests.map((entry) => entry.headers['x-demo-tab'])).toEqual([leader, next]);
  expect(Number(requests[1]?.headers['last-event-id'])).toBeGreaterThan(0);
  for (const tab of tabs.slice(1)) await tab.close();
  expect(errors).toEqual([]);
});
