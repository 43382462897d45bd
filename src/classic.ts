// Entry of the classic script dist/ssekit.js: the SSEKit global, and EventSource installed when the page lacks it.

import { install } from './polyfill';

export { EventSource } from './eventsource';
export { createParser } from './parser';
export { connect, EventStream } from './client';
export { ContentTypeError, GaveUpError, HeartbeatTimeoutError, HttpStatusError, NetworkError, ParseError, SSEError } from './errors';
export { install };
