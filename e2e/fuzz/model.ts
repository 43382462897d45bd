// The spec's model of a fuzz case (../shared/spec/eventsource.md §3): the events a page must record for a body read to its end, the oracle where Chromium departs from the spec.
import type { RecordedEvent } from '../fixtures';

/** What the fuzz page records of one case (see fuzzPage in demo-server/pages.js). */
export interface CaseRecord {
  events: RecordedEvent[];
  readyStateAtStart: number | null;
  readyStateAtEnd: number | null;
  thrown: string | null;
  /** The case did not end (no `error` event) within the page's bound. */
  timedOut: boolean;
}

/**
 * The record of a case whose body is `bytes`, served with status 200 and text/event-stream, then
 * ended: `open`, each dispatched event, and the `error` of the reconnection, in which the page
 * closes the source.
 */
export function expectedRecord(bytes: Uint8Array, origin: string): CaseRecord {
  const events: RecordedEvent[] = [{ type: 'open', readyState: 1, iface: 'Event' }];
  // Decode as UTF-8 whatever the charset (invalid bytes become U+FFFD), then drop one leading BOM.
  let text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let data = '';
  let type = '';
  let idBuffer = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 0x0a && ch !== 0x0d) continue;
    const line = text.slice(start, i);
    // CRLF is one line ending; a lone CR or LF is one too.
    if (ch === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    start = i + 1;
    if (line === '') {
      // The source's last event ID string is the buffer's value from here on, dispatch or not.
      const lastEventId = idBuffer;
      if (data === '') {
        type = '';
        continue;
      }
      events.push({
        type: type || 'message',
        readyState: 1,
        iface: 'MessageEvent',
        data: data.endsWith('\n') ? data.slice(0, -1) : data,
        lastEventId,
        origin,
        source: null,
        ports: 0,
      });
      data = '';
      type = '';
      continue;
    }
    if (line.charAt(0) === ':') continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charAt(0) === ' ') value = value.slice(1);
    if (name === 'event') type = value;
    else if (name === 'data') data += value + '\n';
    else if (name === 'id') {
      if (value.indexOf('\u0000') < 0) idBuffer = value;
    }
    // retry changes only the reconnection time, which the fuzz page never waits for.
  }
  // A partial line and an undispatched block at the end of the body are discarded.
  events.push({ type: 'error', readyState: 0, iface: 'Event' });
  return { events, readyStateAtStart: 0, readyStateAtEnd: 2, thrown: null, timedOut: false };
}

/** The event types the page must listen to: every type the model dispatches, and every `event:` value in the body as written. */
export function listenedTypes(bytes: Uint8Array, origin: string): string[] {
  const types = new Set(['open', 'message', 'error']);
  for (const event of expectedRecord(bytes, origin).events) types.add(event.type);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  for (const line of text.split(/\r\n|\r|\n/)) {
    const match = /^\ufeff?event:( ?)(.*)$/.exec(line);
    if (match && match[2]) {
      types.add(match[2]);
      types.add((match[1] ?? '') + match[2]);
    }
  }
  return [...types];
}
