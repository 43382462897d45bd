// The conformance table's second part (issue 4): cross-origin, CORS and cookies, the IDL surface, close() in every state, big and many events, BOM variants, more line and field cases; each scenario played to native EventSource, ssekit's ES module and ssekit's classic script in an IE-class page, and compared.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testChromium } from './chromium.js';
import type { EngineName, TestCookie } from './engines';
import { createApp, type Chunk, type LogEntry, type ScriptDefinition, type ScriptedConnection } from '../demo-server/app.js';
import { expect, runScenario, test as base, type DemoServer, type HarnessMode, type RecordedEvent, type Recording, type ScenarioRun } from './fixtures';
import { ended, failed, held, message, open, reconnecting, RETRY, SPEC, SSE } from './records';

// ---------------------------------------------------------------------------------------------
// Two origins on one app: the page is served from `page` (127.0.0.1:P), `other` is the same app
// on a second port (127.0.0.1:Q: cross-origin but same-site, so cookies, which ignore ports, go
// along when credentials are included), and `site` is http://localhost:P (cross-site).
// ---------------------------------------------------------------------------------------------

interface Origins {
  page: string;
  other: string;
  site: string;
  /** The engine the scenario runs in. */
  engine: EngineName;
}

interface TwoOrigins {
  server: DemoServer;
  origins: Omit<Origins, 'engine'>;
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

const test = base.extend<object, { twoOrigins: TwoOrigins }>({
  twoOrigins: [
    // Playwright reads a fixture's dependencies from this destructuring pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const app = createApp();
      const first = createServer(app.callback());
      const second = createServer(app.callback());
      const port = await listen(first);
      const otherPort = await listen(second);
      const origins = { page: `http://127.0.0.1:${port}`, other: `http://127.0.0.1:${otherPort}`, site: `http://localhost:${port}` };
      await use({ server: { url: origins.page, log: app.log, scripts: app.scripts, reports: app.reports }, origins });
      for (const server of [first, second]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
    { scope: 'worker' },
  ],
});

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

type Area =
  | 'cross-origin, CORS, cookies'
  | 'IDL surface'
  | 'close() in every state'
  | 'announcing the connection'
  | 'big and many'
  | 'BOM variants'
  | 'lines and fields'
  | 'non-HTTP URLs, aborts by the page'
  | 'native-only';

/** What the server saw of one request, as the modes are compared on it. */
interface Req {
  method: string;
  leg: string;
  preflight: boolean;
  origin: string | null;
  cookie: string | null;
  accept: string | null;
  cacheControl: string | null;
  lastEventId: string | null;
  /** Access-Control-Request-Headers of a preflight. */
  requestHeaders: string | null;
}

/** What is compared between the modes: the page's record (events or probe results) and the server's requests. */
interface View extends Omit<Recording, 'results'> {
  results: unknown;
  requests: unknown;
}

/**
 * How ssekit's record may differ from native's in one mode: a `departure` is where Chromium
 * departs from the spec (ssekit follows the spec; `why` cites it), a `limitation` what a script
 * cannot do in that mode (`why` says why). Each given part replaces or transforms native's.
 */
interface Adjustment {
  kind: 'departure' | 'limitation';
  modes: ('modern' | 'legacy')[];
  /** The engines it applies in (default: all). */
  engines?: EngineName[];
  /** ssekit reaches the stop condition where native (see Scenario.native) does not. */
  finished?: true;
  why: string;
  events?: (o: Origins) => RecordedEvent[];
  results?: (native: any, o: Origins) => unknown;
  /** Native's requests (or their `requestsView`) turned into ssekit's, compared with toMatchObject. */
  requests?: (native: any, o: Origins) => unknown;
  /** The rest of the record ssekit makes instead of native's (where native threw from the constructor). */
  record?: (o: Origins, actual: View) => Partial<View>;
}

interface Scenario {
  name: string;
  area: Area;
  script: (o: Origins) => ScriptDefinition;
  /** Cookies the page's tab holds when the scenario starts. */
  cookies?: (o: Origins) => TestCookie[];
  /** What native must record, written by hand (so a change in Chromium is noticed). */
  events?: (o: Origins) => RecordedEvent[];
  /** A probe's results native must produce (compared with toMatchObject: the listed members). */
  results?: (o: Origins) => unknown;
  /** The requests native must make (compared with toMatchObject: the listed members of each; with `requestsView`, its form). */
  requests?: (o: Origins) => unknown;
  /** The page throws on purpose: its uncaught errors are compared between the modes instead of being an error. */
  pageErrors?: string[];
  /** What of the requests is compared between the modes (default: every request, in order). */
  requestsView?: (requests: Req[]) => unknown;
  /** What of a probe's results is compared between the modes (default: all of them). */
  compare?: (results: any) => unknown;
  adjust?: Adjustment[];
  /**
   * When the pages report what they have if the scenario has not ended (ms, default 5,000): more
   * where a mode must wait out a reconnection time (3 s) between two slow failures.
   */
  reportAfter?: number;
  /**
   * Where an engine's native EventSource records what Chromium's does not: its hand-written
   * record (each given part replaces the Chromium one above), and why: a departure from the
   * standard (ssekit then follows the standard there, through an adjustment) or what the
   * standard leaves to the engine.
   */
  native?: Partial<Record<Exclude<EngineName, 'chromium'>, EngineNative>>;
}

interface EngineNative {
  why: string;
  events?: (o: Origins) => RecordedEvent[];
  results?: (o: Origins) => unknown;
  requests?: (o: Origins) => unknown;
  /** Native never reaches the stop condition. */
  done?: false;
}

/** A stream on the other origin, allowed to `origin` (and with credentials when `credentials`). */
const corsHeaders = (origin: string, credentials = false): Record<string, string> => ({
  ...SSE,
  'Access-Control-Allow-Origin': origin,
  ...(credentials ? { 'Access-Control-Allow-Credentials': 'true' } : {}),
});

// An uncaught error's ErrorEvent message is the engine's own wording ("Uncaught Error: x" in Chromium, "Error: x" elsewhere).
const UNCAUGHT_MESSAGE = "an uncaught error's message is worded by the engine";
const uncaught = (prefix: string) => [
  { type: 'ErrorEvent', message: `${prefix}Error: listener boom`, error: 'listener' },
  { type: 'ErrorEvent', message: `${prefix}TypeError: handler boom`, error: 'handler' },
];

// What the IDL probes record: property descriptors, and what a call threw.
const constant = (value: number) => ({ value, writable: false, enumerable: true, configurable: false, get: 'undefined', set: 'undefined' });
const accessor = (settable: boolean) => ({ enumerable: true, configurable: true, get: 'function', set: settable ? 'function' : 'undefined' });
const TYPE_ERROR = { threw: 'TypeError', typeError: true, domException: false };
const SYNTAX_ERROR = { threw: 'SyntaxError', typeError: false, domException: true, code: 12 };
const IDL_ATTRIBUTES = ['url', 'withCredentials', 'readyState', 'onopen', 'onmessage', 'onerror'];
const IDL_CONSTANTS = ['CONNECTING', 'OPEN', 'CLOSED'];
/** Where WebKit keeps a BOM split across reads (and loses the stream), ssekit drops it. */
// Over XHR (legacy) WebKit's own decoder sees the bytes first, as its EventSource's does: the
// same loss, which ssekit cannot undo.
const SPLIT_BOM_WEBKIT: Adjustment = {
  kind: 'departure',
  engines: ['webkit'],
  modes: ['modern'],
  why: SPEC.splitBom,
  events: (o) => [open, message(o.page)('a')],
  finished: true,
};
/** The URLs of the syntaxErrors probe, each failing to parse as the URL standard says. */
const URL_CASES_REJECTED = [
  ['http://[', SYNTAX_ERROR],
  ['http://a:99999/', SYNTAX_ERROR],
  ['http://exa mple.com/', SYNTAX_ERROR],
  ['//', SYNTAX_ERROR],
  ['http://\u0000/', SYNTAX_ERROR],
] as const;

const utf8 = (text: string): number[] => Array.from(Buffer.from(text, 'utf8'));
/** A recorder page that stops after `count` messages (or at a failure). */
const messages = (count: number, extra: Record<string, unknown> = {}) => ({ stop: [{ type: 'message', count }], ...extra });
/** A plain scripted stream on the page's origin. */
const stream =
  (connections: ScriptedConnection[], page: Record<string, unknown> = {}, legs?: Record<string, ScriptedConnection[]>) =>
  (): ScriptDefinition => ({ connections, page, ...(legs ? { legs } : {}) });

// Over XHR a cross-origin request cannot carry Cache-Control without a CORS preflight (native
// EventSource sends it unpreflighted, fetch's `cache: 'no-store'` adds it below CORS), so ssekit's
// classic script sends none cross-origin.
const XHR_NO_CACHE_CONTROL_CROSS_ORIGIN: Adjustment = {
  kind: 'limitation',
  modes: ['legacy'],
  why: 'XMLHttpRequest cannot send Cache-Control cross-origin without a preflight (nor a cache mode)',
  requests: (native: Req[]) => native.map((r) => (r.origin !== null && r.method === 'GET' ? { ...r, cacheControl: null } : r)),
};

// fetch rejects alike for a CORS failure and a network error; ssekit asks once more, without CORS.
// fetch rejects alike for a CORS failure and a network error; ssekit asks once more without CORS
// and, when the server answers that, sends the failed request (its last `legs` requests) again.
const noCorsProbe = (legs: string[] = ['']): Adjustment => ({
  kind: 'limitation',
  modes: ['modern'],
  why: 'fetch reports a CORS failure as a network error: ssekit sends the GET once in no-cors mode (no Origin, Accept */*, no Last-Event-ID) and, when the server answers it, the request once more (a network failure may have passed), then fails the connection',
  requests: (native: Req[]) => [
    ...native,
    ...legs.map((leg) => ({ method: 'GET', leg, preflight: false, accept: '*/*', lastEventId: null })),
    ...native.slice(-legs.length),
  ],
});
const NO_CORS_PROBE = noCorsProbe();
const xhrCorsFailure = (events: (o: Origins) => RecordedEvent[], requests?: (native: Req[]) => Partial<Req>[]): Adjustment => ({
  kind: 'limitation',
  modes: ['legacy'],
  why: 'XMLHttpRequest reports a CORS failure as a network error and IE has no fetch for a no-cors probe: ssekit reestablishes the connection',
  events,
  ...(requests ? { requests } : {}),
});
// In IE-class pages a same-origin request carries Cache-Control (IE caches XHR GETs; XHR has no
// cache mode). Redirected to another origin, that header needs a preflight the script's server refuses.
const xhrRedirectPreflight = (events: (o: Origins) => RecordedEvent[], requests: (native: Req[]) => Partial<Req>[]): Adjustment => ({
  kind: 'limitation',
  modes: ['legacy'],
  why: 'IE caches XHR GETs, so a same-origin request carries Cache-Control: no-cache; redirected to another origin it is preflighted (refused here), a CORS failure XHR reports as a network error',
  events,
  requests,
});
const preflightOf = (leg: string): Partial<Req> => ({ method: 'OPTIONS', leg, requestHeaders: 'cache-control' });
/**
 * The server's answer to those preflights: allows no request header (with `origin`, the origin
 * only). Answered at once and apart: WebKit reads a preflight's whole body before judging it.
 */
const refusingPreflight = (origin: string | null): ScriptedConnection => ({
  status: 204,
  headers: { 'Cache-Control': 'no-store', ...(origin ? { 'Access-Control-Allow-Origin': origin } : {}) },
});

// WebKit's fetch adds no Cache-Control for cache mode no-store to a redirected cross-origin hop;
// ssekit cannot add the header there itself without a preflight.
const WEBKIT_REDIRECTED_CACHE_CONTROL: Adjustment = {
  kind: 'limitation',
  engines: ['webkit'],
  modes: ['modern'],
  why: 'WebKit\'s fetch sends no Cache-Control: no-cache for cache mode "no-store" on a hop after a cross-origin redirect (Fetch "HTTP-network-or-cache fetch" adds it on every hop); ssekit cannot set it there without a preflight',
  requests: (native: Partial<Req>[]) => native.map((r) => (r.leg && r.method === 'GET' && r.origin ? { ...r, cacheControl: null } : r)),
};

const cookie = (name: string, origin: string, sameSite: 'Lax' | 'None'): TestCookie => ({ name, value: '1', origin, sameSite, secure: sameSite === 'None' });
/** A SameSite=Lax cookie on 127.0.0.1 (sent to every port there) and a SameSite=None one on localhost. */
const withCookies = (o: Origins): TestCookie[] => [cookie('ip', o.page, 'Lax'), cookie('lh', o.site, 'None')];

// ---------------------------------------------------------------------------------------------
// Probes: page functions compiled as sloppy code in the harness page (see demo-server/pages.js)
// and called with (EventSource, api, cfg), the helpers below in scope. They run in the IE-class
// page too: ES5 library calls only (no Promise, Map, Array.prototype.includes...); syntax is V8's.
// ---------------------------------------------------------------------------------------------

interface ProbeApi {
  set(name: string, value: unknown): void;
  done(): void;
}
type Probe = (ES: any, api: ProbeApi, cfg: any) => void;

/** Calls `fn`: its value, or what it threw (name, TypeError, DOMException, code). */
const attempt = (fn: () => unknown) => {
  try {
    const value = fn();
    return { value: value === undefined ? 'undefined' : value };
  } catch (e: any) {
    return { threw: e && e.name, typeError: e instanceof TypeError, domException: e instanceof DOMException, code: e && e.code };
  }
};
/** A property descriptor in JSON form. */
const describe = (o: unknown, name: string) => {
  const d = Object.getOwnPropertyDescriptor(o, name);
  if (!d) return null;
  const value = typeof d.value === 'function' ? 'function/' + d.value.length : d.value;
  return { value, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable, get: typeof d.get, set: typeof d.set };
};
/** A 32-bit hash of a string (big payloads are compared by length and hash). */
const hash = (s: string) => {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
};
/** Records a source's events as "type:readyState[:data]" strings into `list`. */
const track = (es: any, list: string[], types?: string[]) => {
  const names = types || ['open', 'message', 'error'];
  for (let i = 0; i < names.length; i++) {
    es.addEventListener(names[i], (e: any) => {
      list.push(e.type + ':' + es.readyState + ('data' in e ? ':' + e.data : ''));
    });
  }
};
const HELPERS = [attempt, describe, hash, track].map((f) => `var ${f.name} = ${f.toString()};`).join('\n');

/** The harness config of a probe scenario: `fn` with the helpers, plus `page` (read by the probe as cfg). */
const probe = (fn: Probe, page: Record<string, unknown> = {}) => ({
  probe: `function (ES, api, cfg) {\n${HELPERS}\nreturn (${fn.toString()})(ES, api, cfg);\n}`,
  ...page,
});

/** The recorder with a digest of `data` instead of its text (big payloads); stops after cfg.messages messages or a failure. */
const digestRecorder: Probe = function (ES, api, cfg) {
  const es = new ES(cfg.url);
  const events: unknown[] = [];
  let count = 0;
  let finished = false;
  const listener = (e: any) => {
    const entry: Record<string, unknown> = { type: e.type, readyState: es.readyState, iface: Object.prototype.toString.call(e).slice(8, -1) };
    if ('data' in e) {
      entry['length'] = e.data.length;
      entry['hash'] = hash(e.data);
      entry['head'] = e.data.slice(0, 12);
      entry['tail'] = e.data.slice(-12);
      entry['lastEventId'] = e.lastEventId;
    }
    if (finished) entry['afterClose'] = true;
    events.push(entry);
    if (finished) return;
    if (e.type !== 'open' && e.type !== 'error') count++;
    if (count === cfg.messages || (e.type === 'error' && es.readyState === 2)) {
      finished = true;
      es.close();
      setTimeout(() => {
        api.set('events', events);
        api.done();
      }, 0);
    }
  };
  const types = cfg.listen || ['open', 'message', 'error'];
  for (let i = 0; i < types.length; i++) es.addEventListener(types[i], listener);
};

const idlInterface: Probe = function (ES, api, cfg) {
  const idle = cfg.url + '/idle';
  const r: Record<string, unknown> = {};
  r['length'] = ES.length;
  r['name'] = ES.name;
  r['constructorConstants'] = ['CONNECTING', 'OPEN', 'CLOSED'].map((n) => [n, describe(ES, n)]);
  r['prototypeConstants'] = ['CONNECTING', 'OPEN', 'CLOSED'].map((n) => [n, describe(ES.prototype, n)]);
  r['attributes'] = ['url', 'withCredentials', 'readyState', 'onopen', 'onmessage', 'onerror'].map((n) => [n, describe(ES.prototype, n)]);
  const close = describe(ES.prototype, 'close') as Record<string, unknown>;
  // ssekit's close is not enumerable in the ES module build: in the pending list.
  delete close['enumerable'];
  r['close'] = close;
  r['constructorProperty'] = ES.prototype.constructor === ES;
  const es = new ES(idle);
  r['initial'] = { readyState: es.readyState, onopen: es.onopen, onmessage: es.onmessage, onerror: es.onerror, withCredentials: es.withCredentials };
  es.close();
  r['afterClose'] = es.readyState;
  r['instanceKeys'] = Object.keys(es);
  r['eventTargetMethods'] = ['addEventListener', 'removeEventListener', 'dispatchEvent'].map((n) => typeof es[n]);
  r['withoutNew'] = attempt(() => ES(idle));
  r['withoutArguments'] = attempt(() => new ES());
  r['urlWithoutHost'] = attempt(() => new ES('//').url);
  r['getterOnPrototype'] = attempt(() => ES.prototype.url);
  r['closeOnOtherObject'] = attempt(() => ES.prototype.close.call({}));
  r['getterOnOtherObject'] = attempt(() => (Object.getOwnPropertyDescriptor(ES.prototype, 'readyState') as any).get.call({}));
  api.set('r', r);
  api.done();
};

const idlUrls: Probe = function (ES, api, cfg) {
  const here = location.protocol + '//' + location.host;
  const relative = (u: string) => u.split(cfg.url).join('{self}').split(here).join('{here}').split(cfg.other).join('{other}');
  const make = (u: unknown) => {
    const es = new ES(u);
    es.close();
    return relative(es.url);
  };
  const inputs: unknown[] = [
    'rel?x=1',
    cfg.url + '/leg?a=b',
    '  /spaces around\t',
    '/a/../b/./c',
    '/caf\u00e9?q=\u00e9#frag',
    '/lone?\uD800',
    '//' + location.host + '/scheme-relative',
    'HTTP://' + location.host.toUpperCase() + '/Upper',
    cfg.other + '/other',
    null,
    undefined,
    123,
    { toString: () => '/object' },
  ];
  const r: Record<string, unknown> = {};
  r['urls'] = inputs.map((u) => [typeof u === 'string' ? relative(u) : String(u), attempt(() => make(u))]);
  const empty = new ES('');
  empty.close();
  r['emptyIsTheDocumentURL'] = empty.url === location.href;
  const base = document.createElement('base');
  base.href = '/based/dir/';
  document.head.appendChild(base);
  r['againstBaseElement'] = make('rel');
  document.head.removeChild(base);
  r['afterBaseRemoved'] = make('rel');
  api.set('r', r);
  api.done();
};

const idlReadOnly: Probe = function (ES, api, cfg) {
  function strictSet(o: any, name: string, value: unknown) {
    'use strict';
    o[name] = value;
  }
  function sloppySet(o: any, name: string, value: unknown) {
    o[name] = value;
    return o[name] === value ? 'assigned' : 'unchanged';
  }
  const es = new ES(cfg.url + '/idle');
  es.close();
  const names = ['url', 'readyState', 'withCredentials', 'CONNECTING', 'OPEN', 'CLOSED'];
  const r: Record<string, unknown> = {};
  r['strict'] = names.map((n) => [n, attempt(() => strictSet(es, n, 5))]);
  r['strictConstructor'] = attempt(() => strictSet(ES, 'OPEN', 5));
  r['sloppy'] = names.map((n) => [n, attempt(() => sloppySet(es, n, 5))]);
  r['sloppyConstructor'] = attempt(() => sloppySet(ES, 'OPEN', 5));
  r['after'] = { url: es.url === location.protocol + '//' + location.host + cfg.url + '/idle', readyState: es.readyState, withCredentials: es.withCredentials };
  r['ownKeysAfter'] = Object.keys(es);
  api.set('r', r);
  api.done();
};

const idlInit: Probe = function (ES, api, cfg) {
  const idle = cfg.url + '/idle';
  const make = (init: unknown) => {
    const es = new ES(idle, init);
    es.close();
    return es.withCredentials;
  };
  const inits: [string, unknown][] = [
    ['{ withCredentials: true }', { withCredentials: true }],
    ['{ withCredentials: 1 }', { withCredentials: 1 }],
    ["{ withCredentials: 'yes' }", { withCredentials: 'yes' }],
    ['{ withCredentials: {} }', { withCredentials: {} }],
    ['{ withCredentials: 0 }', { withCredentials: 0 }],
    ["{ withCredentials: '' }", { withCredentials: '' }],
    ['{ withCredentials: NaN }', { withCredentials: NaN }],
    ['{ withCredentials: null }', { withCredentials: null }],
    ['{ withCredentials: undefined }', { withCredentials: undefined }],
    ['{}', {}],
    ['null', null],
    ['undefined', undefined],
    ['a function with withCredentials', Object.defineProperty(function () {}, 'withCredentials', { value: true })],
    ['[]', []],
  ];
  const r: Record<string, unknown> = {};
  r['coerced'] = inits.map((pair) => [pair[0], attempt(() => make(pair[1]))]);
  const omitted = new ES(idle);
  omitted.close();
  r['omitted'] = omitted.withCredentials;
  const reads: string[] = [];
  const counted = {
    get withCredentials() {
      reads.push('withCredentials');
      return 1;
    },
  };
  const url = { toString: () => (reads.push('url'), idle) };
  r['getter'] = attempt(() => make(counted));
  r['getterReads'] = reads.slice();
  reads.length = 0;
  const es = new ES(url, counted);
  es.close();
  r['conversionOrder'] = reads.slice();
  api.set('r', r);
  api.done();
};

/** What handlersAndListeners logs where capture listeners run first at the target, as the DOM standard says (A's second registration has capture). */
const CAPTURE_FIRST_LOG = [
  ...['A1', 'A1', 'H2-1', 'B1', 'object1', 'C1'],
  ...['A2', 'A2', 'H2-2', 'B2', 'object2'],
  ...['A3', 'A3', 'B3', 'object3'],
  ...['A4', 'A4', 'B4', 'object4'],
  ...['A5', 'A5', 'B5', 'object5', 'H4-5'],
  ...['A6', 'A6', 'object6', 'H4-6', 'D6'],
  ...['A7', 'object7', 'H4-7', 'D7 defaultPrevented false, cancelable false'],
  ...['A8', 'object8', 'H4-8', 'D8'],
];

// Listener order and handler attributes over ten messages; the log says who ran, in order.

const handlersAndListeners: Probe = function (ES, api, cfg) {
  const log: string[] = [];
  const values: unknown[] = [];
  const es = new ES(cfg.url);
  const self = (that: unknown) => (that === es ? '' : ' (this is not the source)');
  const handler = (name: string) =>
    function (this: unknown, e: any) {
      log.push(name + e.data + self(this));
      return false; // not a cancelable event: nothing to cancel
    };
  const A = function (this: unknown, e: any) {
    log.push('A' + e.data + self(this));
  };
  const B = (e: any) => log.push('B' + e.data);
  const C = (e: any) => log.push('C' + e.data);
  const D = (e: any) => log.push('D' + e.data + (e.data === '7' ? ' defaultPrevented ' + e.defaultPrevented + ', cancelable ' + e.cancelable : ''));
  const listenerObject = {
    handleEvent(this: unknown, e: any) {
      log.push('object' + e.data + (this === listenerObject ? '' : ' (this is not the object)'));
    },
  };
  const f1 = handler('H1-');
  es.addEventListener('message', A);
  es.onmessage = f1;
  values.push(es.onmessage === f1);
  es.addEventListener('message', B);
  es.onmessage = handler('H2-'); // replaces H1 in its place: before B
  es.addEventListener('message', listenerObject);
  es.addEventListener('message', A); // the same listener again: ignored
  es.addEventListener('message', A, true); // with capture: a second registration
  es.addEventListener('message', C, { once: true });
  es.addEventListener('message', (e: any) => {
    const d = e.data;
    if (d === '2') {
      es.onmessage = null;
      es.onmessage = handler('H3-'); // registered anew: now last
    }
    if (d === '3') {
      const object = { handleEvent: () => log.push('handleEvent of a handler object') };
      es.onmessage = object; // not callable: skipped, no error
      values.push(es.onmessage === object);
    }
    if (d === '4') {
      es.onmessage = 5; // a primitive: null, the handler is gone
      values.push(es.onmessage);
      es.onmessage = handler('H4-');
    }
    if (d === '5') {
      es.addEventListener('message', D); // added during dispatch: from the next event on
      es.removeEventListener('message', B); // removed during dispatch: not called for this one
      es.onerror = 'alert(1)'; // a string is not compiled: null
      values.push(es.onerror);
    }
    if (d === '6') es.removeEventListener('message', A, true);
    if (d === '8') {
      es.close();
      setTimeout(() => {
        api.set('log', log);
        api.set('values', values);
        api.done();
      }, 0);
    }
  });
  es.addEventListener('message', B);
};

const listenerExceptions: Probe = function (ES, api, cfg) {
  const log: string[] = [];
  const windowErrors: unknown[] = [];
  const thrown: Record<string, Error> = { '2': new Error('listener boom'), '3': new TypeError('handler boom') };
  window.addEventListener('error', (e: any) => {
    windowErrors.push({
      type: Object.prototype.toString.call(e).slice(8, -1),
      message: e.message,
      error: e.error === thrown['2'] ? 'listener' : e.error === thrown['3'] ? 'handler' : String(e.error),
    });
  });
  const es = new ES(cfg.url);
  es.addEventListener('message', (e: any) => {
    log.push('A' + e.data);
    if (e.data === '2') throw thrown['2'];
  });
  es.onmessage = (e: any) => {
    log.push('H' + e.data);
    if (e.data === '3') throw thrown['3'];
  };
  es.addEventListener('message', (e: any) => {
    log.push('B' + e.data + ':' + es.readyState);
    if (e.data === '4') {
      es.close();
      setTimeout(() => {
        api.set('log', log);
        api.set('windowErrors', windowErrors);
        api.done();
      }, 0);
    }
  });
};

// The event objects: interface, prototype chain, ports, source, flags, target and phase during and after dispatch.
const eventObjects: Probe = function (ES, api, cfg) {
  const messageProto = Object.getPrototypeOf(document.createEvent('MessageEvent'));
  const eventProto = Object.getPrototypeOf(document.createEvent('Event'));
  const es = new ES(cfg.url);
  const seen: Record<string, unknown> = {};
  const shape = (e: any) => {
    const s: Record<string, unknown> = {
      type: e.type,
      iface: Object.prototype.toString.call(e).slice(8, -1),
      isMessageEvent: Object.prototype.isPrototypeOf.call(messageProto, e),
      isEvent: Object.prototype.isPrototypeOf.call(eventProto, e),
      hasData: 'data' in e,
      bubbles: e.bubbles,
      cancelable: e.cancelable,
      composed: e.composed,
      defaultPrevented: e.defaultPrevented,
      eventPhase: e.eventPhase,
      target: e.target === es,
      currentTarget: e.currentTarget === es,
      timeStamp: typeof e.timeStamp,
      ownKeys: Object.keys(e),
      ownNames: Object.getOwnPropertyNames(e),
    };
    if ('data' in e) {
      s['data'] = [typeof e.data, e.data];
      s['lastEventId'] = [typeof e.lastEventId, e.lastEventId];
      s['origin'] = e.origin === location.protocol + '//' + location.host;
      // Code that copies an event with for-in sees these members (from the prototype, natively).
      const listed: string[] = [];
      for (const key in e) if (key === 'data' || key === 'origin' || key === 'lastEventId') listed.push(key);
      s['forIn'] = listed.sort();
      s['source'] = e.source;
      s['ports'] = [Array.isArray(e.ports), e.ports.length, Object.isFrozen(e.ports), e.ports === e.ports];
    }
    setTimeout(() => {
      s['afterDispatch'] = { eventPhase: e.eventPhase, currentTarget: e.currentTarget, target: e.target === es };
    }, 0);
    return s;
  };
  es.addEventListener('open', (e: any) => {
    seen['open'] = shape(e);
  });
  es.addEventListener('message', (e: any) => {
    e.preventDefault();
    seen['message'] = shape(e);
  });
  es.addEventListener('error', (e: any) => {
    seen['error'] = shape(e);
    es.close();
    setTimeout(() => {
      setTimeout(() => {
        api.set('seen', seen);
        api.done();
      }, 0);
    }, 0);
  });
};

// close() in every state, on one source each; `ctl` reconnects after 1.2 s and ends the probe: by
// then a source that close() failed to stop would have shown it (its events, or the server's log).
// `b` sends its event 1 s after its first bytes: well after the task that closes it.
const closeInEveryState: Probe = function (ES, api, cfg) {
  const out: Record<string, unknown> = {};
  const source = (leg: string) => {
    const es = new ES(cfg.url + '/' + leg);
    track(es, (out[leg] = []) as string[]);
    return es;
  };
  const closeTwice = (es: any, name: string) => {
    out[name + 'Before'] = es.readyState;
    es.close();
    const first = es.readyState;
    es.close();
    out[name + 'After'] = [first, es.readyState];
  };
  // CONNECTING, before any response.
  const a = source('a');
  closeTwice(a, 'a');
  // OPEN, from a task after open; more data follows.
  const b = source('b');
  b.addEventListener('open', () => setTimeout(() => closeTwice(b, 'b'), 0));
  // CONNECTING, waiting to reconnect (retry: 500, well past the 0 ms timer), from a task after the error.
  const c = source('c');
  c.addEventListener('error', () => {
    if (c.readyState === 0) setTimeout(() => closeTwice(c, 'c'), 0);
  });
  // CLOSED after a failure (204).
  const d = source('d');
  d.addEventListener('error', () => setTimeout(() => closeTwice(d, 'd'), 0));
  // OPEN, in the first of two open listeners: the second still runs, and sees CLOSED.
  const f = source('f');
  f.addEventListener('open', () => f.close());
  f.addEventListener('open', () => (out['f'] as string[]).push('second open listener:' + f.readyState));
  const ctl = source('ctl');
  let n = 0;
  ctl.addEventListener('message', () => {
    if (++n < 2) return;
    ctl.close();
    setTimeout(() => {
      api.set('out', out);
      api.done();
    }, 0);
  });
};

// Reconnection times past 2^31 - 1 ms (setTimeout's limit) and past 2^64 - 1; `ctl` reconnects after 600 ms.
const hugeRetries: Probe = function (ES, api, cfg) {
  const out: Record<string, string[]> = {};
  const sources: any[] = [];
  const legs = ['over32', 'over53', 'max64', 'over64'];
  for (let i = 0; i < legs.length; i++) {
    const es = new ES(cfg.url + '/' + legs[i]);
    track(es, (out[legs[i] as string] = []));
    sources.push(es);
  }
  const ctl = new ES(cfg.url + '/ctl');
  let n = 0;
  ctl.addEventListener('message', () => {
    if (++n < 2) return;
    ctl.close();
    for (let i = 0; i < sources.length; i++) sources[i].close();
    setTimeout(() => {
      api.set('out', out);
      api.done();
    }, 0);
  });
};

// `open` fires when the response head arrives: `late` sends its head, then nothing for 1 s;
// `ctl` sends an event after 400 ms. The order of the two says when `open` came.
const openBeforeBody: Probe = function (ES, api, cfg) {
  const order: string[] = [];
  const late = new ES(cfg.url + '/late');
  const ctl = new ES(cfg.url + '/ctl');
  late.addEventListener('open', () => order.push('late open'));
  late.addEventListener('message', (e: any) => order.push('late ' + e.data));
  ctl.addEventListener('message', (e: any) => order.push('ctl ' + e.data));
  const check = () => {
    if (order.length < 3) return;
    late.close();
    ctl.close();
    setTimeout(() => {
      api.set('order', order);
      api.done();
    }, 0);
  };
  late.addEventListener('message', check);
  ctl.addEventListener('message', check);
};

// The intrinsic Promise (the IE-class page deletes the global one); listeners queue microtasks.
const microtasks: Probe = function (ES, api, cfg) {
  const log: string[] = [];
  const Intrinsic = Object.getPrototypeOf((async () => undefined)()).constructor;
  const es = new ES(cfg.url);
  es.addEventListener('message', (e: any) => {
    log.push('A' + e.data);
    Intrinsic.resolve().then(() => log.push('microtask of A' + e.data));
  });
  es.addEventListener('message', (e: any) => {
    log.push('B' + e.data);
    if (e.data !== '3') return;
    es.close();
    setTimeout(() => {
      api.set('log', log);
      api.done();
    }, 0);
  });
};

const trusted: Probe = function (ES, api, cfg) {
  const seen: string[] = [];
  const es = new ES(cfg.url);
  const record = (e: any) => seen.push(e.type + ':' + e.isTrusted);
  es.addEventListener('open', record);
  es.addEventListener('message', record);
  es.addEventListener('error', (e: any) => {
    record(e);
    es.close();
    setTimeout(() => {
      api.set('isTrusted', seen);
      api.set('nativeCode', /\[native code\]/.test(Function.prototype.toString.call(ES)));
      api.done();
    }, 0);
  });
};

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/** A cross-origin recorder page on the other origin. */
const onOther = (o: Origins, page: Record<string, unknown> = {}) => ({ url: o.other + '{self}', ...page });
const preflightAnswer = (o: Origins) => ({
  status: 204,
  headers: { 'Access-Control-Allow-Origin': o.page, 'Access-Control-Allow-Headers': 'Last-Event-ID', 'Access-Control-Max-Age': '0' },
});
const ONE_GET = (origin: string | null, cookie: string | null = null): Partial<Req> => ({
  method: 'GET',
  preflight: false,
  origin,
  cookie,
  accept: 'text/event-stream',
  cacheControl: 'no-cache',
  lastEventId: null,
});
const bytesOf = (text: string): Chunk[] => utf8(text).map((byte) => [byte]);

// Probes of the IDL scenarios below (run in the page, ES5).
const syntaxErrors: Probe = function (ES, api, cfg) {
  const inputs = ['http://[', 'http://a:99999/', 'http://exa mple.com/', '//', 'http://\u0000/'];
  const r: unknown[] = [];
  for (let i = 0; i < inputs.length; i++) {
    r.push([
      inputs[i],
      attempt(() => {
        const es = new ES(inputs[i]);
        es.close();
        return es.url.split(cfg.url).join('{self}');
      }),
    ]);
  }
  api.set('r', r);
  api.done();
};

const initConversion: Probe = function (ES, api, cfg) {
  const idle = cfg.url + '/idle';
  const r: Record<string, unknown> = {};
  r['notObjects'] = [5, 'x', true].map((init) => [String(init), attempt(() => new ES(idle, init).close())]);
  const reads: string[] = [];
  const counted = {
    get withCredentials() {
      reads.push('withCredentials');
      return true;
    },
  };
  r['unparsableURL'] = attempt(() => new ES('http://[', counted));
  r['readsBeforeTheSyntaxError'] = reads.slice();
  api.set('r', r);
  api.done();
};

const interfaceDetails: Probe = function (ES, api, cfg) {
  const es = new ES(cfg.url + '/idle');
  es.close();
  const own = Object.getOwnPropertyNames(ES.prototype);
  const order: string[] = [];
  for (const name in es) if (own.indexOf(name) !== -1 && ['addEventListener', 'removeEventListener', 'dispatchEvent'].indexOf(name) === -1) order.push(name);
  api.set('r', {
    closeEnumerable: (Object.getOwnPropertyDescriptor(ES.prototype, 'close') as PropertyDescriptor).enumerable,
    toString: [Object.prototype.toString.call(es), Object.prototype.toString.call(ES.prototype)],
    instanceOwnNames: Object.getOwnPropertyNames(es),
    prototypeOwnNames: own.sort(),
    forInOrder: order,
  });
  api.done();
};

// The window error event of a throwing listener, in order with the listeners.
const exceptionOrder: Probe = function (ES, api, cfg) {
  const log: string[] = [];
  window.addEventListener('error', (e: any) => log.push('window error: ' + e.message));
  const es = new ES(cfg.url);
  es.addEventListener('message', (e: any) => {
    log.push('A' + e.data);
    if (e.data === '1') throw new Error('boom');
  });
  es.addEventListener('message', (e: any) => {
    log.push('B' + e.data);
    if (e.data !== '2') return;
    es.close();
    setTimeout(() => {
      api.set('log', log);
      api.done();
    }, 0);
  });
};

const stopImmediate: Probe = function (ES, api, cfg) {
  const log: string[] = [];
  const es = new ES(cfg.url);
  es.addEventListener('message', (e: any) => {
    log.push('A' + e.data);
    if (e.data === '1') e.stopImmediatePropagation();
  });
  es.addEventListener('message', (e: any) => {
    log.push('B' + e.data);
    if (e.data !== '2') return;
    es.close();
    setTimeout(() => {
      api.set('log', log);
      api.done();
    }, 0);
  });
};

// close() right after the constructor: does the request go out? `ctl` ends the probe after 600 ms.
const closeRightAway: Probe = function (ES, api, cfg) {
  new ES(cfg.url + '/a').close();
  const ctl = new ES(cfg.url + '/ctl');
  let n = 0;
  ctl.addEventListener('message', () => {
    if (++n < 2) return;
    ctl.close();
    api.set('done', true);
    api.done();
  });
};

const srcElement: Probe = function (ES, api, cfg) {
  const es = new ES(cfg.url);
  es.addEventListener('message', (e: any) => {
    es.close();
    api.set('srcElement', e.srcElement === es);
    api.done();
  });
};

const corsFailure = (name: string, headers: (o: Origins) => Record<string, string>, withCredentials = false): Scenario => ({
  name: `a CORS failure fails the connection (no reconnection): ${name}`,
  area: 'cross-origin, CORS, cookies',
  script: (o) => ({
    connections: [{ headers: headers(o), chunks: ['data: a\n\n'], end: 'open' }],
    page: onOther(o, { stop: [{ type: 'error' }], ...(withCredentials ? { init: { withCredentials: true } } : {}) }),
  }),
  events: () => [failed],
  requests: (o) => [ONE_GET(o.page)],
  adjust: [XHR_NO_CACHE_CONTROL_CROSS_ORIGIN, NO_CORS_PROBE, xhrCorsFailure(() => [reconnecting])],
});

// URLs no fetch reaches the network with: every engine fails the connection at once, and so does
// ssekit (the blob: one names no blob: a network error, futile to retry).
const NON_HTTP_URLS = [
  'ftp://127.0.0.1/stream',
  'mailto:events@example.com',
  'javascript:void 0',
  'about:blank',
  'ws://127.0.0.1:9/stream',
  'blob:http://127.0.0.1:9/0b0c',
];

// Over fetch, an abort the page causes is a TypeError in every engine (Fetch says AbortError).
const FETCH_CANNOT_TELL_ABORTS: Adjustment = {
  kind: 'limitation',
  modes: ['modern'],
  why: "fetch rejects the body's read with a TypeError when the page calls window.stop() (Chromium 'network error', Firefox 'Error in input stream', WebKit 'Load failed'; Fetch would have it an AbortError), as for a network error: ssekit reestablishes the connection",
  events: (o) => [open, message(o.page)('a'), reconnecting, open, message(o.page)('b')],
  finished: true,
  requests: (native: Req[]) => [...native, { method: 'GET', leg: '', lastEventId: null }],
};

const SCENARIOS: Scenario[] = [
  // Non-HTTP URLs, and aborts the page causes
  ...NON_HTTP_URLS.map((url): Scenario => ({
    name: `a URL whose scheme is not http(s) fails the connection at once, without a request: ${url}`,
    area: 'non-HTTP URLs, aborts by the page',
    script: stream([], { url }),
    events: () => [failed],
    requests: () => [],
  })),
  {
    name: 'window.stop() while the stream is open fails the connection (an aborted network error): error with CLOSED, no reconnection',
    area: 'non-HTTP URLs, aborts by the page',
    script: stream([held(RETRY + 'data: a\n\n'), held('data: b\n\n')], messages(2, { windowStop: { type: 'message' } })),
    events: (o) => [open, message(o.page)('a'), failed],
    requests: () => [ONE_GET(null)],
    native: {
      webkit: { why: `a departure: ${SPEC.abortedFetch}; WebKit's EventSource stays OPEN`, events: (o) => [open, message(o.page)('a')], done: false },
    },
    adjust: [
      FETCH_CANNOT_TELL_ABORTS,
      // XMLHttpRequest reports the abort (its abort event) in every engine: ssekit fails the connection.
      {
        kind: 'departure',
        engines: ['webkit'],
        modes: ['legacy'],
        why: SPEC.abortedFetch,
        events: (o) => [open, message(o.page)('a'), failed],
        finished: true,
      },
    ],
  },
  {
    name: 'window.stop() while waiting to reconnect aborts nothing: the source reconnects',
    area: 'non-HTTP URLs, aborts by the page',
    script: stream([ended(RETRY + 'data: a\n\n'), held('data: b\n\n')], messages(2, { windowStop: { type: 'error' } })),
    events: (o) => [open, message(o.page)('a'), reconnecting, open, message(o.page)('b')],
    requests: () => [ONE_GET(null), ONE_GET(null)],
  },

  // Cross-origin, CORS, cookies
  {
    // Issue 18: fetch and XHR fail like the network then, and the probe is blocked too; only the
    // document's securitypolicyviolation event tells it, and ssekit fails the connection on it.
    name: "a stream URL the page's Content-Security-Policy blocks (connect-src) fails the connection: no request, no reconnection",
    area: 'cross-origin, CORS, cookies',
    script: (o) => ({
      connections: [{ headers: corsHeaders(o.page), chunks: ['data: a\n\n'], end: 'open' }],
      page: onOther(o, { stop: [{ type: 'error' }], csp: "connect-src 'self'" }),
    }),
    events: () => [failed],
    requests: () => [],
    native: {
      webkit: { why: 'WebKit throws a SecurityError from the constructor (EventSource::create checks connect-src itself)', events: () => [] },
    },
    adjust: [
      {
        kind: 'departure',
        engines: ['webkit'],
        modes: ['modern', 'legacy'],
        why: 'HTML §9.2.2 fetches, and Fetch blocks the request by CSP as a network error: the constructor returns, the connection fails',
        events: () => [failed],
        // The URL is the stream's (other-origin) URL the page passed; WebKit's native threw before having one.
        record: (o, actual) => ({
          thrown: null,
          url: String(actual.url).startsWith(o.other + '/script/') ? actual.url : 'the stream URL',
          readyStateAtStart: 0,
          readyStateAtEnd: 2,
        }),
      },
    ],
  },
  {
    name: 'a cross-origin stream allowed by Access-Control-Allow-Origin: url and event origin are the other origin',
    area: 'cross-origin, CORS, cookies',
    script: (o) => ({ connections: [{ headers: corsHeaders(o.page), chunks: ['data: a\n\n'], end: 'open' }], page: onOther(o, messages(1)) }),
    events: (o) => [open, message(o.other)('a')],
    requests: (o) => [ONE_GET(o.page)],
    adjust: [XHR_NO_CACHE_CONTROL_CROSS_ORIGIN],
  },
  {
    name: 'Access-Control-Allow-Origin: * allows a cross-origin stream without credentials',
    area: 'cross-origin, CORS, cookies',
    cookies: withCookies,
    script: (o) => ({ connections: [{ headers: corsHeaders('*'), chunks: ['data: a\n\n'], end: 'open' }], page: onOther(o, messages(1)) }),
    events: (o) => [open, message(o.other)('a')],
    requests: (o) => [ONE_GET(o.page, null)],
    adjust: [XHR_NO_CACHE_CONTROL_CROSS_ORIGIN],
  },
  {
    name: 'same origin: the cookie is sent without withCredentials',
    area: 'cross-origin, CORS, cookies',
    cookies: withCookies,
    script: stream([held('data: a\n\n')], messages(1)),
    events: (o) => [open, message(o.page)('a')],
    requests: () => [ONE_GET(null, 'ip=1')],
  },
  {
    name: 'same origin: the cookie is sent with withCredentials',
    area: 'cross-origin, CORS, cookies',
    cookies: withCookies,
    script: stream([held('data: a\n\n')], messages(1, { init: { withCredentials: true } })),
    events: (o) => [open, message(o.page)('a')],
    requests: () => [ONE_GET(null, 'ip=1')],
  },
  {
    name: 'cross-origin (same site) without withCredentials: no cookie is sent',
    area: 'cross-origin, CORS, cookies',
    cookies: withCookies,
    script: (o) => ({ connections: [{ headers: corsHeaders(o.page, true), chunks: ['data: a\n\n'], end: 'open' }], page: onOther(o, messages(1)) }),
    events: (o) => [open, message(o.other)('a')],
    requests: (o) => [ONE_GET(o.page, null)],
    adjust: [XHR_NO_CACHE_CONTROL_CROSS_ORIGIN],
  },
  {
    name: 'cross-origin (same site) with withCredentials: the cookie is sent (Allow-Origin names the page, Allow-Credentials: true)',
    area: 'cross-origin, CORS, cookies',
    cookies: withCookies,
    script: (o) => ({
      connections: [{ headers: corsHeaders(o.page, true), chunks: ['data: a\n\n'], end: 'open' }],
      page: onOther(o, messages(1, { init: { withCredentials: true } })),
    }),
    events: (o) => [open, message(o.other)('a')],
    requests: (o) => [ONE_GET(o.page, 'ip=1')],
    adjust: [XHR_NO_CACHE_CONTROL_CROSS_ORIGIN],
  },
  {
    // Full Chromium sends no cookie on a cross-site subresource request here (its third-party cookie
    // blocking), not even a SameSite=None; Secure one it sends to a localhost page itself
    // (Sec-Fetch-Storage-Access: none); a headless shell has no such setting and sends it; Firefox
    // and WebKit block third-party cookies by default. Either way every mode must send what native
    // sent, and the credentialed CORS response is accepted.
    name: "cross-site (localhost) with withCredentials: the credentialed response is accepted; the SameSite=None cookie goes as the browser's third-party cookie setting says",
    area: 'cross-origin, CORS, cookies',
    cookies: withCookies,
    script: (o) => ({
      connections: [{ headers: corsHeaders(o.page, true), chunks: ['data: a\n\n'], end: 'open' }],
      page: { url: o.site + '{self}', ...messages(1, { init: { withCredentials: true } }) },
    }),
    events: (o) => [open, message(o.site)('a')],
    requests: (o) => [ONE_GET(o.page, o.engine === 'chromium' && testChromium().headlessShell ? 'lh=1' : null)],
    adjust: [XHR_NO_CACHE_CONTROL_CROSS_ORIGIN],
  },
  {
    name: 'redirects within the other origin (CORS on every hop): url stays the requested one, origin is the final one',
    area: 'cross-origin, CORS, cookies',
    script: (o) => ({
      connections: [{ status: 301, headers: { Location: '{self}/b', 'Access-Control-Allow-Origin': o.page } }],
      legs: {
        b: [{ status: 307, headers: { Location: '{self}/t', 'Access-Control-Allow-Origin': o.page } }],
        t: [{ headers: corsHeaders(o.page), chunks: ['data: a\n\n'], end: 'open' }],
      },
      page: onOther(o, messages(1)),
    }),
    events: (o) => [open, message(o.other)('a')],
    requests: (o) => [
      { ...ONE_GET(o.page), leg: '' },
      { ...ONE_GET(o.page), leg: 'b' },
      { ...ONE_GET(o.page), leg: 't' },
    ],
    adjust: [XHR_NO_CACHE_CONTROL_CROSS_ORIGIN],
  },
  {
    // Fetch 4.4 HTTP-redirect fetch: a redirect from one foreign origin to another taints the
    // request's origin, serialized as "null": only Access-Control-Allow-Origin: * lets it through.
    name: 'a redirect from the other origin to a third one: the last hop sees Origin: null, events carry the final origin',
    area: 'cross-origin, CORS, cookies',
    script: (o) => ({
      connections: [{ status: 302, headers: { Location: o.site + '{self}/t', 'Access-Control-Allow-Origin': o.page } }],
      legs: { t: [{ headers: corsHeaders('*'), chunks: ['data: a\n\n'], end: 'open' }] },
      page: onOther(o, messages(1)),
    }),
    events: (o) => [open, message(o.site)('a')],
    requests: (o) => [
      { ...ONE_GET(o.page), leg: '' },
      { ...ONE_GET('null'), leg: 't' },
    ],
    adjust: [
      WEBKIT_REDIRECTED_CACHE_CONTROL,
      XHR_NO_CACHE_CONTROL_CROSS_ORIGIN,
      {
        kind: 'limitation',
        modes: ['legacy'],
        why: "without XMLHttpRequest.responseURL (IE) the final URL of a redirect is unknown: events carry the requested URL's origin",
        events: (o) => [open, message(o.other)('a')],
      },
    ],
  },
  {
    name: 'Last-Event-ID cross-origin: native sends it unpreflighted; a script request is preflighted (the server allows the header)',
    area: 'cross-origin, CORS, cookies',
    script: (o) => ({
      connections: [
        { headers: corsHeaders(o.page), chunks: [RETRY + 'id: 7\ndata: a\n\n'], end: 'end' },
        { headers: corsHeaders(o.page), chunks: ['data: b\n\n'], end: 'open' },
      ],
      preflight: preflightAnswer(o),
      page: onOther(o, messages(2)),
    }),
    events: (o) => [open, message(o.other)('a', '7'), reconnecting, open, message(o.other)('b', '7')],
    requests: (o) => [ONE_GET(o.page), { ...ONE_GET(o.page), lastEventId: '7' }],
    adjust: [
      XHR_NO_CACHE_CONTROL_CROSS_ORIGIN,
      {
        kind: 'limitation',
        modes: ['modern', 'legacy'],
        why:
          'Fetch "unsafe-request flag": fetch() and XMLHttpRequest set it, so a header that is not CORS-safelisted (Last-Event-ID, whatwg/fetch#568) ' +
          "is preflighted; HTML's own EventSource request does not set it, and Chromium sends the header unpreflighted",
        requests: (native: Req[], o) => [
          native[0] ?? {},
          { method: 'OPTIONS', preflight: true, origin: o.page, requestHeaders: 'last-event-id' },
          native[1] ?? {},
        ],
      },
    ],
  },
  {
    name: 'a data: URL: url is the data URL, events carry the opaque origin "null"',
    area: 'cross-origin, CORS, cookies',
    script: stream([], messages(1, { url: 'data:text/event-stream,data:%20x%0A%0A' })),
    events: () => [open, message('null')('x')],
    requests: () => [],
    native: {
      firefox: { why: `a departure: ${SPEC.dataURL}`, events: () => [failed] },
      webkit: { why: `a departure: ${SPEC.dataURL}`, events: () => [failed] },
    },
    adjust: [{ kind: 'departure', engines: ['firefox', 'webkit'], modes: ['modern', 'legacy'], why: SPEC.dataURL, events: () => [open, message('null')('x')] }],
  },

  // The IDL surface
  {
    name: 'interface: length, name, constants on the constructor and the prototype, attributes, TypeError without new or arguments',
    area: 'IDL surface',
    script: stream([], probe(idlInterface)),
    results: () => ({
      r: {
        length: 1,
        name: 'EventSource',
        constructorConstants: [
          ['CONNECTING', constant(0)],
          ['OPEN', constant(1)],
          ['CLOSED', constant(2)],
        ],
        prototypeConstants: [
          ['CONNECTING', constant(0)],
          ['OPEN', constant(1)],
          ['CLOSED', constant(2)],
        ],
        attributes: [
          ['url', accessor(false)],
          ['withCredentials', accessor(false)],
          ['readyState', accessor(false)],
          ['onopen', accessor(true)],
          ['onmessage', accessor(true)],
          ['onerror', accessor(true)],
        ],
        close: { value: 'function/0', writable: true, configurable: true },
        constructorProperty: true,
        initial: { readyState: 0, onopen: null, onmessage: null, onerror: null, withCredentials: false },
        afterClose: 2,
        instanceKeys: [],
        eventTargetMethods: ['function', 'function', 'function'],
        withoutNew: TYPE_ERROR,
        withoutArguments: TYPE_ERROR,
        urlWithoutHost: SYNTAX_ERROR,
        getterOnPrototype: TYPE_ERROR,
        closeOnOtherObject: TYPE_ERROR,
        getterOnOtherObject: TYPE_ERROR,
      },
    }),
    requestsView: () => null,
  },
  {
    name: 'url resolution: relative, empty (the document URL), spaces, dot segments, non-ASCII, <base>, non-strings',
    area: 'IDL surface',
    script: (o) => ({ connections: [], page: probe(idlUrls, { other: o.other }) }),
    results: (o) => ({
      r: {
        urls: [
          ['rel?x=1', { value: '{here}/rel?x=1' }],
          ['{self}/leg?a=b', { value: '{here}{self}/leg?a=b' }],
          ['  /spaces around\t', { value: '{here}/spaces%20around' }],
          ['/a/../b/./c', { value: '{here}/b/c' }],
          ['/caf\u00e9?q=\u00e9#frag', { value: '{here}/caf%C3%A9?q=%C3%A9#frag' }],
          ['/lone?\uD800', { value: '{here}/lone?%EF%BF%BD' }],
          [`//${new URL(o.page).host}/scheme-relative`, { value: '{here}/scheme-relative' }],
          [`HTTP://${new URL(o.page).host}/Upper`, { value: '{here}/Upper' }],
          ['{other}/other', { value: '{other}/other' }],
          ['null', { value: '{here}/null' }],
          ['undefined', { value: '{here}/undefined' }],
          ['123', { value: '{here}/123' }],
          ['/object', { value: '{here}/object' }],
        ],
        emptyIsTheDocumentURL: true,
        againstBaseElement: '{here}/based/dir/rel',
        afterBaseRemoved: '{here}/rel',
      },
    }),
    requestsView: () => null,
  },
  {
    name: 'read-only attributes and constants: assignment throws a TypeError in strict code and is ignored in sloppy code',
    area: 'IDL surface',
    script: stream([], probe(idlReadOnly)),
    results: () => {
      const names = ['url', 'readyState', 'withCredentials', 'CONNECTING', 'OPEN', 'CLOSED'];
      return {
        r: {
          strict: names.map((n) => [n, TYPE_ERROR]),
          strictConstructor: TYPE_ERROR,
          sloppy: names.map((n) => [n, { value: 'unchanged' }]),
          sloppyConstructor: { value: 'unchanged' },
          after: { url: true, readyState: 2, withCredentials: false },
          ownKeysAfter: [],
        },
      };
    },
    requestsView: () => null,
  },
  {
    name: 'withCredentials: the init member converted to boolean, read once, after the URL was converted',
    area: 'IDL surface',
    script: stream([], probe(idlInit)),
    results: () => ({
      r: {
        coerced: [
          ['{ withCredentials: true }', { value: true }],
          ['{ withCredentials: 1 }', { value: true }],
          ["{ withCredentials: 'yes' }", { value: true }],
          ['{ withCredentials: {} }', { value: true }],
          ['{ withCredentials: 0 }', { value: false }],
          ["{ withCredentials: '' }", { value: false }],
          ['{ withCredentials: NaN }', { value: false }],
          ['{ withCredentials: null }', { value: false }],
          ['{ withCredentials: undefined }', { value: false }],
          ['{}', { value: false }],
          ['null', { value: false }],
          ['undefined', { value: false }],
          ['a function with withCredentials', { value: true }],
          ['[]', { value: false }],
        ],
        omitted: false,
        getter: { value: true },
        getterReads: ['withCredentials'],
        conversionOrder: ['url', 'withCredentials'],
      },
    }),
    requestsView: () => null,
  },
  {
    name: 'handler attributes and listeners: order by first assignment, objects kept, primitives null, listener semantics',
    area: 'IDL surface',
    script: stream([held(...Array.from({ length: 8 }, (_, i) => `data: ${i + 1}\n\n`))], probe(handlersAndListeners)),
    results: () => ({
      // 1: A, the handler (H2 replaced H1 in its place), B, the object, A with capture, C once, the driver.
      // 2: onmessage = null, then H3: the handler moves after the driver. 3: an object as handler: skipped.
      // 4: onmessage = 5: null, then H4. 5: D added (called from 6 on), B removed. 6: A with capture removed.
      // 7: H4 returned false before D: not cancelable, nothing cancelled. 8: close() lets the rest run.
      log: [
        ...['A1', 'H2-1', 'B1', 'object1', 'A1', 'C1'],
        ...['A2', 'H2-2', 'B2', 'object2', 'A2'],
        ...['A3', 'B3', 'object3', 'A3'],
        ...['A4', 'B4', 'object4', 'A4'],
        ...['A5', 'B5', 'object5', 'A5', 'H4-5'],
        ...['A6', 'object6', 'A6', 'H4-6', 'D6'],
        ...['A7', 'object7', 'H4-7', 'D7 defaultPrevented false, cancelable false'],
        ...['A8', 'object8', 'H4-8', 'D8'],
      ],
      values: [true, true, null, null],
    }),
    // At the target, capture listeners run first (DOM "dispatch": invoke "capturing", then "bubbling").
    native: {
      firefox: {
        why: 'its EventTarget follows the DOM standard: capture listeners first at the target',
        results: () => ({ log: CAPTURE_FIRST_LOG, values: [true, true, null, null] }),
      },
      webkit: {
        why: 'its EventTarget follows the DOM standard: capture listeners first at the target',
        results: () => ({ log: CAPTURE_FIRST_LOG, values: [true, true, null, null] }),
      },
    },
    adjust: [
      {
        kind: 'departure',
        engines: ['chromium'],
        modes: ['legacy'],
        why: 'DOM 2.9 "dispatch": at the target, capture listeners are invoked before the others; Chromium\'s EventTarget (which modern pages use) calls them in the order added, ssekit\'s registry follows the standard',
        results: (native) => ({ ...native, log: CAPTURE_FIRST_LOG }),
      },
    ],
  },
  {
    name: 'a throwing listener or handler stops neither the other listeners nor the stream; the page sees window error events',
    area: 'IDL surface',
    script: stream([held('data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n', 'data: 4\n\n')], probe(listenerExceptions)),
    pageErrors: ['listener boom', 'handler boom'],
    results: () => ({
      log: ['A1', 'H1', 'B1:1', 'A2', 'H2', 'B2:1', 'A3', 'H3', 'B3:1', 'A4', 'H4', 'B4:1'],
      windowErrors: uncaught('Uncaught '),
    }),
    native: {
      firefox: { why: UNCAUGHT_MESSAGE, results: () => ({ windowErrors: uncaught('') }) },
      webkit: { why: UNCAUGHT_MESSAGE, results: () => ({ windowErrors: uncaught('') }) },
    },
  },
  {
    name: 'event objects: open and error are Events, messages MessageEvents (ports, source, flags, target, phase)',
    area: 'IDL surface',
    script: stream([ended('data: a\n\n')], probe(eventObjects)),
    results: () => {
      const common = { bubbles: false, cancelable: false, composed: false, defaultPrevented: false, eventPhase: 2, target: true, currentTarget: true };
      const after = { afterDispatch: { eventPhase: 0, currentTarget: null, target: true } };
      const simple = (type: string) => ({
        type,
        iface: 'Event',
        isMessageEvent: false,
        isEvent: true,
        hasData: false,
        ...common,
        ownKeys: ['isTrusted'],
        ownNames: ['isTrusted'],
        ...after,
      });
      const messageEvent = {
        type: 'message',
        iface: 'MessageEvent',
        isMessageEvent: true,
        isEvent: true,
        hasData: true,
        ...common,
        ownKeys: ['isTrusted'],
        ownNames: ['isTrusted'],
        data: ['string', 'a'],
        lastEventId: ['string', ''],
        origin: true,
        forIn: ['data', 'lastEventId', 'origin'],
        source: null,
        // an Array, empty, frozen, the same object each time
        ports: [true, 0, true, true],
        ...after,
      };
      return { seen: { open: simple('open'), message: messageEvent, error: simple('error') } };
    },
    adjust: [
      {
        kind: 'limitation',
        modes: ['modern'],
        why: "a message event's origin is an own read-only property: Chromium parses an origin given to initMessageEvent or the MessageEvent constructor as a URL on every event (~1 µs), which its own EventSource does not; e.origin, 'in' and for-in read the same",
        results: (native) => {
          const copy = JSON.parse(JSON.stringify(native));
          copy.seen.message.ownKeys = copy.seen.message.ownNames = ['isTrusted', 'origin'];
          return copy;
        },
      },
      {
        kind: 'limitation',
        modes: ['legacy'],
        why: "without a constructible EventTarget, the dispatch sets target, srcElement, currentTarget and eventPhase as own properties of the event object, and wraps stopImmediatePropagation to see it called; a message event's origin is an own property, as in modern pages",
        results: (native) => {
          const copy = JSON.parse(JSON.stringify(native));
          const registry = ['target', 'srcElement', 'currentTarget', 'eventPhase', 'stopImmediatePropagation'];
          for (const name of ['open', 'message', 'error']) {
            copy.seen[name].ownKeys = copy.seen[name].ownNames = ['isTrusted', ...(name === 'message' ? ['origin'] : []), ...registry];
          }
          return copy;
        },
      },
    ],
  },

  // close() in every state
  {
    results: () => ({
      out: {
        a: [],
        aBefore: 0,
        aAfter: [2, 2],
        b: ['open:1'],
        bBefore: 1,
        bAfter: [2, 2],
        c: ['open:1', 'message:1:x', 'error:0'],
        cBefore: 0,
        cAfter: [2, 2],
        d: ['error:2'],
        dBefore: 2,
        dAfter: [2, 2],
        f: ['open:1', 'second open listener:2'],
        ctl: ['open:1', 'message:1:1', 'error:0', 'open:1', 'message:1:2'],
      },
    }),
    requests: () => ['b', 'c', 'ctl', 'ctl', 'd', 'f'],
    name: 'close() before the response, when open, while waiting to reconnect, after a failure, inside an open listener; twice',
    area: 'close() in every state',
    script: stream([], probe(closeInEveryState), {
      a: [held('data: a\n\n')],
      b: [held(': first bytes\n', { wait: 1000 }, 'data: late\n\n')],
      c: [ended('retry: 500\ndata: x\n\n'), held('data: again\n\n')],
      d: [{ status: 204, headers: SSE }],
      f: [held('data: f\n\n')],
      ctl: [ended('retry: 1200\ndata: 1\n\n'), held('data: 2\n\n')],
    }),
    // Whether close() right after the constructor lets the request out is in the pending list.
    requestsView: (requests) =>
      requests
        .filter((r) => r.leg !== 'a')
        .map((r) => r.leg)
        .sort(),
  },

  // Big and many
  {
    name: 'a 256 KiB line in one write, then another event',
    area: 'big and many',
    script: stream([held('data: ' + 'x'.repeat(256 * 1024) + '\n\ndata: after\n\n')], probe(digestRecorder, { messages: 2 })),
  },
  {
    name: 'a 256 KiB line of 2-byte characters (UTF-8 sequences split wherever the reads fall)',
    area: 'big and many',
    script: stream([held('data: ' + '\u00e9'.repeat(128 * 1024) + '\n\n', 'data: after\n\n')], probe(digestRecorder, { messages: 2 })),
  },
  {
    name: '1000 events in one write, with ids and named events',
    area: 'big and many',
    script: stream(
      [held(Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? 'event: tick\n' : '') + `id: ${i}\ndata: ${i}\n\n`).join(''))],
      probe(digestRecorder, { messages: 1000, listen: ['open', 'message', 'error', 'tick'] }),
    ),
  },
  {
    name: 'an event sent one byte per write (CRLF, multi-byte characters, id, event, retry)',
    area: 'big and many',
    script: stream(
      [{ headers: SSE, chunks: bytesOf('retry: 5000\r\nid: 1\r\nevent: caf\u00e9\r\ndata: \u00e9\u20ac\u{1F600}\r\ndata:x\r\n\r\n'), gap: 5, end: 'open' }],
      { listen: ['open', 'message', 'error', 'caf\u00e9'], stop: [{ type: 'caf\u00e9' }] },
    ),
    events: (o) => [open, message(o.page)('\u00e9\u20ac\u{1F600}\nx', '1', 'caf\u00e9')],
  },

  // BOM variants
  {
    name: 'two BOMs: the second is part of the first line (an unknown field name)',
    area: 'BOM variants',
    script: stream([held('\uFEFF\uFEFFdata: a\n\ndata: b\n\n')], messages(1)),
    events: (o) => [open, message(o.page)('b')],
  },
  {
    name: 'a BOM split 1 | 2 bytes across reads is dropped',
    area: 'BOM variants',
    script: stream([held([0xef], [0xbb, 0xbf, ...utf8('data: a\n\n')])], messages(1)),
    events: (o) => [open, message(o.page)('a')],
    native: { webkit: { why: `a departure: ${SPEC.splitBom}; WebKit dispatches nothing`, events: () => [open], done: false } },
    adjust: [SPLIT_BOM_WEBKIT],
  },
  {
    name: 'a BOM split 2 | 1 bytes across reads is dropped',
    area: 'BOM variants',
    script: stream([held([0xef, 0xbb], [0xbf, ...utf8('data: a\n\n')])], messages(1)),
    events: (o) => [open, message(o.page)('a')],
    native: { webkit: { why: `a departure: ${SPEC.splitBom}; WebKit dispatches nothing`, events: () => [open], done: false } },
    adjust: [SPLIT_BOM_WEBKIT],
  },
  {
    name: 'a BOM split 1 | 1 | 1 bytes across reads is dropped',
    area: 'BOM variants',
    script: stream([held([0xef], [0xbb], [0xbf], 'data: a\n\n')], messages(1)),
    events: (o) => [open, message(o.page)('a')],
    native: { webkit: { why: `a departure: ${SPEC.splitBom}; WebKit dispatches nothing`, events: () => [open], done: false } },
    adjust: [SPLIT_BOM_WEBKIT],
  },
  {
    name: 'a BOM alone in the first read is dropped',
    area: 'BOM variants',
    script: stream([held('\uFEFF', 'data: a\n\n')], messages(1)),
    events: (o) => [open, message(o.page)('a')],
  },
  {
    name: 'each reconnected stream drops its own leading BOM',
    area: 'BOM variants',
    script: stream([ended('\uFEFF' + RETRY + 'data: a\n\n'), ended('\uFEFFdata: b\n\n'), held('\uFEFFdata: c\n\n')], messages(3)),
    events: (o) => [open, message(o.page)('a'), reconnecting, open, message(o.page)('b'), reconnecting, open, message(o.page)('c')],
  },
  {
    name: 'a BOM at the start of a later read is not dropped (its line has an unknown field name)',
    area: 'BOM variants',
    script: stream([held('data: a\n\n', '\uFEFFdata: b\n\ndata: c\n\n')], messages(2)),
    events: (o) => [open, message(o.page)('a'), message(o.page)('c')],
  },
  ...(
    [
      ['UTF-16LE', [0xff, 0xfe]],
      ['UTF-16BE', [0xfe, 0xff]],
    ] as const
  ).map(([name, bom]): Scenario => ({
    name: `${name} BOM bytes are not a BOM: decoded as UTF-8 (U+FFFD), their line is ignored`,
    area: 'BOM variants',
    script: stream([ended([...bom, ...utf8('data: a\n\ndata: b\n\n')])], { stop: [{ type: 'error' }] }),
    events: (o) => [open, message(o.page)('b'), reconnecting],
    native: { webkit: { why: `a departure: ${SPEC.charset}; WebKit sniffs the UTF-16 BOM`, events: () => [open, reconnecting] } },
    adjust: [
      { kind: 'departure', engines: ['webkit'], modes: ['modern'], why: SPEC.charset, events: (o) => [open, message(o.page)('b'), reconnecting] },
      {
        kind: 'limitation',
        modes: ['legacy'],
        why: "XMLHttpRequest's responseText decodes with BOM sniffing (Encoding: decode), so a UTF-16 BOM switches the decoder to UTF-16: no line, no event",
        events: () => [open, reconnecting],
      },
    ],
  })),

  // Lines and fields
  {
    name: 'LF alone in its own read',
    area: 'lines and fields',
    script: stream([held('data: a', '\n', '\n', 'data: b\n', '\n')], messages(2)),
    events: (o) => [open, message(o.page)('a'), message(o.page)('b')],
  },
  {
    name: 'CR alone in its own read ends the line at once (the last blank line too)',
    area: 'lines and fields',
    script: stream([held('data: a', '\r', '\r', 'data: b\r', '\r')], messages(2)),
    events: (o) => [open, message(o.page)('a'), message(o.page)('b')],
  },
  {
    name: 'CRLF in its own reads, and CR | LF across reads',
    area: 'lines and fields',
    script: stream([held('data: a', '\r\n', '\r\n', 'data: b', '\r', '\n', '\r', '\n')], messages(2)),
    events: (o) => [open, message(o.page)('a'), message(o.page)('b')],
  },
  {
    name: 'CR, then CRLF in the next read: two line endings',
    area: 'lines and fields',
    script: stream([held('data: a\r', '\r\n', 'data: b\n\n')], messages(2)),
    events: (o) => [open, message(o.page)('a'), message(o.page)('b')],
  },
  {
    name: 'LF, then CR in the next read: two line endings',
    area: 'lines and fields',
    script: stream([held('data: a\n', '\r', 'data: b\n\n')], messages(2)),
    events: (o) => [open, message(o.page)('a'), message(o.page)('b')],
  },
  {
    name: 'CR CR LF in one read: a line ending, then a blank line',
    area: 'lines and fields',
    script: stream([held('data: a\r\r\ndata: b\n\n')], messages(2)),
    events: (o) => [open, message(o.page)('a'), message(o.page)('b')],
  },
  {
    name: 'event without a colon sets an empty type: a message',
    area: 'lines and fields',
    script: stream([held('event: x\nevent\ndata: a\n\n')], messages(1, { listen: ['open', 'message', 'error', 'x'] })),
    events: (o) => [open, message(o.page)('a')],
  },
  {
    name: 'a space before the colon or the field name makes an unknown field; the value keeps its colons',
    area: 'lines and fields',
    script: stream([held('data : x\n data: y\ndata: a:b: c\n\n')], messages(1)),
    events: (o) => [open, message(o.page)('a:b: c')],
  },
  {
    name: 'events named open and error are MessageEvents dispatched while OPEN',
    area: 'lines and fields',
    script: stream([held('event: open\ndata: o\n\nevent: error\ndata: e\n\ndata: m\n\n')], messages(1)),
    events: (o) => [open, message(o.page)('o', '', 'open'), message(o.page)('e', '', 'error'), message(o.page)('m')],
  },
  {
    // Accepting 30000 and ignoring the zero-padded value would make the reconnection wait 30 s.
    name: 'retry with leading zeros is a number',
    area: 'lines and fields',
    script: stream([ended('retry: 30000\nretry: 0000050\ndata: a\n\n'), held('data: b\n\n')], messages(2)),
    events: (o) => [open, message(o.page)('a'), reconnecting, open, message(o.page)('b')],
  },
  {
    name: 'retry: 0 reconnects at once',
    area: 'lines and fields',
    script: stream([ended('retry: 0\ndata: a\n\n'), held('data: b\n\n')], messages(2)),
    events: (o) => [open, message(o.page)('a'), reconnecting, open, message(o.page)('b')],
  },
  {
    name: 'retry past 2^31 - 1 and up to 2^64 - 1 ms: no reconnection (a timer must not overflow); 2^64 and more: Chromium ignores the field',
    area: 'lines and fields',
    script: stream([], probe(hugeRetries), {
      over32: [ended(RETRY + 'retry: 4294967296\ndata: a\n\n'), held('data: b\n\n')],
      over53: [ended(RETRY + 'retry: 9007199254740993\ndata: a\n\n'), held('data: b\n\n')],
      max64: [ended(RETRY + 'retry: 18446744073709551615\ndata: a\n\n'), held('data: b\n\n')],
      over64: [ended(RETRY + 'retry: 99999999999999999999\ndata: a\n\n'), held('data: b\n\n')],
      // The control's reconnection ends the probe: 1.5 s gives Firefox's overflowed timers (which
      // reconnect at once) time to show, even on a loaded machine.
      ctl: [ended('retry: 1500\ndata: 1\n\n'), held('data: 2\n\n')],
    }),
    results: () => {
      const waiting = ['open:1', 'message:1:a', 'error:0'];
      return { out: { over32: waiting, over53: waiting, max64: waiting, over64: [...waiting, 'open:1', 'message:1:b'] } };
    },
    requestsView: (requests) => requests.map((r) => r.leg).sort(),
    requests: () => ['ctl', 'ctl', 'max64', 'over32', 'over53', 'over64', 'over64'],
    native: {
      firefox: {
        why: `a departure: ${SPEC.hugeRetry}; Firefox reconnects soon for values past 2^31 - 1 up to 2^53 and more (its timer overflows), and waits on 2^64 - 1 and above`,
        results: () => {
          const waiting = ['open:1', 'message:1:a', 'error:0'];
          const again = [...waiting, 'open:1', 'message:1:b'];
          return { out: { over32: again, over53: again, max64: waiting, over64: waiting } };
        },
        requests: () => ['ctl', 'ctl', 'max64', 'over32', 'over32', 'over53', 'over53', 'over64'],
      },
    },
    adjust: [
      {
        kind: 'departure',
        engines: ['firefox'],
        modes: ['modern', 'legacy'],
        why: SPEC.hugeRetry,
        results: () => {
          const waiting = ['open:1', 'message:1:a', 'error:0'];
          return { out: { over32: waiting, over53: waiting, max64: waiting, over64: waiting } };
        },
        requests: () => ['ctl', 'ctl', 'max64', 'over32', 'over53', 'over64'],
      },
      {
        kind: 'departure',
        engines: ['chromium', 'webkit'],
        modes: ['modern', 'legacy'],
        why: 'HTML 9.2.6 "retry": a value of ASCII digits only sets the reconnection time to that integer, however large; Chromium and WebKit parse it as a 64-bit integer and ignore it on overflow',
        results: (native) => ({ out: { ...native.out, over64: ['open:1', 'message:1:a', 'error:0'] } }),
        requests: (native: string[]) => native.filter((leg, i) => leg !== 'over64' || native.indexOf('over64') === i),
      },
    ],
  },
  {
    name: 'a complete id line without its blank line before the end: not sent on reconnection',
    area: 'lines and fields',
    script: stream([ended(RETRY + 'id: 1\ndata: a\n\nid: 2\n'), held('data: b\n\n')], messages(2)),
    events: (o) => [open, message(o.page)('a', '1'), reconnecting, open, message(o.page)('b', '1')],
    requests: () => [{ lastEventId: null }, { lastEventId: '1' }],
  },
  {
    name: 'a partial id line at the end of the body: not sent on reconnection',
    area: 'lines and fields',
    script: stream([ended(RETRY + 'id: 1\ndata: a\n\nid: 2'), held('data: b\n\n')], messages(2)),
    events: (o) => [open, message(o.page)('a', '1'), reconnecting, open, message(o.page)('b', '1')],
    requests: () => [{ lastEventId: null }, { lastEventId: '1' }],
  },
  {
    name: 'open fires when the response head arrives, before any byte of the body',
    area: 'announcing the connection',
    script: stream([], probe(openBeforeBody), {
      late: [held({ wait: 2000 }, 'data: late\n\n')],
      ctl: [held({ wait: 800 }, 'data: ctl\n\n')],
    }),
    results: () => ({ order: ['late open', 'ctl ctl', 'late late'] }),
    requestsView: (requests) => requests.map((r) => r.leg).sort(),
    adjust: [
      {
        kind: 'limitation',
        engines: ['chromium', 'webkit'],
        modes: ['legacy'],
        why: 'XMLHttpRequest reaches HEADERS_RECEIVED only with the first bytes of the body (Chromium, WebKit), so over XHR open waits for them',
        results: () => ({ order: ['ctl ctl', 'late open', 'late late'] }),
      },
    ],
    native: {
      firefox: {
        why: 'Firefox hands a response to its EventSource and to fetch alike only with the first bytes of the body: open waits for them in every mode (HTML 9.2.6 "announce the connection" comes with the response head)',
        results: () => ({ order: ['ctl ctl', 'late open', 'late late'] }),
      },
    },
  },

  // Native-only: what a script cannot reproduce, asserted for native, and for ssekit as what a script gets.
  {
    name: 'isTrusted is true for native events; script-created events are untrusted; EventSource is native code',
    area: 'native-only',
    script: stream([ended('data: a\n\n')], probe(trusted)),
    results: () => ({ isTrusted: ['open:true', 'message:true', 'error:true'], nativeCode: true }),
    adjust: [
      {
        kind: 'limitation',
        modes: ['modern', 'legacy'],
        why: 'DOM: isTrusted is true only for events the user agent dispatches; a script cannot make one, nor native code',
        results: () => ({ isTrusted: ['open:false', 'message:false', 'error:false'], nativeCode: false }),
      },
    ],
  },
  {
    name: "a microtask queued by a listener runs before the next listener (native dispatch's microtask checkpoint)",
    area: 'native-only',
    script: stream([held('data: 1\n\ndata: 2\n\ndata: 3\n\n')], probe(microtasks)),
    results: () => ({ log: ['A1', 'microtask of A1', 'B1', 'A2', 'microtask of A2', 'B2', 'A3', 'microtask of A3', 'B3'] }),
    compare: (results: any) => {
      const log: string[] = results.log;
      return { beforeNextListener: log.indexOf('microtask of A1') < log.indexOf('B1') };
    },
    adjust: [
      {
        kind: 'limitation',
        modes: ['modern', 'legacy'],
        why: 'HTML "clean up after running script": microtasks run when the JavaScript stack empties, and a script dispatch keeps its own frame on the stack between listeners',
        results: () => ({ beforeNextListener: false }),
      },
    ],
  },
  // legacy: without URL, the <a> element fallback accepts what the URL parser rejects.
  {
    name: 'an unparsable URL throws a SyntaxError DOMException (code 12)',
    area: 'IDL surface',
    script: stream([], probe(syntaxErrors)),
    results: () => ({ r: URL_CASES_REJECTED.map((c) => (c[0] === 'http://exa mple.com/' ? [c[0], { value: 'http://exa%20mple.com/' }] : c)) }),
    requestsView: () => null,
    // A space in a host is a forbidden host code point (URL standard): Firefox and WebKit fail to
    // parse it, Chromium percent-encodes it; ssekit parses URLs with the engine's own parser.
    native: {
      firefox: { why: 'its URL parser follows the URL standard (a space is a forbidden host code point)', results: () => ({ r: [...URL_CASES_REJECTED] }) },
      webkit: { why: 'its URL parser follows the URL standard (a space is a forbidden host code point)', results: () => ({ r: [...URL_CASES_REJECTED] }) },
    },
  },
  // Web IDL: the init argument is a dictionary (a primitive is a TypeError), converted with the
  // other arguments before the constructor steps parse the URL.
  {
    name: 'an init that is not an object throws a TypeError; init is read before the URL is parsed',
    area: 'IDL surface',
    script: stream([], probe(initConversion)),
    results: () => ({
      r: {
        notObjects: [
          ['5', TYPE_ERROR],
          ['x', TYPE_ERROR],
          ['true', TYPE_ERROR],
        ],
        unparsableURL: SYNTAX_ERROR,
        readsBeforeTheSyntaxError: ['withCredentials'],
      },
    }),
    requestsView: () => null,
  },
  // The IE-class registry honours stopImmediatePropagation() on its own.
  {
    name: 'stopImmediatePropagation() in a listener skips the later listeners of that event',
    area: 'IDL surface',
    script: stream([held('data: 1\n\n', 'data: 2\n\n')], probe(stopImmediate)),
    results: () => ({ log: ['A1', 'A2', 'B2'] }),
  },
  // The IE-class registry sets srcElement (target's legacy alias) as well as target.
  {
    name: 'srcElement is the source',
    area: 'IDL surface',
    script: stream([held('data: 1\n\n')], probe(srcElement)),
    results: () => ({ srcElement: true }),
  },
  // Web IDL: operations are enumerable, the class string is the interface name, members are
  // defined in IDL order (attributes, constants, operations), and an instance has no own property.
  {
    name: 'close is enumerable, the class string is EventSource, no own properties, members in IDL order',
    area: 'IDL surface',
    script: stream([], probe(interfaceDetails)),
    results: () => ({
      r: {
        closeEnumerable: true,
        toString: ['[object EventSource]', '[object EventSource]'],
        instanceOwnNames: [],
        prototypeOwnNames: ['CLOSED', 'CONNECTING', 'OPEN', 'close', 'constructor', 'onerror', 'onmessage', 'onopen', 'readyState', 'url', 'withCredentials'],
        forInOrder: [...IDL_ATTRIBUTES, ...IDL_CONSTANTS, 'close'],
      },
    }),
    requestsView: () => null,
    adjust: [
      {
        kind: 'departure',
        engines: ['chromium', 'firefox'],
        modes: ['modern', 'legacy'],
        why: SPEC.idlOrder,
        results: (native) => ({ ...native, r: { ...native.r, forInOrder: [...IDL_ATTRIBUTES, 'close', ...IDL_CONSTANTS] } }),
      },
      {
        kind: 'limitation',
        modes: ['legacy'],
        why: 'IE has no Symbol.toStringTag, no WeakMap (the internals are a non-enumerable own property) and no EventTarget.prototype to inherit from',
        results: (native) => ({
          r: {
            ...native.r,
            toString: ['[object Object]', '[object Object]'],
            instanceOwnNames: ['__ssekitListeners', '__ssekit'],
            prototypeOwnNames: [...native.r.prototypeOwnNames, 'addEventListener', 'dispatchEvent', 'removeEventListener'].sort(),
          },
        }),
      },
    ],
    native: {
      firefox: {
        why: `a departure: ${SPEC.idlOrder}; Firefox lists the operations first`,
        results: () => ({ r: { forInOrder: ['close', ...IDL_ATTRIBUTES, ...IDL_CONSTANTS] } }),
      },
      webkit: { why: 'it follows WebIDL', results: () => ({ r: { forInOrder: [...IDL_ATTRIBUTES, 'close', ...IDL_CONSTANTS] } }) },
    },
  },
  // A listener's exception is reported before the next listener runs (the IE-class registry has no
  // reportError: it rethrows from a listener of a DOM event of its own, which the platform reports at once).
  {
    name: "a listener's exception reaches window before the next listener runs",
    area: 'IDL surface',
    script: stream([held('data: 1\n\n', 'data: 2\n\n')], probe(exceptionOrder)),
    results: () => ({ log: ['A1', 'window error: Uncaught Error: boom', 'B1', 'A2', 'B2'] }),
    pageErrors: ['boom'],
    native: {
      firefox: { why: UNCAUGHT_MESSAGE, results: () => ({ log: ['A1', 'window error: Error: boom', 'B1', 'A2', 'B2'] }) },
      webkit: { why: UNCAUGHT_MESSAGE, results: () => ({ log: ['A1', 'window error: Error: boom', 'B1', 'A2', 'B2'] }) },
    },
  },
  // HTML 9.2.6: each event is dispatched from a task of its own, so microtasks queued by the
  // listeners of one event run before the next (ssekit: each event one microtask turn behind the
  // last, where there is a Promise).
  {
    name: 'microtasks queued while dispatching an event run before the next event',
    area: 'IDL surface',
    script: stream([held('data: 1\n\ndata: 2\n\ndata: 3\n\n')], probe(microtasks)),
    compare: (results: any) => {
      const log: string[] = results.log;
      return { beforeNextEvent: log.indexOf('microtask of A1') < log.indexOf('A2') && log.indexOf('microtask of A2') < log.indexOf('A3') };
    },
    adjust: [
      {
        kind: 'limitation',
        modes: ['legacy'],
        why: "IE has no Promise (its pages' microtasks come from setImmediate or MutationObserver polyfills, which nothing cheap can wait behind): the events of one read are dispatched back to back; the probe queues V8's own Promise, which an IE page cannot have",
        results: () => ({ beforeNextEvent: false }),
      },
    ],
  },
  // Chromium's constructor starts the fetch from a task: close() right after it sends nothing.
  {
    name: 'close() right after the constructor: no request goes out',
    area: 'close() in every state',
    script: stream([], probe(closeRightAway), { a: [held('data: a\n\n')], ctl: [ended('retry: 600\ndata: 1\n\n'), held('data: 2\n\n')] }),
    requestsView: (requests) => requests.map((r) => r.leg).sort(),
    requests: () => ['ctl', 'ctl'],
  },
  // native: a CORS failure fails the connection (HTML 9.2.3 lets a user agent fail instead of
  // reestablishing when it knows retrying is futile; Chromium does). ssekit: fetch and XHR report a
  // CORS failure like a network error, so it reestablishes (error with CONNECTING) forever.
  corsFailure('no Access-Control-Allow-Origin', () => SSE),
  corsFailure('Access-Control-Allow-Origin names another origin', (o) => corsHeaders(o.site)),
  corsFailure('an empty Access-Control-Allow-Origin', () => corsHeaders('')),
  corsFailure('Access-Control-Allow-Origin: * with credentials', () => corsHeaders('*', true), true),
  corsFailure('withCredentials without Access-Control-Allow-Credentials', (o) => corsHeaders(o.page), true),
  {
    name: 'a CORS failure on a reconnection fails the connection',
    area: 'cross-origin, CORS, cookies',
    script: (o) => ({
      connections: [{ headers: corsHeaders(o.page), chunks: [RETRY + 'data: a\n\n'], end: 'end' }, held('data: b\n\n')],
      page: onOther(o, { stop: [{ type: 'error', count: 2 }] }),
    }),
    events: (o) => [open, message(o.other)('a'), reconnecting, failed],
    adjust: [XHR_NO_CACHE_CONTROL_CROSS_ORIGIN, NO_CORS_PROBE, xhrCorsFailure((o) => [open, message(o.other)('a'), reconnecting, reconnecting])],
  },
  // native: no preflight, the stream opens on the other origin. ssekit sets Cache-Control: no-cache
  // itself on a same-origin request (over fetch, cache: 'no-store' adds it below CORS anyway); after
  // a redirect to another origin that header is not CORS-safelisted, so fetch and XHR preflight it,
  // the server allows no request header, and ssekit reestablishes (then fails on the script's 204).
  {
    name: 'a same-origin URL redirected to the other origin (CORS allowed): opens, events carry the final origin',
    area: 'cross-origin, CORS, cookies',
    script: (o) => ({
      connections: [{ status: 302, headers: { Location: o.other + '{self}/t' } }],
      legs: { t: [{ headers: corsHeaders(o.page), chunks: ['data: a\n\n'], end: 'open' }] },
      preflight: refusingPreflight(o.page),
      page: messages(1),
    }),
    // The IE-class page fails twice over XHR (about 1 s each in Firefox) around a 3 s reconnection time.
    reportAfter: 8_000,
    events: (o) => [open, message(o.other)('a')],
    requests: (o) => [
      { ...ONE_GET(null), leg: '' },
      { ...ONE_GET(o.page), leg: 't' },
    ],
    adjust: [
      WEBKIT_REDIRECTED_CACHE_CONTROL,
      xhrRedirectPreflight(
        () => [reconnecting, failed],
        (native) => [native[0] as Req, preflightOf('t'), { method: 'GET', leg: '' }],
      ),
    ],
  },
  {
    name: 'a same-origin URL redirected to the other origin without CORS headers fails',
    area: 'cross-origin, CORS, cookies',
    script: (o) => ({
      // Three times each: what a real server does for ssekit's no-cors probe and the request sent
      // again too (native asks once).
      connections: [
        { status: 302, headers: { Location: o.other + '{self}/t' } },
        { status: 302, headers: { Location: o.other + '{self}/t' } },
        { status: 302, headers: { Location: o.other + '{self}/t' } },
      ],
      legs: { t: [held('data: a\n\n'), held('data: a\n\n'), held('data: a\n\n')] },
      preflight: refusingPreflight(null),
      page: { stop: [{ type: 'error' }] },
    }),
    events: () => [failed],
    adjust: [
      noCorsProbe(['', 't']),
      WEBKIT_REDIRECTED_CACHE_CONTROL,
      xhrRedirectPreflight(
        () => [reconnecting],
        (native) => [native[0] as Req, preflightOf('t')],
      ),
    ],
  },
  {
    name: 'a same-origin URL redirected to a 404 on the other origin (CORS allowed) fails',
    area: 'cross-origin, CORS, cookies',
    script: (o) => ({
      connections: [{ status: 302, headers: { Location: o.other + '{self}/t' } }],
      legs: { t: [{ status: 404, headers: corsHeaders(o.page), chunks: ['data: never\n\n'] }] },
      preflight: refusingPreflight(o.page),
      page: { stop: [{ type: 'error' }] },
    }),
    events: () => [failed],
    adjust: [
      WEBKIT_REDIRECTED_CACHE_CONTROL,
      xhrRedirectPreflight(
        () => [reconnecting],
        (native) => [native[0] as Req, preflightOf('t')],
      ),
    ],
  },
  {
    name: 'page origin -> other origin -> page origin: the last hop sees Origin: null, allowed by *',
    area: 'cross-origin, CORS, cookies',
    script: (o) => ({
      connections: [{ status: 302, headers: { Location: o.other + '{self}/b' } }],
      legs: {
        b: [{ status: 302, headers: { Location: o.page + '{self}/t', 'Access-Control-Allow-Origin': o.page } }],
        t: [{ headers: corsHeaders('*'), chunks: ['data: a\n\n'], end: 'open' }],
      },
      preflight: refusingPreflight(o.page),
      page: messages(1),
    }),
    // As above: two slow failures in the IE-class page around a 3 s reconnection time.
    reportAfter: 8_000,
    events: (o) => [open, message(o.page)('a')],
    requests: (o) => [
      { ...ONE_GET(null), leg: '' },
      { ...ONE_GET(o.page), leg: 'b' },
      { ...ONE_GET('null'), leg: 't' },
    ],
    native: {
      webkit: {
        why: `a departure: ${SPEC.corsRedirectBack}; WebKit fails the connection at the second redirect`,
        events: () => [failed],
        requests: (o) => [
          { ...ONE_GET(null), leg: '' },
          { ...ONE_GET(o.page), leg: 'b' },
        ],
      },
    },
    adjust: [
      {
        kind: 'limitation',
        engines: ['webkit'],
        modes: ['modern'],
        why: "WebKit's fetch refuses the redirect back to the page's origin as its EventSource does, and reports it as a network error: ssekit probes (no-cors), reestablishes the connection, and fails on the script's 204",
        events: () => [reconnecting, failed],
        requests: (native: Req[]) => [
          native[0] as Req,
          { ...(native[1] as Req), cacheControl: null },
          { method: 'GET', leg: '', accept: '*/*' },
          { method: 'GET', leg: '', accept: 'text/event-stream' },
        ],
      },
      xhrRedirectPreflight(
        () => [reconnecting, failed],
        (native) => [native[0] as Req, preflightOf('b'), { method: 'GET', leg: '' }],
      ),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Running a scenario three ways
// ---------------------------------------------------------------------------------------------

function header(entry: LogEntry, name: string): string | null {
  const value = entry.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

function requestsOf(run: ScenarioRun): Req[] {
  return run.entries.map((entry) => ({
    method: entry.method,
    leg: entry.leg ?? '',
    preflight: !!entry.preflight,
    origin: header(entry, 'origin'),
    cookie: header(entry, 'cookie'),
    accept: header(entry, 'accept'),
    cacheControl: header(entry, 'cache-control'),
    lastEventId: header(entry, 'last-event-id'),
    requestHeaders: header(entry, 'access-control-request-headers'),
  }));
}

function viewOf(run: ScenarioRun, scenario: Scenario): View {
  const record = run.record;
  const results = record.results === undefined ? null : scenario.compare ? scenario.compare(record.results) : record.results;
  const requests = requestsOf(run);
  return {
    url: record.url,
    readyStateAtStart: record.readyStateAtStart,
    readyStateAtEnd: record.readyStateAtEnd,
    events: record.events,
    thrown: record.thrown,
    done: record.done,
    results,
    requests: scenario.requestsView ? scenario.requestsView(requests) : requests,
  };
}

/** Native's view turned into what ssekit must record in `mode`, and whether its requests are compared partially. */
function expectedFor(mode: HarnessMode, native: View, scenario: Scenario, o: Origins, actual: View): { view: View; partialRequests: boolean; why: string[] } {
  const view = { ...native };
  let partialRequests = false;
  const why: string[] = [];
  for (const adjustment of scenario.adjust ?? []) {
    if (!(adjustment.modes as HarnessMode[]).includes(mode) || (adjustment.engines && !adjustment.engines.includes(o.engine))) continue;
    why.push(`${adjustment.kind}: ${adjustment.why}`);
    if (adjustment.events) view.events = adjustment.events(o);
    if (adjustment.finished) Object.assign(view, { done: true, readyStateAtEnd: 2 });
    if (adjustment.record) Object.assign(view, adjustment.record(o, actual));
    if (adjustment.results) view.results = adjustment.results(view.results, o);
    if (adjustment.requests) {
      view.requests = adjustment.requests(view.requests, o);
      partialRequests = true;
    }
  }
  return { view, partialRequests, why };
}

function registerScenario(scenario: Scenario): void {
  test(`${scenario.area}: ${scenario.name}`, async ({ lanes, twoOrigins }) => {
    const { server } = twoOrigins;
    const o: Origins = { ...twoOrigins.origins, engine: lanes.engine.name };
    const own = o.engine === 'chromium' ? undefined : scenario.native?.[o.engine];
    const handWritten = { events: own?.events ?? scenario.events, results: own?.results ?? scenario.results, requests: own?.requests ?? scenario.requests };
    const definition = scenario.script(o);
    const options = scenario.cookies ? { cookies: scenario.cookies(o) } : {};
    const [native, modern, legacy] = (await Promise.all(
      (['native', 'modern', 'legacy'] as const).map((mode) => runScenario(lanes, server, definition, mode, scenario.reportAfter ?? 5_000, options)),
    )) as [ScenarioRun, ScenarioRun, ScenarioRun];

    expect(native.record, 'native recorded something').not.toBeNull();
    expect(native.record.done, `native finished: ${JSON.stringify(native.record)}`).toBe(own?.done ?? true);
    expect(native.engine).toBe('native');
    expect(native.pageErrors).toEqual(scenario.pageErrors ?? []);
    expect([modern.engine, modern.transport.xhr], 'modern: ssekit, no XHR').toEqual(['ssekit', 0]);
    expect([legacy.engine, legacy.transport.fetch], 'legacy: ssekit, no fetch').toEqual(['ssekit', 0]);
    const whose = own ? `${o.engine}'s hand-written (${own.why})` : 'the hand-written';
    if (handWritten.events) expect(native.record.events, `native matches ${whose} events`).toEqual(handWritten.events(o));
    if (handWritten.results) expect(native.record.results, `native matches ${whose} results`).toMatchObject(handWritten.results(o) as Record<string, unknown>);
    const nativeView = viewOf(native, scenario);
    if (handWritten.requests) expect(nativeView.requests, `native made ${whose} requests`).toMatchObject(handWritten.requests(o) as Record<string, unknown>);

    for (const run of [modern, legacy]) {
      expect.soft(run.record, `${run.mode} recorded something`).not.toBeNull();
      if (!run.record) continue;
      expect.soft(run.pageErrors, `${run.mode}: page errors`).toEqual(scenario.pageErrors ?? []);
      const actual = viewOf(run, scenario);
      const { view, partialRequests, why } = expectedFor(run.mode, nativeView, scenario, o, actual);
      const label = `${run.mode} records what native recorded${why.length ? ', but for: ' + why.join('; ') : ''} (timing ms: ${run.timing.join(', ')})`;
      if (partialRequests) {
        expect.soft(actual.requests, label).toMatchObject(view.requests as Record<string, unknown>);
        expect.soft({ ...actual, requests: null }, label).toEqual({ ...view, requests: null });
      } else {
        expect.soft(actual, label).toEqual(view);
      }
    }
  });
}

for (const scenario of SCENARIOS) registerScenario(scenario);
