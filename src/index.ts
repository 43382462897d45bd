// Public ES module surface of ssekit; importing it has no side effects.

export { EventSource } from './eventsource';
export { createParser } from './parser';
export type { ParsedEvent, Parser, ParserCallbacks } from './parser';
export { connect, EventStream } from './client';
export type {
  ConnectOptions,
  EventMap,
  HeadersOption,
  RetryOptions,
  StreamCloseEvent,
  StreamErrorEvent,
  StreamEvents,
  StreamMessage,
} from './client';
export { ContentTypeError, GaveUpError, HeartbeatTimeoutError, HttpStatusError, NetworkError, ParseError, SSEError } from './errors';
