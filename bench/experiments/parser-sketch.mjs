// A sketch, not shipped: ssekit's parser (src/parser.ts) with an LF-only fast path and a data-line/dispatch fast path, to measure what they buy.
// Same contract as createParser from dist/parser.mjs (onEvent/onRetry/onComment, feed/reset/lastEventId); run with
// BENCH_PARSER_EXTRA=bench/experiments/parser-sketch.mjs node bench/parser.mjs, which also checks it yields the same events.
export function createParser(callbacks) {
  const onEvent = callbacks.onEvent;
  const onRetry = callbacks.onRetry;
  const onComment = callbacks.onComment;
  let pending = '';
  let skipLF = false;
  let data = '';
  let hasData = false;
  let eventType = '';
  let idBuffer = callbacks.lastEventId === undefined ? '' : String(callbacks.lastEventId);
  const parser = { feed, reset, lastEventId: idBuffer };

  function dispatch() {
    parser.lastEventId = idBuffer;
    if (!hasData) {
      eventType = '';
      return;
    }
    const event = { type: eventType || 'message', data, lastEventId: idBuffer };
    data = '';
    hasData = false;
    eventType = '';
    onEvent(event);
  }

  // Unchanged from src/parser.ts: any line, text[start, end), colon = first ':' or -1.
  function line(text, start, end, colon) {
    if (start === end) return dispatch();
    if (colon === start) {
      if (onComment) onComment(text.slice(start + 1, end));
      return;
    }
    let nameEnd = end;
    let valueStart = end;
    if (colon !== -1) {
      nameEnd = colon;
      valueStart = colon + 1;
      if (valueStart < end && text.charCodeAt(valueStart) === 32) valueStart++;
    }
    const c0 = text.charCodeAt(start);
    switch (nameEnd - start) {
      case 4:
        if (c0 === 100 && text.charCodeAt(start + 1) === 97 && text.charCodeAt(start + 2) === 116 && text.charCodeAt(start + 3) === 97) {
          const value = text.slice(valueStart, end);
          if (hasData) data += '\n' + value;
          else {
            data = value;
            hasData = true;
          }
        }
        return;
      case 5:
        if (c0 === 101) {
          if (
            text.charCodeAt(start + 1) === 118 &&
            text.charCodeAt(start + 2) === 101 &&
            text.charCodeAt(start + 3) === 110 &&
            text.charCodeAt(start + 4) === 116
          )
            eventType = text.slice(valueStart, end);
        } else if (c0 === 114 && text.slice(start, nameEnd) === 'retry') {
          if (valueStart === end) return;
          for (let i = valueStart; i < end; i++) {
            const c = text.charCodeAt(i);
            if (c < 48 || c > 57) return;
          }
          if (onRetry) onRetry(parseInt(text.slice(valueStart, end), 10));
        }
        return;
      case 2:
        if (c0 === 105 && text.charCodeAt(start + 1) === 100) {
          const value = text.slice(valueStart, end);
          if (value.indexOf('\0') === -1) idBuffer = value;
        }
        return;
    }
  }

  // Change 2: `data:` lines recognised by their first five characters (no ':' search, no switch), and
  // `data: …\n\n` with no buffered data dispatched at once (no concatenation, no blank-line pass).
  // Returns the position after the line(s) consumed. `end` is the line's LF (LF-only text).
  function dataLine(chunk, pos, end) {
    let vs = pos + 5;
    if (vs < end && chunk.charCodeAt(vs) === 32) vs++;
    const value = chunk.slice(vs, end);
    if (!hasData && chunk.charCodeAt(end + 1) === 10) {
      parser.lastEventId = idBuffer;
      const event = { type: eventType || 'message', data: value, lastEventId: idBuffer };
      eventType = '';
      onEvent(event);
      return end + 2;
    }
    if (hasData) data += '\n' + value;
    else {
      data = value;
      hasData = true;
    }
    return end + 1;
  }

  // Change 1: a chunk without CR (the common case) searches one character per line, like the baseline.
  function feedLF(chunk, pos) {
    const length = chunk.length;
    let colon = chunk.indexOf(':', pos);
    let lf = chunk.indexOf('\n', pos);
    while (lf !== -1) {
      if (lf === pos) {
        dispatch();
        pos++;
      } else if (
        chunk.charCodeAt(pos + 4) === 58 &&
        chunk.charCodeAt(pos) === 100 &&
        chunk.charCodeAt(pos + 1) === 97 &&
        chunk.charCodeAt(pos + 2) === 116 &&
        chunk.charCodeAt(pos + 3) === 97 &&
        pos + 4 < lf
      ) {
        pos = dataLine(chunk, pos, lf);
      } else {
        if (colon !== -1 && colon < pos) colon = chunk.indexOf(':', pos);
        line(chunk, pos, lf, colon !== -1 && colon < lf ? colon : -1);
        pos = lf + 1;
      }
      lf = pos < length ? chunk.indexOf('\n', pos) : -1;
    }
    if (pos < length) pending = chunk.slice(pos);
  }

  // Unchanged generic path (CR, CRLF, LF) from src/parser.ts.
  function feedAny(chunk, pos) {
    const length = chunk.length;
    let lf = chunk.indexOf('\n', pos);
    let cr = chunk.indexOf('\r', pos);
    let colon = chunk.indexOf(':', pos);
    while (pos < length) {
      if (lf !== -1 && lf < pos) lf = chunk.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = chunk.indexOf('\r', pos);
      let end;
      if (lf === -1) {
        if (cr === -1) break;
        end = cr;
      } else end = cr !== -1 && cr < lf ? cr : lf;
      if (colon !== -1 && colon < pos) colon = chunk.indexOf(':', pos);
      line(chunk, pos, end, colon !== -1 && colon < end ? colon : -1);
      pos = end + 1;
      if (end === cr) {
        if (pos === length) skipLF = true;
        else if (chunk.charCodeAt(pos) === 10) pos++;
      }
    }
    if (pos < length) pending = chunk.slice(pos);
  }

  function feed(chunk) {
    const length = chunk.length;
    if (length === 0) return;
    let pos = 0;
    if (skipLF) {
      skipLF = false;
      if (chunk.charCodeAt(0) === 10) pos = 1;
    }
    if (pending !== '') {
      // Finish the line split across chunks first, then parse the rest of the chunk in place.
      const lf = chunk.indexOf('\n', pos);
      const cr = chunk.indexOf('\r', pos);
      const end = lf === -1 ? cr : cr === -1 || lf < cr ? lf : cr;
      if (end === -1) {
        pending += pos === 0 ? chunk : chunk.slice(pos);
        return;
      }
      const text = pending + chunk.slice(pos, end);
      pending = '';
      line(text, 0, text.length, text.indexOf(':'));
      pos = end + 1;
      if (end === cr) {
        if (pos === length) {
          skipLF = true;
          return;
        }
        if (chunk.charCodeAt(pos) === 10) pos++;
      }
    }
    if (chunk.indexOf('\r', pos) === -1) feedLF(chunk, pos);
    else feedAny(chunk, pos);
  }

  function reset() {
    idBuffer = parser.lastEventId;
    pending = '';
    skipLF = false;
    data = '';
    hasData = false;
    eventType = '';
  }
  return parser;
}
