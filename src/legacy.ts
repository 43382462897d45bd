// Build flags: LEGACY, where the code must also run on IE-class engines (classic scripts, ssekit/legacy); PAGE, in the page-only classic polyfill.

/**
 * Whether this build carries the paths for engines without streaming fetch, `TextDecoder`, `URL`
 * or constructible events (XHR transport, URL merging, listener registry).
 * rollup.config.mjs replaces this module with `false` for `dist/index.mjs`, so those paths are
 * tree-shaken from the modern build; sources and unit tests always see `true`.
 */
export const LEGACY: boolean = true;

/**
 * Whether this build runs only in documents of browsers without a native `EventSource` (IE10-11,
 * EdgeHTML, old Android and WebViews): all of them have XMLHttpRequest, `document.createEvent`,
 * an `<a>` element to resolve URLs and `window.addEventListener`, and none has a constructible
 * `EventTarget`. True only in
 * `dist/polyfill(.min).js`, which then takes the paths IE takes everywhere (XHR, `<a>` and the
 * origin regex, the listener registry, `createEvent`, a non-enumerable internal slot) and drops the
 * others (fetch, `URL`, RFC 3986 merging for workers, `WeakMap`, `reportError`, plain-object
 * events); sources and unit tests see `false`.
 */
export const PAGE: boolean = false;
