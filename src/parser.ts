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
const COLON = 58;
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

  // Text of the line in progress when a chunk ended without a line ending; for a `data:` line,
  // only its value (pendingValue), so that a long value is never flattened here.
  let pending = '';
  let pendingValue = false;
  // The previous chunk ended with CR: an LF opening the next chunk completes that line ending.
  let skipLF = false;
  // The data buffer without its final LF; null when the block has no data field ('' is one).
  let data: string | null = null;
  let eventType = '';
  let idBuffer = callbacks.lastEventId === undefined ? '' : String(callbacks.lastEventId);

  // An id field in the block being read; whether the last block with data or an id had one.
  let idSeen = false;
  let resumePoint = false;

  const parser: Parser = { feed, reset, resumable, lastEventId: idBuffer };

  // Ends the block with `value` as its data buffer (null: none), as on a blank line.
  function dispatch(value: string | null): void {
    parser.lastEventId = idBuffer;
    if (value !== null || idSeen) resumePoint = idSeen;
    idSeen = false;
    data = null;
    const type = eventType;
    eventType = '';
    if (value !== null) onEvent({ type: type || 'message', data: value, lastEventId: idBuffer });
  }

  // Where the value starts if text[start, end) is a `data:` line with a value (known by its first
  // five characters: most lines of most streams, parsed without a search for ':'), else -1.
  // Reads stay below end: one read past a string's end and V8 stops inlining that charCodeAt.
  function dataValue(text: string, start: number, end: number): number {
    if (
      end - start < 6 ||
      text.charCodeAt(start + 4) !== COLON ||
      text.charCodeAt(start) !== 100 ||
      text.charCodeAt(start + 1) !== 97 ||
      text.charCodeAt(start + 2) !== 116 ||
      text.charCodeAt(start + 3) !== 97
    )
      return -1;
    return skipSpace(text, start + 5, end);
  }

  // One leading space is not part of a value.
  function skipSpace(text: string, i: number, end: number): number {
    return i < end && text.charCodeAt(i) === SPACE ? i + 1 : i;
  }

  // An id containing NUL is ignored.
  function setId(value: string): void {
    if (value.indexOf('\0') < 0) {
      idBuffer = value;
      idSeen = true;
    }
  }

  function append(value: string): void {
    data = data === null ? value : data + '\n' + value;
  }

  // Handles the non-empty line text[start, end).
  function line(text: string, start: number, end: number): void {
    // Field names are short: scanning one beats an indexOf call, and a line without ':' costs
    // its own length, never the rest of the chunk.
    let colon = start;
    while (colon < end && text.charCodeAt(colon) !== COLON) colon++;
    if (colon === start) {
      if (onComment) onComment(text.slice(start + 1, end));
      return;
    }
    // No slice from past the end when there is no colon: mujs's slice swaps its arguments then.
    const value = text.slice(colon < end ? skipSpace(text, colon + 1, end) : end, end);
    switch (text.slice(start, colon)) {
      case 'data':
        append(value);
        break;
      case 'event':
        eventType = value;
        break;
      case 'id':
        setId(value);
        break;
      case 'retry':
        if (onRetry && /^\d+$/.test(value)) onRetry(+value);
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
    // Next LF / CR at or after pos; -1 once none remains. Cached so each is searched once.
    let lf = chunk.indexOf('\n', pos);
    let cr = chunk.indexOf('\r', pos);
    while (pos < length) {
      // `>>> 0` makes -1 (none) the largest value.
      if (lf >>> 0 < pos) lf = chunk.indexOf('\n', pos);
      if (cr >>> 0 < pos) cr = chunk.indexOf('\r', pos);
      let end = cr >>> 0 < lf >>> 0 ? cr : lf;
      if (end === -1) break;
      if (pending !== '') {
        const text = pending + chunk.slice(pos, end);
        pending = '';
        if (pendingValue) {
          pendingValue = false;
          append(text);
        } else line(text, 0, text.length);
      } else if (end === pos) dispatch(data);
      else {
        const v = dataValue(chunk, pos, end);
        if (v === -1) {
          // `id:` and `event:` lines, which make up named events, skip line()'s search for ':' and
          // its switch. A slice running past the line holds the CR or LF that ends it, so it
          // cannot match.
          if (chunk.slice(pos, pos + 3) === 'id:') setId(chunk.slice(skipSpace(chunk, pos + 3, end), end));
          else if (chunk.slice(pos, pos + 6) === 'event:') eventType = chunk.slice(skipSpace(chunk, pos + 6, end), end);
          else line(chunk, pos, end);
        } else if (data === null && end === lf && end + 1 < length && chunk.charCodeAt(end + 1) === LF) {
          // `data: x\n\n`, the commonest block: dispatched at once, the blank line skipped (the
          // bound check keeps the read inside the chunk, see dataValue).
          dispatch(chunk.slice(v, end));
          end++;
        } else append(chunk.slice(v, end));
      }
      pos = end + 1;
      if (end === cr) {
        if (pos === length) skipLF = true;
        else if (chunk.charCodeAt(pos) === LF) pos++;
      }
    }
    if (pos < length) {
      if (pending !== '') pending += chunk.slice(pos);
      else {
        // A partial `data:` line keeps only its value, which is then never flattened here.
        const v = dataValue(chunk, pos, length);
        pendingValue = v >>> 0 < length;
        pending = chunk.slice(pendingValue ? v : pos);
      }
    }
  }

  function resumable(): boolean {
    return resumePoint && pending === '' && data === null && eventType === '' && !idSeen;
  }

  function reset(): void {
    // An id field of a block never dispatched is dropped with the block: the next stream starts
    // from the last event ID string, as browsers do (Chromium seeds its new parser with it).
    idBuffer = parser.lastEventId;
    idSeen = resumePoint = false;
    pending = '';
    pendingValue = false;
    skipLF = false;
    data = null;
    eventType = '';
  }

  return parser;
}
