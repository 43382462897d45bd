// Types of app.js for the TypeScript e2e fixtures (the server itself stays plain JavaScript).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface LogEntry {
  /** Order of arrival over the whole app. */
  seq: number;
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  /** As Node parsed them: names lower-cased, values without surrounding whitespace. */
  headers: Record<string, string | string[] | undefined>;
  /** As Node received them, names in their case (HTTP parsing already trimmed surrounding spaces). */
  rawHeaders: string[];
  /** Date.now() at arrival. */
  time: number;
  /** Scripted stream key, leg ('' for the main one) and connection number within them, from 0. */
  key?: string;
  leg?: string;
  index?: number;
  /** Date.now() when the response finished or the socket went away. */
  closedAt?: number;
  /** The server ended the response normally. */
  finished?: boolean;
  /** The server reset the socket on purpose (scripted `end: 'destroy'`). */
  destroyed?: boolean;
  /** The client went away before the server ended the response. */
  aborted?: boolean;
  /** Request body, for /client/echo. */
  body?: string;
  /** An OPTIONS request answered by the script's `preflight`. */
  preflight?: boolean;
}

export interface RequestLog {
  entries: LogEntry[];
  add(entry: Omit<LogEntry, 'seq'>): LogEntry;
  forKey(key: string): LogEntry[];
  /** The seq the next request will get: entries with seq >= mark arrived later. */
  mark(): number;
}

/** A string is sent as UTF-8, bytes as they are; `{ wait }` pauses before the next chunk. */
export type Chunk = string | Uint8Array | number[] | { wait: number };

export interface ScriptedConnection {
  /** Default 200. */
  status?: number;
  /** Replace the defaults (text/event-stream, no-store); `{self}` in a value becomes the stream's path. */
  headers?: Record<string, string>;
  chunks?: Chunk[];
  /** Milliseconds between two data chunks (default 10). */
  gap?: number;
  /** After the chunks: end the body (default), hold it open until the client leaves, or reset the socket. */
  end?: 'end' | 'open' | 'destroy';
}

export interface HarnessConfig {
  /** Default: the scripted stream's own path; `{self}` in it becomes that path (to name another origin). */
  url?: string;
  /** The page's Content-Security-Policy header, e.g. `connect-src 'self'`. */
  csp?: string;
  /** The EventSource init dictionary, when one is passed. */
  init?: { withCredentials?: boolean };
  /** Event types recorded (default open, message, error). */
  listen?: string[];
  /** Close the EventSource (inside the listener) after `count` events of `type` (and that readyState). */
  stop?: { type: string; count?: number; readyState?: number }[];
  /** Call window.stop() (inside the listener) once `count` (default 1) events of `type` were recorded. */
  windowStop?: { type: string; count?: number };
  /**
   * A probe instead of the recorder: the source of a function, compiled as sloppy code and called
   * with (ES, api, cfg); it records with `api.set(name, value)` (in `record.results`), ends with `api.done()`.
   */
  probe?: string;
}

/** The lifecycle page's stream (/lifecycle?mode=M&key=KEY, e2e/lifecycle.spec.ts and e2e/bfcache.spec.ts). */
export interface LifecycleConfig {
  /** The mode's EventSource, or connect() (no native mode). */
  api: 'eventsource' | 'connect';
  /** connect()'s options, as JSON. */
  options?: Record<string, unknown>;
  /** The page also sends its log to POST /report/KEY.N (N: 1, 2, ... in the tab), `{ log }`, on every entry (drivers that cannot read the page). */
  report?: boolean;
}

/** The fuzz page's batch (/fuzz?mode=M&key=KEY): cases played `lanes` at a time, each ending at its first `error` Event. */
export interface FuzzBatchConfig {
  cases: { url: string; listen: string[] }[];
  lanes?: number;
  /** Milliseconds before the page gives up on a case (default 10000). */
  caseTimeout?: number;
}

export interface ScriptDefinition {
  /** Per connection to /script/KEY, in order; past the end: 204. */
  connections: ScriptedConnection[];
  /** More paths, /script/KEY/LEG, e.g. redirect targets. */
  legs?: Record<string, ScriptedConnection[]>;
  /** The answer to every OPTIONS request to the key's paths, logged with `preflight: true`; without it an OPTIONS request takes a connection's turn. */
  preflight?: ScriptedConnection;
  page?: HarnessConfig | FuzzBatchConfig | LifecycleConfig;
}

/** The Koa application (koa ships no types), with the parts the fixtures use. */
export interface DemoApp {
  listen(port?: number, host?: string, listener?: () => void): Server;
  listen(port?: number, listener?: () => void): Server;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  log: RequestLog;
  reports: Reports;
  scripts: {
    /** Registers a scripted stream; returns its key (served at /script/KEY, page at /harness?mode=M&key=KEY). */
    add(definition: ScriptDefinition): string;
    get(key: string): ScriptDefinition | undefined;
    /** Closes the sockets of every response of `key` still open (the test's page is gone, the browser may still drain them). */
    release(key: string): void;
  };
}

/** Reports of test pages by key (POST /report/KEY), see createReports in app.js. */
export interface Reports {
  put(key: string, value: unknown): void;
  /** The report for `key`, taken; undefined when none arrived within `timeout` ms. */
  take(key: string, timeout: number): Promise<unknown>;
}

export function createRequestLog(limit?: number): RequestLog;
export function createReports(): Reports;
export function createApp(options?: { root?: string; logLimit?: number }): DemoApp;
