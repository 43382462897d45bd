// Public ES module surface of ssekit; importing it has no side effects.

export { EventSource } from './eventsource.js';
export { install } from './install.js';
export type {
  AddListenerOptions,
  CredentialsMode,
  EventListenerLike,
  EventSourceEvents,
  EventSourceInit,
  ListenerOptions,
  RequestBody,
  SSEMessageEvent,
} from './dom-types.js';
export { createParser } from './parser.js';
export type { ParsedEvent, Parser, ParserCallbacks } from './parser.js';
export { connect, EventStream } from './client.js';
export type {
  ConnectOptions,
  EventMap,
  FetchLike,
  HeadersOption,
  OptionsFor,
  ResponseHead,
  ResponseVerdict,
  RetryOptions,
  StreamCloseEvent,
  StreamErrorEvent,
  StreamEvents,
  StreamMessage,
} from './client.js';
export { ContentTypeError, EventTooLargeError, GaveUpError, HeartbeatTimeoutError, HttpStatusError, NetworkError, ParseError, SSEError } from './errors.js';
