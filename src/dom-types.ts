// The DOM types ssekit's public API names, defined here so its declarations compile, and stay precise, with and without lib.dom (Node: @types/node).

/** fetch's credentials mode. */
export type CredentialsMode = 'omit' | 'same-origin' | 'include';

// The second parameter of the global fetch the program declares: lib.dom's RequestInit, or
// @types/node's (undici's) without the DOM; undefined where no fetch is declared.
type FetchInit = typeof globalThis extends { fetch(input: never, init?: infer I): unknown } ? NonNullable<I> : undefined;

/**
 * A request body as the declared `fetch` takes it: lib.dom's `BodyInit` (string, `Blob`,
 * `FormData`, `URLSearchParams`, `ArrayBuffer`, a typed array, `ReadableStream`), or @types/node's
 * in a Node project without the DOM; a string or bytes where neither declares `fetch`.
 */
export type RequestBody = FetchInit extends { body?: infer B } ? NonNullable<B> : string | ArrayBuffer | ArrayBufferView;

// The response the declared fetch resolves with (lib.dom's or undici's Response), else the part of
// one ssekit reads.
type FetchResponse = typeof globalThis extends { fetch(...args: never[]): PromiseLike<infer R> }
  ? R
  : {
      readonly status: number;
      readonly statusText: string;
      readonly url: string;
      readonly headers: { get(name: string): string | null };
      readonly body: unknown;
    };

/**
 * A function with `fetch`'s signature, as ssekit calls it: the URL as a string and an init object
 * (the declared fetch's `RequestInit`), resolving with a `Response`.
 */
export type FetchLike = (url: string, init: FetchInit extends undefined ? Record<string, unknown> : FetchInit) => PromiseLike<FetchResponse>;

// The members of a message event besides `data`: those of the MessageEvent the program declares
// (lib.dom's, or @types/node's, so ssekit's events and the platform's are interchangeable both
// ways), else the ones ssekit's events carry.
type MessageEventMembers = typeof globalThis extends { MessageEvent: { prototype: infer E } }
  ? Omit<E, 'data'>
  : Event & { readonly origin: string; readonly lastEventId: string; readonly source: null; readonly ports: readonly unknown[] };

/**
 * A `MessageEvent` whose `data` is a `T`: what ssekit dispatches for `message` and named events.
 * With lib.dom it is the DOM's `MessageEvent<T>` member for member; without it (Node) it keeps
 * `data` typed rather than `any`.
 */
export interface SSEMessageEvent<T = string> extends MessageEventMembers {
  readonly data: T;
}

/** A listener as `addEventListener` takes it: a function, or an object with a `handleEvent` method. */
export type EventListenerLike = ((event: Event) => unknown) | { handleEvent(event: Event): unknown };

/** The options of `removeEventListener`, or `true` for capture. */
export interface ListenerOptions {
  capture?: boolean;
}

/** The options of `addEventListener`, or `true` for capture. */
export interface AddListenerOptions extends ListenerOptions {
  /** Remove the listener after its first call. */
  once?: boolean;
  passive?: boolean;
  /** Remove the listener when this signal aborts. */
  signal?: AbortSignal;
}

/** The init dictionary of `new EventSource(url, init)`. */
export interface EventSourceInit {
  /** Send cookies and HTTP authentication cross-origin too (CORS credentials mode `include`). */
  withCredentials?: boolean;
}

/** The events an `EventSource` dispatches, by type; named events are `SSEMessageEvent`s too. */
export interface EventSourceEvents {
  open: Event;
  message: SSEMessageEvent;
  error: Event;
}
