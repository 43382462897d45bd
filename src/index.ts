// Public ES module surface of ssekit; importing it has no side effects.

export { EventSource } from './eventsource';
export { createParser } from './parser';
export type { ParsedEvent, Parser, ParserCallbacks } from './parser';
