// Runs the classic scripts in Debian's mujs, a genuine ES5 engine, under test/mujs/shim.js (IE11-like XHR, virtual clock): an ES2015 built-in that slipped into dist/ssekit.js or dist/polyfill.js fails here, as it would in IE11.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = path.join(root, 'test', 'mujs');
const MUJS_TIMEOUT_MS = 15_000;

type Events = 'plain' | 'ie' | 'page';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function dist(file: string): string {
  const full = path.join(root, 'dist', file);
  if (!existsSync(full)) throw new Error(`dist/${file} is missing: run \`npm run build\` first (npm test builds before testing).`);
  return full;
}

// mujs runs one script, so run.js loads the shim, the classic script and the scenario into one global scope.
function mujs(build: string, scenario: string, events: Events): Run {
  const args = [path.join(dir, 'run.js'), `--events=${events}`, path.join(dir, 'shim.js'), dist(build), path.join(dir, scenario)];
  const result = spawnSync('mujs', args, { cwd: root, encoding: 'utf8', timeout: MUJS_TIMEOUT_MS });
  const error = result.error as NodeJS.ErrnoException | undefined;
  if (error?.code === 'ENOENT') {
    throw new Error('mujs is not installed. The ES5 check needs it: apt-get install -y mujs (.ci/run installs it).');
  }
  if (error?.code === 'ETIMEDOUT') {
    throw new Error(`mujs ${scenario} on ${build} ran past ${MUJS_TIMEOUT_MS} ms:\n${result.stdout}\n${result.stderr}`);
  }
  if (error) throw error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectRun(run: Run, expectedStdout: string[]): void {
  // stdout first: on failure the diff shows which line went wrong, and stderr carries mujs's error and stack.
  expect({ stdout: run.stdout.split('\n'), stderr: run.stderr, status: run.status }).toEqual({
    stdout: [...expectedStdout, ''],
    stderr: '',
    status: 0,
  });
}

const oks = (names: string[]) => [...names.map((name) => `ok ${name}`), 'PASS'];

const request = (lastEventId?: string) =>
  'request GET http://127.0.0.1:3001/event?id=50 [Accept: text/event-stream' +
  (lastEventId === undefined ? '' : ` | Last-Event-ID: ${lastEventId}`) +
  ' | Cache-Control: no-cache] withCredentials=false overrideMimeType="text/plain; charset=utf-8"';

// The seed's result: "SSE connected!" before every number, one event per connection, 3000 ms apart.
const seedTranscript = [
  `t=0 ${request()}`,
  't=0 open readyState=1',
  't=0 message data="51 " lastEventId="51 " origin=http://127.0.0.1:3001 readyState=1',
  't=0 error readyState=0 timers=0',
  `t=3000 ${request('51 ')}`,
  't=3000 open readyState=1',
  't=3000 message data="52 " lastEventId="52 " origin=http://127.0.0.1:3001 readyState=1',
  't=3000 error readyState=0 timers=0',
  `t=6000 ${request('52 ')}`,
  't=6000 open readyState=1',
  't=6000 message data="53 " lastEventId="53 " origin=http://127.0.0.1:3001 readyState=1',
  't=6000 close() readyState=2 aborted=true timers=0',
  't=66000 done',
  'PASS',
];

const parseCases = [
  'CRLF split across chunks, lone CR, CR then CR',
  'named events reach addEventListener(name) only',
  'multi-line data, empty data, comments, unknown fields, non-ASCII text',
  'an unterminated event at the end of the body is discarded',
  'retry: 50 sets the reconnection delay, invalid retry values do not',
  'id: sets, resets and persists the last event ID; Last-Event-ID follows it',
  'a non-200 status or a MIME type other than text/event-stream fails the connection',
  'network errors reestablish the connection',
  'close() in a listener drops the rest of the chunk',
  'close() while reconnecting cancels the reconnection',
  'onopen / onmessage / onerror handler attributes',
  'addEventListener dedupes, removeEventListener, handleEvent objects',
  'event objects: open, message, error',
  'EventSource.CONNECTING / OPEN / CLOSED, length, read-only attributes',
  'TypeError without arguments and without new',
  'URL resolution against location.href, credentials, cross-origin headers',
  'message origin is the origin of the URL, default port dropped',
];

const installCases = [
  'only SSEKit and EventSource are added to the global object',
  'the global EventSource is SSEKit.EventSource, on window and self',
  'install() puts EventSource back after it was deleted',
  'SSEKit.createParser works on its own',
  'a page that already has EventSource keeps it',
];

const urlCases = [
  ...[
    'event',
    '/event?id=50',
    '?q',
    '//other.example:8080/s',
    'https://other.example/s?x#f',
    '../event',
    './event',
    'a/./b/../c',
    '/x/../y',
    '',
    '#f',
    'HTTP://Example.COM:80/A',
    'http://example.com',
  ].map((input) => `url ${JSON.stringify(input)}`),
  ...['http://exa mple.com/', 'http://[bad/'].map((input) => `url ${JSON.stringify(input)} throws SyntaxError`),
];

const connectCases = [
  'onResponse: on 401 the token is refreshed and the stream reconnects at once, once',
  "onResponse: 'accept' reads a text/plain body, an Error ends the stream with it",
  'retry.shouldRetry: true retries a 404, false ends on a 503; attempt counts from 1',
  "retry.min floors the server's retry: 0; Retry-After is never undercut and spread by jitter",
  'json: data: [DONE] closes the stream cleanly, without a ParseError',
  'handler properties onopen, onmessage, onerror, onclose',
  'a Last-Event-ID in headers is the starting point only, and the object is left alone',
  'errors say what happened: NetworkError before a response, GaveUpError names the last failure',
  'over XHR, a reset mid-body is a network error: a POST ends with a NetworkError, however the engine reports it',
  'over XHR, a reset mid-body makes a GET reconnect after an error event; a clean end reconnects without one',
];

const lifecycleCases = [
  'EventSource: the back/forward cache aborts the request; restored, it reconnects at once with Last-Event-ID, no error event',
  'EventSource: page transition events without persisted (a page that is not cached, or IE) change nothing',
  'EventSource: close() and a failed connection remove the listeners',
  'EventSource: a URL whose scheme is not http(s), data or blob fails at once, without a request',
  'EventSource: an abort the page caused (window.stop()) fails the connection, no reconnection',
];

const connectLifecycleCases = [
  'connect(): the back/forward cache and freeze abort the request; shown or resumed, it reconnects at once: no error, no attempt counted',
  'connect(): offline, failures count no attempt; online reconnects at once',
  'connect(): pauseWhenHidden closes the request while the document is hidden, reopens it when visible',
  'connect(): close() removes the listeners of window and document',
];

// Rethrown from setTimeout (IE has no reportError), so the page's window.onerror sees each, in order.
const listenerErrors = ['Error: boom 1', 'TypeError: handler 1', 'Error: boom 2', 'TypeError: handler 2', 'Error: boom 3', 'TypeError: handler 3'];

// "plain": no document.createEvent, so plain event objects; "ie": IE9-11's createEvent + initMessageEvent.
const matrix: [string, Events][] = [
  ['ssekit.js', 'plain'],
  ['ssekit.js', 'ie'],
  ['ssekit.min.js', 'plain'],
];

const polyfillInstallCases = [
  'only EventSource is added to the global object',
  'the global EventSource is the same on window and self, with the IDL surface',
  'a page that already has EventSource keeps it',
  'loaded again where EventSource is missing, it installs a working one',
];

const pageUrlCases = [
  ...['http://exa mple.com/', 'http://[bad/', 'http://example.com:65536/'].map((input) => `url ${JSON.stringify(input)} throws SyntaxError`),
  ...['http://example.com:65535/s', 'http://[::1]:3001/s'].map((input) => `url ${JSON.stringify(input)}`),
];

// The page-only polyfill assumes an IE10-11 document, so only the "page" shim fits it: createEvent
// and initMessageEvent, plus createElement for the <a> that resolves URLs and the element whose
// dispatch reports listener errors.
const polyfills = ['polyfill.js', 'polyfill.min.js'];

describe('mujs (ES5 interpreter)', () => {
  it('is installed', () => {
    const result = spawnSync('mujs', [path.join(dir, 'run.js')], { encoding: 'utf8', timeout: MUJS_TIMEOUT_MS });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error('mujs is not installed. The ES5 check needs it: apt-get install -y mujs (.ci/run installs it).');
    }
    expect(result.stderr).toContain('usage: mujs run.js');
  });

  describe.each(matrix)('%s, %s events', (build, events) => {
    it('seed: three connections, Last-Event-ID sent back, reconnection at 3000 ms, close()', () => {
      expectRun(mujs(build, 'seed.js', events), seedTranscript);
    });

    it('parse rules, response checks and the IDL surface through the full engine', () => {
      expectRun(mujs(build, 'parse.js', events), oks(parseCases));
    });

    it('installs the global EventSource and SSEKit, and nothing else', () => {
      expectRun(mujs(build, 'install.js', events), oks(installCases));
    });

    it('a throwing listener is reported and does not stop the other listeners or the stream', () => {
      expectRun(mujs(build, 'listener-error.js', events), [...listenerErrors.map((e) => `uncaught (timer) ${e}`), 'PASS']);
    });

    it('connect(): the response hook, retry decisions and timing, [DONE], handler properties, Last-Event-ID, errors', () => {
      expectRun(mujs(build, 'connect.js', events), oks(connectCases));
    });

    it("the page's lifecycle: back/forward cache, non-HTTP URLs, the page's aborts; connect(): freeze, offline, hidden; no listener left", () => {
      expectRun(mujs(build, 'lifecycle.js', events), oks([...lifecycleCases, ...connectLifecycleCases]));
    });
  });

  describe.each(polyfills)('%s, an IE11 page (createEvent and createElement)', (build) => {
    it('seed: three connections, Last-Event-ID sent back, reconnection at 3000 ms, close()', () => {
      expectRun(mujs(build, 'seed.js', 'page'), seedTranscript);
    });

    it('parse rules, response checks and the IDL surface through the full engine', () => {
      expectRun(mujs(build, 'parse.js', 'page'), oks(parseCases));
    });

    it('installs the global EventSource, and nothing else', () => {
      expectRun(mujs(build, 'install-polyfill.js', 'page'), oks(polyfillInstallCases));
    });

    // Unlike ssekit.js in the shim's other modes, the page build reports through a DOM element's
    // dispatch: each error reaches window.onerror at once, before the next listener runs
    // (listener-error.js checks the interleaving), rather than from a timer after the dispatch.
    it('a throwing listener is reported at once and does not stop the other listeners or the stream', () => {
      expectRun(mujs(build, 'listener-error.js', 'page'), [...listenerErrors.map((e) => `uncaught (event) ${e}`), 'PASS']);
    });

    it('URLs an <a> resolves but the URL parser rejects (bad host or port) throw a SyntaxError', () => {
      expectRun(mujs(build, 'url-page.js', 'page'), oks(pageUrlCases));
    });

    it("the page's lifecycle: back/forward cache, non-HTTP URLs, the page's aborts; no listener left", () => {
      expectRun(mujs(build, 'lifecycle.js', 'page'), oks(lifecycleCases));
    });
  });

  it('URLs resolved without URL and without document.createElement match the WHATWG URL parser', () => {
    expectRun(mujs('ssekit.js', 'url.js', 'plain'), oks(urlCases));
  });
});
