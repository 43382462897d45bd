// Build flag: true where the code must also run on IE-class engines (classic scripts, ssekit/polyfill, ssekit/legacy); the modern ES module build sets it false.

/**
 * Whether this build carries the paths for engines without streaming fetch, `TextDecoder`, `URL`
 * or constructible events (XHR transport, URL merging, listener registry).
 * rollup.config.mjs replaces this module with `false` for `dist/index.mjs`, so those paths are
 * tree-shaken from the modern build; sources and unit tests always see `true`.
 */
export const LEGACY: boolean = true;
