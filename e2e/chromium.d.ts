// Types of chromium.js for playwright.config.ts (the module stays plain JavaScript so that the bench can import it too).
export declare const CHROMIUM_FLAGS: readonly string[];
export declare function chromiumPath(): string;
