// Side-effect entry: installs ssekit's EventSource as the global EventSource when the platform has none.

import { install } from './install.js';

install();

export { EventSource } from './eventsource.js';
export { install };
