// Compile-only checks (tsc --noEmit, lib.dom, skipLibCheck off) of the published dist/*.d.ts against the DOM's, and the typed wrapper; never run.

import { connect, EventSource, HttpStatusError, type SSEMessageEvent, type StreamMessage } from 'ssekit';

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
  for await (const message of stream) {
    if (message.type === 'progress') {
      const n: number = message.data;
      void n;
    } else if (message.type === 'message') {
      const t: string = message.data.text;
      void t;
    }
  }
}
void consume;

const m: StreamMessage<Events> = null as unknown as StreamMessage<Events>;
// @ts-expect-error not an event of the map
if (m.type === 'nope') void m;

// @ts-expect-error retry options are numbers
connect(url, { retry: { initial: '1s' } });
// @ts-expect-error unknown option
connect(url, { reconnect: true });
