// Entry of the classic script dist/ssekit.js: the SSEKit global, and EventSource installed when the page lacks it.

import './polyfill.js';

export { EventSource } from './eventsource.js';
export { install } from './install.js';
export { createParser } from './parser.js';
export { connect, EventStream } from './client.js';
export { ContentTypeError, EventTooLargeError, GaveUpError, HeartbeatTimeoutError, HttpStatusError, NetworkError, ParseError, SSEError } from './errors.js';
