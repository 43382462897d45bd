// Incremental text/event-stream parser: decoded string chunks in, dispatched events out (HTML §9.2.6).

/** One dispatched event, as built by the "dispatch the event" steps of HTML §9.2.6. */
export interface ParsedEvent {
  /** The event type buffer, or `"message"` when it was empty. */
  type: string;
  /** The data buffer without its final U+000A. Never empty-bufferred: see {@link ParserCallbacks.onEvent}. */
  data: string;
  /** The last event ID string at the moment of dispatch (persists across events). */
  lastEventId: string;
}

/** The callbacks a parser reports to. Only `onEvent` is required. */
export interface ParserCallbacks {
  /** Called once per dispatched event; blocks whose data buffer is empty dispatch nothing. */
  onEvent: (event: ParsedEvent) => void;
  /** Called with the new reconnection time in ms for a `retry` field made of ASCII digits only. */
  onRetry?: (ms: number) => void;
  /** Called with the text after the `:` of each comment line (keep-alives, usually). */
  onComment?: (text: string) => void;
  /** Initial last event ID buffer, e.g. the id a reconnecting client resumes from. Default `""`. */
  lastEventId?: string;
}

/** An incremental parser created by {@link createParser}. */
export interface Parser {
  /**
   * Feeds the next decoded chunk of the stream. Chunks may split lines, fields and CRLF pairs
   * anywhere. Callbacks run synchronously, in stream order, before `feed` returns.
   */
  feed(chunk: string): void;
  /**
   * Starts a new stream (a reconnection): drops any partial line, the data and event type
   * buffers, an `id` of a block not yet dispatched and a pending CR, but keeps the last event ID
   * string (`lastEventId`), which persists across reconnections.
   */
  reset(): void;
  /**
   * True when a stream cut here and resumed by `Last-Event-ID` loses and repeats nothing: no
   * partial line or undispatched field is buffered, and the last event dispatched carried its
   * own `id` (blocks with neither data nor id, such as keep-alive comments, change nothing).
   */
  resumable(): boolean;
  /** The last event ID string: set at each dispatch from the last event ID buffer (`id:` fields). */
  lastEventId: string;
}

// Character codes compared in the inner loop.
const LF = 10;
const SPACE = 32;

/**
 * Creates a parser for the `text/event-stream` format (HTML §9.2.6 "Event stream
 * interpretation"). Input is text: decoding and the leading BOM belong to the decoder.
 * Lines end with CRLF, LF or a lone CR, also when split across chunks; a partial line or an
 * undispatched block at the end of a stream is simply never reported (call `reset()` to start
 * the next stream). Throws nothing; callbacks' exceptions propagate to the caller of `feed`.
 */
export function createParser(callbacks: ParserCallbacks): Parser {
  const onEvent = callbacks.onEvent;
  const onRetry = callbacks.onRetry;
  const onComment = callbacks.onComment;

  // Text of the line in progress when a chunk ended without a line ending.
  let pending = '';
  // The previous chunk ended with CR: an LF opening the next chunk completes that line ending.
  let skipLF = false;
  let data = '';
  let hasData = false;
  let eventType = '';
  let idBuffer = callbacks.lastEventId === undefined ? '' : String(callbacks.lastEventId);

  // An id field in the block being read; whether the last block with data or an id had one.
  let idSeen = false;
  let resumePoint = false;

  const parser: Parser = { feed, reset, resumable, lastEventId: idBuffer };

  function dispatch(): void {
    parser.lastEventId = idBuffer;
    if (hasData || idSeen) resumePoint = idSeen;
    idSeen = false;
    if (!hasData) {
      eventType = '';
      return;
    }
    const event: ParsedEvent = { type: eventType || 'message', data, lastEventId: idBuffer };
    data = '';
    hasData = false;
    eventType = '';
    onEvent(event);
  }

  // Handles the line text[start, end); colon is the index of its first ':' or -1 if none.
  function line(text: string, start: number, end: number, colon: number): void {
    if (start === end) {
      dispatch();
      return;
    }
    if (colon === start) {
      if (onComment) onComment(text.slice(start + 1, end));
      return;
    }
    let nameEnd = end;
    let valueStart = end;
    if (colon !== -1) {
      nameEnd = colon;
      valueStart = colon + 1;
      if (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart++;
    }
    // Dispatch on the name's length first, then compare characters: no substring for the name.
    const c0 = text.charCodeAt(start);
    switch (nameEnd - start) {
      case 4: // data
        if (c0 === 100 && text.charCodeAt(start + 1) === 97 && text.charCodeAt(start + 2) === 116 && text.charCodeAt(start + 3) === 97) {
          const value = text.slice(valueStart, end);
          if (hasData) data += '\n' + value;
          else {
            data = value;
            hasData = true;
          }
        }
        return;
      case 5: // event, retry
        if (c0 === 101) {
          if (
            text.charCodeAt(start + 1) === 118 &&
            text.charCodeAt(start + 2) === 101 &&
            text.charCodeAt(start + 3) === 110 &&
            text.charCodeAt(start + 4) === 116
          ) {
            eventType = text.slice(valueStart, end);
          }
        } else if (
          c0 === 114 &&
          text.charCodeAt(start + 1) === 101 &&
          text.charCodeAt(start + 2) === 116 &&
          text.charCodeAt(start + 3) === 114 &&
          text.charCodeAt(start + 4) === 121
        ) {
          if (valueStart === end) return;
          for (let i = valueStart; i < end; i++) {
            const c = text.charCodeAt(i);
            if (c < 48 || c > 57) return;
          }
          if (onRetry) onRetry(parseInt(text.slice(valueStart, end), 10));
        }
        return;
      case 2: // id
        if (c0 === 105 && text.charCodeAt(start + 1) === 100) {
          const value = text.slice(valueStart, end);
          if (value.indexOf('\0') === -1) {
            idBuffer = value;
            idSeen = true;
          }
        }
        return;
    }
  }

  function feed(chunk: string): void {
    const length = chunk.length;
    let pos = 0;
    // An empty chunk leaves a pending CR pending: the LF may still open the next one.
    if (skipLF && length > 0) {
      skipLF = false;
      if (chunk.charCodeAt(0) === LF) pos = 1;
    }
    // Next LF / CR / ':' at or after pos; -1 once none remains. Cached so each is searched once.
    let lf = chunk.indexOf('\n', pos);
    let cr = chunk.indexOf('\r', pos);
    let colon = chunk.indexOf(':', pos);
    while (pos < length) {
      if (lf !== -1 && lf < pos) lf = chunk.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = chunk.indexOf('\r', pos);
      let end: number;
      if (lf === -1) {
        if (cr === -1) break;
        end = cr;
      } else end = cr !== -1 && cr < lf ? cr : lf;

      if (colon !== -1 && colon < pos) colon = chunk.indexOf(':', pos);
      if (pending !== '') {
        const text = pending + chunk.slice(pos, end);
        pending = '';
        line(text, 0, text.length, text.indexOf(':'));
      } else {
        line(chunk, pos, end, colon !== -1 && colon < end ? colon : -1);
      }
      pos = end + 1;
      if (end === cr) {
        if (pos === length) skipLF = true;
        else if (chunk.charCodeAt(pos) === LF) pos++;
      }
    }
    if (pos < length) pending += chunk.slice(pos);
  }

  function resumable(): boolean {
    return resumePoint && pending === '' && !hasData && eventType === '' && !idSeen;
  }

  function reset(): void {
    // An id field of a block never dispatched is dropped with the block: the next stream starts
    // from the last event ID string, as browsers do (Chromium seeds its new parser with it).
    idBuffer = parser.lastEventId;
    idSeen = resumePoint = false;
    pending = '';
    skipLF = false;
    data = '';
    hasData = false;
    eventType = '';
  }

  return parser;
}
