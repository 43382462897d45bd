// A parser floor for `BENCH_PARSER_EXTRA`: the least a parser that hands out strings does per line and event, with none of the standard's rules.
//
// Each LF- or CRLF-ended line's value is sliced out (the field told by its first character), and
// each blank line after data hands one event object to onEvent. No lone CR, no field-name check,
// no NUL or retry rule, and a partial line is carried by plain concatenation (quadratic when one
// line spans many small chunks, so its 64 KB-event rows with small chunks mean nothing). On the
// workloads made of short data lines it shows what string-producing parsing costs against the
// baseline, which makes no string at all.
export function createParser({ onEvent }) {
  let carry = '';
  let data = null;
  let type = '';
  let id = '';
  return {
    feed(chunk) {
      const text = carry === '' ? chunk : carry + chunk;
      let pos = 0;
      for (let lf = text.indexOf('\n'); lf !== -1; lf = text.indexOf('\n', pos)) {
        const end = lf > pos && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
        if (end === pos) {
          if (data !== null) onEvent({ type: type || 'message', data, lastEventId: id });
          data = null;
          type = '';
        } else if (text.charCodeAt(pos) !== 58) {
          const first = text.charCodeAt(pos);
          let start = text.indexOf(':', pos) + 1;
          if (text.charCodeAt(start) === 32) start++;
          const value = text.slice(start, end);
          if (first === 100) data = data === null ? value : data + '\n' + value;
          else if (first === 101) type = value;
          else if (first === 105) id = value;
        }
        pos = lf + 1;
      }
      carry = text.slice(pos);
    },
  };
}
