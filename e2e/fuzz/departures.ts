// Where each engine's native EventSource is known to depart from the standard, as classes of fuzz cases: there ssekit is compared with the spec's model alone, and native's departures are counted, not failed.
import type { EngineName } from '../engines';
import { SPEC } from '../records';
import { streamBytes, type FuzzCase } from './stream';

/** A class of streams on which an engine's native EventSource departs from the standard. */
export interface Departure {
  name: string;
  /** The part of the standard it departs from. */
  spec: string;
  applies(c: FuzzCase): boolean;
  /** ssekit modes that read the stream through the same engine code, so cannot but depart alike: compared with native. */
  shared?: ('modern' | 'legacy')[];
}

function text(c: FuzzCase): string {
  const decoded = new TextDecoder('utf-8', { ignoreBOM: true }).decode(streamBytes(c));
  return decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
}

/** The stream's lines, grouped into blocks by blank lines (the last group may be unterminated). */
function blocks(c: FuzzCase): string[][] {
  const out: string[][] = [[]];
  for (const line of text(c).split(/\r\n|\r|\n/)) {
    if (line === '') out.push([]);
    else (out[out.length - 1] as string[]).push(line);
  }
  return out;
}

/** The field name of a line ('' for a comment). */
function field(line: string): string {
  if (line.charAt(0) === ':') return '';
  const colon = line.indexOf(':');
  return colon < 0 ? line : line.slice(0, colon);
}

const bomThenLineBreak: Departure = {
  name: 'a line break right after the leading BOM',
  spec: SPEC.bomThenLineBreak,
  applies(c) {
    const bytes = streamBytes(c);
    return bytes.length > 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf && (bytes[3] === 0x0a || bytes[3] === 0x0d);
  },
};

// Firefox drops U+0000 from data and event values, and stops dispatching after an id with one.
const nul: Departure = {
  name: 'U+0000 in a field value',
  spec: `${SPEC.nulInData}; ${SPEC.nulInId}`,
  applies: (c) => text(c).indexOf('\u0000') >= 0,
};

const idOnlyBlock: Departure = {
  name: 'a block with an id and no data',
  spec: SPEC.idOnlyBlock,
  // Terminated blocks only: the last group is cut off by the end of the body and never dispatched.
  applies: (c) =>
    blocks(c)
      .slice(0, -1)
      .some((block) => block.some((line) => field(line) === 'id') && !block.some((line) => field(line) === 'data')),
};

// WebKit's text decoder keeps such a BOM; over XHR (legacy) ssekit gets the text from it too.
const splitBom: Departure = {
  name: 'the leading BOM split across reads',
  spec: SPEC.splitBom,
  shared: ['legacy'],
  applies(c) {
    const bytes = streamBytes(c);
    return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf && c.cuts.some((cut) => cut.at === 1 || cut.at === 2);
  },
};

/** The known departures of each engine's native EventSource (README, "Conformance"; the scenario tables show each one). */
export const DEPARTURES: Record<EngineName, Departure[]> = {
  chromium: [bomThenLineBreak],
  firefox: [nul, idOnlyBlock],
  webkit: [splitBom],
};

/** The departure of `engine` that case `c` falls in, if any. */
export function departureOf(engine: EngineName, c: FuzzCase): Departure | undefined {
  return DEPARTURES[engine].find((d) => d.applies(c));
}
