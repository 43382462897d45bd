// What the tabs sharing a stream tell each other: the notes on its channel, what each tab knows of the stream, and the two roles (member, source).

/**
 * Part of every lock and channel name: tabs running a version of ssekit whose notes differ never
 * share a connection (after a deploy, old and new tabs each keep their own).
 */
export const PROTOCOL = 1;

/** An error as it crosses to another tab: the class by name, its message and its plain fields. */
export interface WireError {
  name: string;
  message: string;
  /** Plain fields of the subclass (status, url, contentType, attempts...), and `headers` as an object. */
  fields: Record<string, unknown>;
  cause?: WireError | undefined;
}

/**
 * What the leading tab's source posts, in stream order. Every note carries `s`, the token of the
 * leadership that posted it, and `id`, the last event ID string as the source knows it then.
 * - `open`: a response was accepted (`o`: the origin of its final URL). Members still connecting
 *   announce it; open ones take it for the continuation it is (a hand-over, a late joiner's answer).
 * - `event`: an event (`t` type, `d` data, `o` origin); `id` is its lastEventId.
 * - `error`: the connection was lost and will be reestablished (`e`: the error, for connect() streams).
 * - `end`: the stream is over for good (`e`: the terminal error, if any; none for a failed EventSource).
 * - `id`: the last event ID string changed without an event (an id-only block).
 * - `retry`: the server set the reconnection time to `ms`.
 */
export type SourceNote = { s: string; id: string } & (
  | { n: 'open'; o: string }
  | { n: 'event'; t: string; d: string; o: string }
  | { n: 'error'; e?: WireError }
  | { n: 'end'; e?: WireError | null }
  | { n: 'id' }
  | { n: 'retry'; ms: number }
);

/** A note without the fields the group adds to every one it posts. */
export type NoteBody = SourceNote extends infer N ? (N extends SourceNote ? Omit<N, 's'> : never) : never;

/**
 * Everything on a stream's channel: the source's notes, `hello` from a tab that joined (the leader
 * answers with `open` when its connection is open) and `sync`, the barrier a new leader posts
 * to itself (see group.ts).
 */
export type Note = SourceNote | { n: 'hello' } | { n: 'sync'; s: string };

/** The view's `state`: no response announced yet, or reconnecting. */
export const CONNECTING = 0;
/** The view's `state`: a response is being read. */
export const OPEN = 1;
/** The view's `state`: the stream is over for good. */
export const ENDED = 2;

/** What a tab knows of its stream from the notes it received: all a new leader resumes from. */
export interface View {
  /** {@link CONNECTING}, {@link OPEN} or {@link ENDED}. */
  state: number;
  /** Some response was announced: the stream has started (a new leader resumes rather than starts). */
  started: boolean;
  /** The last event ID string. */
  lastEventId: string;
  /** The origin of the last response's final URL. */
  origin: string;
  /** The reconnection time the server set with `retry:`, in ms; undefined when it set none. */
  retry: number | undefined;
}

/** One `SharedEventSource` or shared stream of a tab: it turns notes into its own events. */
export interface Member {
  /** A note from the source, in order, as a task of its own. */
  note(note: SourceNote): void;
}

/** The connection, run by the leading tab only. */
export interface Source {
  /** Aborts the request and cancels every timer; posts nothing more. */
  stop(): void;
  /** A note this source posted has been handed to this tab's members (a reconnection waits for that, see eventsource.ts). */
  delivered(note: SourceNote): void;
  /** A tab joined: post `open` again if the connection is open, so that its members announce it. */
  hello(): void;
}

/**
 * Starts the source of a leadership: from `view` (a new leader resumes the stream from there),
 * posting its notes with `post`.
 */
export type SourceFactory = (view: View, post: (note: NoteBody) => void) => Source;
