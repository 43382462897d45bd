// The ssekit/shared entry: SharedEventSource and connectShared(), one connection per stream for every tab of the origin; no side effects.

export { SharedEventSource } from './shared/eventsource.js';
export type { SharedEventSourceInit } from './shared/eventsource.js';
export { connectShared, SharedEventStream } from './shared/stream.js';
export type { SharedConnectOptions, SharedOptionsFor } from './shared/stream.js';
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
export type {
  ConnectOptions,
  EventMap,
  FetchLike,
  HeadersOption,
  ResponseHead,
  ResponseVerdict,
  RetryOptions,
  StreamCloseEvent,
  StreamErrorEvent,
  StreamEvents,
  StreamMessage,
} from './client.js';
export { ContentTypeError, GaveUpError, HeartbeatTimeoutError, HttpStatusError, NetworkError, ParseError, SSEError } from './errors.js';
