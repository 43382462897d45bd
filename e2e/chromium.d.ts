// Types of chromium.js for playwright.config.ts (the module stays plain JavaScript so that the bench can import it too).
export declare const CHROMIUM_FLAGS: readonly string[];
export declare const DEBIAN_HEADLESS_SHELL: string;
export declare function chromiumPath(): string;
export declare function testChromium(): { path: string | undefined; headlessShell: boolean };
