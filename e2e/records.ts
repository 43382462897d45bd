// Building blocks of the scenario tables: scripted connections and the hand-written records native must produce.
import type { Chunk, HarnessConfig, ScriptedConnection } from '../demo-server/app.js';
import type { RecordedEvent } from './fixtures';

export const SSE = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' };
// Reconnections in the tables wait 50 ms instead of the default 3 s.
export const RETRY = 'retry: 50\n';

/** One connection serving `chunks`, then held open: only the page can end it. */
export const held = (...chunks: Chunk[]): ScriptedConnection => ({ headers: SSE, chunks, end: 'open' });
/** One connection serving `chunks`, then ending the body: the page reconnects. */
export const ended = (...chunks: Chunk[]): ScriptedConnection => ({ headers: SSE, chunks, end: 'end' });

/** The harness stops after `count` message events. */
export const messages = (count: number): HarnessConfig => ({ stop: [{ type: 'message', count }] });

export const open: RecordedEvent = { type: 'open', readyState: 1, iface: 'Event' };
export const reconnecting: RecordedEvent = { type: 'error', readyState: 0, iface: 'Event' };
export const failed: RecordedEvent = { type: 'error', readyState: 2, iface: 'Event' };
/** A message event as recorded, from `origin`. */
export const message =
  (origin: string) =>
  (data: string, lastEventId = '', type = 'message'): RecordedEvent => ({
    type,
    readyState: 1,
    iface: 'MessageEvent',
    data,
    lastEventId,
    origin,
    source: null,
    ports: 0,
  });

/**
 * The parts of the standard (HTML §9.2, and the digest in ../shared/spec/eventsource.md) an
 * engine's native EventSource departs from, cited by the tables and the fuzz test.
 */
export const SPEC = {
  charset: 'HTML 9.2.6: the stream is always decoded as UTF-8, the charset parameter plays no part; digest 2, 3',
  bomThenLineBreak: 'HTML 9.2.6: one leading U+FEFF is dropped, then LF is a line ending (an empty line: nothing to dispatch); digest 3',
  nulInData:
    'HTML 9.2.6 "data": the field value is appended to the data buffer as it is; U+0000 is an ordinary character there (only an id containing it is ignored)',
  nulInId: 'HTML 9.2.6 "id": a value containing U+0000 is ignored, that field only; the rest of the event and of the stream is processed as usual',
  idOnlyBlock:
    'HTML 9.2.6 "dispatch the event", step 1: a blank line sets the last event ID string from the buffer even when the data buffer is empty, so an id-only block sets it',
  retryDigits: 'HTML 9.2.6 "retry": only a value of ASCII digits sets the reconnection time; any other value is ignored',
  splitBom: 'HTML 9.2.6 and Encoding "UTF-8 decode": one leading BOM is dropped whatever reads its three bytes arrive in',
  dataURL: 'HTML 9.2.2 and Fetch "scheme fetch": a data: URL is fetched like any other (its response is basic, its origin opaque), so the stream opens',
  hugeRetry: 'HTML 9.2.6 "retry": a value of ASCII digits sets the reconnection time to that integer, however large',
  corsRedirectBack:
    'Fetch "HTTP-redirect fetch": a CORS request may be redirected back to the origin it came from (its origin is then tainted, sent as Origin: null), and Access-Control-Allow-Origin: * allows it',
  abortedFetch:
    'HTML 9.2.3 "EventSource fetch": an aborted network error fails the connection; window.stop() ("stop document loading", "abort a document") aborts the fetches of the document, so the one in progress ends as one',
  idlOrder:
    'WebIDL 3.7.3 "create an interface prototype object": the regular attributes, then the regular operations, then the constants, which is the order for-in lists them',
} as const;
