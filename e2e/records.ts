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
