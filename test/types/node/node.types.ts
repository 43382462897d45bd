// Compile-only checks (tsc --noEmit) of the published declarations in a Node project without lib.dom (lib ES2022 + @types/node, skipLibCheck off): event data stays typed, never `any`.

import { connect, EventSource, install, type SSEMessageEvent, type StreamMessage } from 'ssekit';
import { createParser, type ParsedEvent } from 'ssekit/parser';
import { EventSource as Installed } from 'ssekit/polyfill';
import * as legacy from 'ssekit/legacy';
import { connectShared, SharedEventSource } from 'ssekit/shared';

// True only when A and B are the same type: `any` equals nothing but `any`.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// exactly<T>()(value, true) compiles only when the value's type is T itself (not `any`).
const exactly =
  <T>() =>
  <V>(value: V, same: Equals<V, T>): void =>
    void [value, same];
declare const url: string;

const es = new EventSource(url, { withCredentials: true });
es.addEventListener('message', (e) => {
  exactly<string>()(e.data, true);
  exactly<string>()(e.lastEventId, true);
});
es.addEventListener('update', (e) => {
  exactly<string>()(e.data, true);
});
es.addEventListener('error', (e) => {
  // @ts-expect-error an error event is a plain Event: it has no data
  void e.data;
});
es.onmessage = (e) => {
  exactly<string>()(e.data, true);
};
// @ts-expect-error the init dictionary takes withCredentials only
new EventSource(url, { headers: {} });

type Events = { message: { text: string }; progress: number };
const stream = connect<Events>(url, { json: true, method: 'POST', body: { prompt: 'hi' }, credentials: 'include', signal: new AbortController().signal });
stream.addEventListener('progress', (e) => {
  exactly<number>()(e.data, true);
});
stream.addEventListener('close', (e) => void e.error?.message);
async function consume(): Promise<void> {
  for await (const message of stream) {
    if (message.type === 'message') {
      exactly<{ text: string }>()(message.data, true);
    }
  }
}
void consume;
const m = null as unknown as StreamMessage<Events>;
exactly<{ text: string } | number>()(m.data, true);
const event = null as unknown as SSEMessageEvent<Date>;
exactly<Date>()(event.data, true);

// Bodies are what the declared fetch takes (here @types/node's), or plain data sent as JSON.
connect(url, { body: new URLSearchParams({ a: '1' }) });
connect(url, { body: new Uint8Array(1) });
connect(url, { body: 'text' });
// @ts-expect-error a number is not a body
connect(url, { body: 1 });
// @ts-expect-error not a credentials mode
connect(url, { credentials: 'always' });

const parser = createParser({ onEvent: (e: ParsedEvent) => void e.data });
parser.feed('data: x\n\n');
// ssekit/polyfill exports the EventSource it installs; ssekit/legacy has the same interface.
const installed: typeof EventSource = install();
const same: typeof EventSource = Installed;
const legacyCtor: typeof EventSource = legacy.EventSource;
void installed;
void same;
void legacyCtor;

// ssekit/shared without lib.dom: event data exactly typed.
new SharedEventSource(url).addEventListener('message', (e) => exactly<string>()(e.data, true));
connectShared<{ message: { n: number } }>(url, { json: true, shareKey: 'u' }).addEventListener('message', (e) => exactly<{ n: number }>()(e.data, true));
