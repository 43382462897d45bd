// Entry of the classic script dist/polyfill.js: installs EventSource when the page lacks it, and defines nothing else.

import './polyfill.js';
