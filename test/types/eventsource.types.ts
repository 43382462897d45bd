// Compile-only checks (tsc --noEmit, lib.dom, skipLibCheck off) of the published dist/*.d.ts against the DOM's, and the typed wrapper; never run.

import { connect, EventSource, HttpStatusError, SSEError, type SSEMessageEvent, type StreamMessage } from 'ssekit';
import { connectShared, SharedEventSource } from 'ssekit/shared';

// True only when A and B are the same type: `any` equals nothing but `any`.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// exactly<T>()(value, true) compiles only when the value's type is T itself (not `any`).
const exactly =
  <T>() =>
  <V>(value: V, same: Equals<V, T>): void =>
    void [value, same];
declare const url: string;

// ssekit's EventSource and the DOM's are interchangeable both ways.
const ours: EventSource = new EventSource(url, { withCredentials: true });
const native: globalThis.EventSource = ours;
const back: EventSource = native;
const ctor: typeof globalThis.EventSource = EventSource;
void back;
void ctor;

// A 'message' listener gets a MessageEvent; open/error get an Event.
ours.addEventListener('message', (e) => {
  exactly<string>()(e.data, true);
  exactly<string>()(e.lastEventId, true);
  // ssekit's message events and the DOM's are interchangeable both ways.
  const dom: MessageEvent<string> = e;
  const back: SSEMessageEvent = new MessageEvent<string>('message', { data: '' });
  void dom;
  void back;
});
ours.addEventListener('error', (e) => {
  // @ts-expect-error an error event is a plain Event: it has no data
  void e.data;
});
ours.onmessage = (e) => void e.origin;
const state: 0 | 1 | 2 = EventSource.CLOSED;
void state;
// @ts-expect-error url is read-only
ours.url = 'x';
// @ts-expect-error the init dictionary takes withCredentials only
new EventSource(url, { headers: {} });

// The wrapper: named events and JSON payloads typed by the caller's event map.
type Events = { message: { text: string }; done: null; progress: number };
const stream = connect<Events>(url, { json: true, headers: async () => ({ Authorization: 'x' }) });
stream.addEventListener('message', (e) => {
  exactly<{ text: string }>()(e.data, true);
  const dom: MessageEvent<{ text: string }> = e;
  void dom;
});
stream.addEventListener('progress', (e) => {
  const n: number = e.data;
  void n;
  // @ts-expect-error progress data is a number
  const s: string = e.data;
  void s;
});
stream.addEventListener('close', (e) => {
  if (e.error instanceof HttpStatusError) {
    const status: number = e.error.status;
    void status;
  }
});
stream.addEventListener('error', (e) => void e.error.name);

async function consume(): Promise<void> {
  // for await yields the message events only, typed by the map's `message`.
  for await (const message of stream) {
    const t: string = message.data.text;
    void t;
    // @ts-expect-error for await yields no named event
    if (message.type === 'progress') void message;
  }
  // messages(...types): the types asked for, narrowed by `type`.
  for await (const message of stream.messages('progress', 'message')) {
    if (message.type === 'progress') {
      const n: number = message.data;
      void n;
    } else {
      const t: string = message.data.text;
      void t;
    }
  }
  // messages(): every type, data unknown.
  for await (const message of stream.messages()) {
    // @ts-expect-error data of an event of any type is unknown
    const t: string = message.data;
    void t;
  }
  // @ts-expect-error not an event of the map
  stream.messages('nope');
  // A map without `message`: for await yields data typed unknown, not a declared type.
  for await (const message of connect<{ tick: number }>(url, { json: true })) {
    // @ts-expect-error message data is undeclared here
    const n: number = message.data;
    void n;
  }
}
void consume;

// A server event named like the stream's own events never reaches their listeners: the map cannot retype them.
const reserved = connect<{ error: { code: number } }>(url, { json: true });
reserved.addEventListener('error', (e) => void e.error.name);
async function reservedLoop(): Promise<void> {
  for await (const e of reserved.messages('error')) {
    const code: number = e.data.code;
    void code;
  }
}
void reservedLoop;

// Handler properties, typed as the listeners.
stream.onmessage = (e) => void e.data.text;
stream.onerror = (e) => void e.error.name;
stream.onclose = (e) => void (e.error === null);
stream.onopen = null;

// The escape hatches: the fetch option, the response hook, the retry decision.
connect(url, { fetch });
connect(url, { fetch: (input: string, init: RequestInit) => fetch(input, { ...init, keepalive: true }) });
connect(url, {
  onResponse: (response) => (response.status === 401 ? 'retry' : response.headers.get('x-accept') ? 'accept' : undefined),
  retry: { min: 1000, shouldRetry: (error, attempt) => (error instanceof HttpStatusError && error.status === 404 ? attempt < 3 : undefined) },
});
connect(url, { onResponse: () => new SSEError('no') });
// @ts-expect-error onResponse decides synchronously: do async work in headers()
connect(url, { onResponse: async () => 'retry' as const });
// @ts-expect-error not a verdict
connect(url, { onResponse: () => 'later' });

const m: StreamMessage<Events> = null as unknown as StreamMessage<Events>;
// @ts-expect-error not an event of the map
if (m.type === 'nope') void m;

// Types and runtime agree on data: without json: true every data is the text received.
connect<{ message: string; ping: string }>(url);
// @ts-expect-error a map with data other than strings needs json: true
connect<{ message: { text: string } }>(url);
// @ts-expect-error json: true, not just any options
connect<{ message: { text: string } }>(url, { method: 'POST' });
const untyped = connect(url, { json: true });
untyped.addEventListener('message', (e) => {
  // @ts-expect-error without a map, parsed JSON data is unknown, not a string
  const text: string = e.data;
  void text;
});
const plain = connect(url);
plain.addEventListener('message', (e) => {
  const text: string = e.data;
  void text;
});

// @ts-expect-error retry options are numbers
connect(url, { retry: { initial: '1s' } });
// @ts-expect-error unknown option
connect(url, { reconnect: true });

// ssekit/shared: SharedEventSource has the DOM EventSource's interface, and connectShared() connect()'s typing.
const sharedSource = new SharedEventSource(url, { withCredentials: true, shareKey: 'user-1' });
const sharedAsDom: globalThis.EventSource = sharedSource;
void sharedAsDom;
sharedSource.addEventListener('message', (e) => {
  exactly<string>()(e.data, true);
  const dom: MessageEvent<string> = e;
  void dom;
});
// @ts-expect-error shareKey is a string
new SharedEventSource(url, { shareKey: 1 });
const sharedStream = connectShared<Events>(url, { json: true, shareKey: 'user-1', headers: async () => ({ Authorization: 'x' }) });
sharedStream.addEventListener('progress', (e) => exactly<number>()(e.data, true));
// @ts-expect-error a map with data other than strings needs json: true, as for connect()
connectShared<Events>(url);
