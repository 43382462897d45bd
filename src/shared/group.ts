// The tabs sharing one stream: a leader elected with Web Locks runs the connection, a BroadcastChannel carries its notes to every tab in order, and the next tab in line takes over when the leader goes.

import type { ChannelLike, Environment, LockManagerLike } from './environment.js';
import { CONNECTING, ENDED, OPEN, type Member, type Note, type NoteBody, type Source, type SourceFactory, type SourceNote, type View } from './protocol.js';

/**
 * One tab's part in a stream: its members, what it knows of the stream, and while it leads, the
 * source. Where sharing is off or impossible, a group of one member that leads at once and hands
 * notes to it directly.
 */
export interface Group {
  env: Environment;
  /** The key in `env.groups`; '' for a group not shared with other tabs. */
  key: string;
  /** The name of the lock and of the channel. */
  name: string;
  make: SourceFactory;
  members: Member[];
  view: View;
  /** Receives every note of the channel (the leader's own included: it posts on `tx`). */
  rx: ChannelLike | null;
  /** The leader's channel for its notes. */
  tx: ChannelLike | null;
  /** Withdraws the pending lock request. */
  withdraw: (() => void) | null;
  /** Releases the lock held. */
  release: (() => void) | null;
  source: Source | null;
  /** The token of this tab's leadership, in every note it posts; '' when not leading. */
  token: string;
  /** Frozen, or in the back/forward cache: neither leading nor in line. */
  paused: boolean;
  stopped: boolean;
  /** Notes waiting for delivery, without a channel: one per microtask turn, from `head` on. */
  queue: SourceNote[] | null;
  head: number;
  /**
   * Not shared: the first leadership starts from a task, as EventSource's fetch does. Shared:
   * after a hand-over at `beforeunload`, the return to the line if the page stays.
   */
  timer: ReturnType<typeof setTimeout> | null;
  pause: () => void;
  resume: (event: Event) => void;
  /** `beforeunload` while leading: hands the lead over and stays in line. */
  handOver: () => void;
}

const resolved = Promise.resolve();
// A page that got beforeunload and no pagehide this long after stays: its unload was cancelled
// (pagehide follows beforeunload by 2-20 ms in Chromium when the page goes).
const UNLOAD_CANCELLED = 1000;
const noop = () => {};

/**
 * Adds `member` to this tab's group for the stream `key` (named `name` to the other tabs),
 * creating the group if there is none. With an empty `key`, or without Web Locks or
 * BroadcastChannel, the member gets a group of its own: its own connection, nothing shared.
 */
export function join(env: Environment, key: string, name: string, make: SourceFactory, member: Member): Group {
  const shared = key !== '' && !!env.locks && !!env.channel;
  let g = shared ? env.groups[key] : undefined;
  if (!g) {
    const group: Group = {
      env,
      key: shared ? key : '',
      name,
      make,
      members: [],
      view: { state: CONNECTING, started: false, lastEventId: '', origin: '', retry: undefined },
      rx: null,
      tx: null,
      withdraw: null,
      release: null,
      source: null,
      token: '',
      paused: false,
      stopped: false,
      queue: null,
      head: 0,
      timer: null,
      // Before freezing (or entering the back/forward cache, or unloading), leave the lead and the
      // line: a frozen leader would hold the lock, and the stream, with no one reading it.
      pause: () => {
        clearTimeout(group.timer as ReturnType<typeof setTimeout>);
        group.timer = null;
        if (group.paused) return;
        group.paused = true;
        resign(group);
        if (group.withdraw) group.withdraw();
        group.withdraw = null;
      },
      resume: (event) => {
        if (!group.paused || group.stopped || (event.type === 'pageshow' && !(event as PageTransitionEvent).persisted)) return;
        group.paused = false;
        candidate(group);
      },
      // A page that closes or navigates away gets `beforeunload`, then Chromium aborts its
      // requests, and only then dispatches `pagehide` (the abort's error can even run between two
      // pagehide listeners): the other tabs would see the leader's connection fail before it
      // resigns. So the leader hands over at `beforeunload`, and queues again if no `pagehide`
      // follows within UNLOAD_CANCELLED ms (the unload was cancelled). Only the leader listens: its open
      // request already keeps its page out of the back/forward cache, where a beforeunload
      // listener might.
      handOver: () => {
        if (!group.token || group.paused || group.stopped) return;
        resign(group);
        // Not in line at once: alone, it would be granted the lock again and open a request
        // before its own pagehide.
        group.timer = setTimeout(() => {
          group.timer = null;
          if (!group.paused && !group.stopped) candidate(group);
        }, UNLOAD_CANCELLED);
      },
    };
    g = group;
    if (shared) {
      env.groups[key] = g;
      const rx = (g.rx = (env.channel as (name: string) => ChannelLike)(name));
      rx.onmessage = (event) => receive(group, event.data as Note);
      // Whoever leads answers with `open` if its connection is open: this tab's members announce it.
      rx.postMessage({ n: 'hello' });
      lifecycle(g, true);
      candidate(g);
    } else {
      g.timer = setTimeout(() => {
        group.timer = null;
        lead(group);
      }, 0);
    }
  }
  g.members.push(member);
  return g;
}

/** Takes `member` out of `g`; the last one out stops the group (a leader's lock goes to the next tab in line). */
export function leave(g: Group, member: Member): void {
  const i = g.members.indexOf(member);
  if (i >= 0) g.members.splice(i, 1);
  if (!g.members.length) stop(g);
}

// Queues for the lock: granted when every tab ahead in line has released it or gone (closed,
// crashed, navigated: the browser releases a dead document's locks).
function candidate(g: Group): void {
  const controller = new AbortController();
  g.withdraw = () => controller.abort();
  (g.env.locks as LockManagerLike)
    .request(g.name, { signal: controller.signal }, () => {
      g.withdraw = null;
      // Granted as the group was stopping or pausing: returning releases the lock at once.
      if (g.stopped || g.paused) return undefined;
      return new Promise<void>((resolve) => {
        g.release = resolve;
        lead(g);
      });
    })
    // Rejected when withdrawn: nothing to do.
    .then(noop, noop);
}

// Becomes the leader. Over a channel, first a barrier: a note to itself. Whatever the previous
// leader posted before it released the lock reached the channel before this note, so it arrives
// (and the view is up to date) before the source starts from the view.
function lead(g: Group): void {
  g.token = Math.random().toString(36).slice(2) + Date.now().toString(36);
  if (!g.rx) return start(g);
  if (g.env.window) g.env.window.addEventListener('beforeunload', g.handOver);
  g.tx = (g.env.channel as (name: string) => ChannelLike)(g.name);
  g.tx.postMessage({ n: 'sync', s: g.token });
}

function start(g: Group): void {
  g.source = g.make(g.view, (body) => post(g, body));
}

function post(g: Group, body: NoteBody): void {
  const note = { ...body, s: g.token } as SourceNote;
  if (g.tx) g.tx.postMessage(note);
  else if (!g.rx && !g.stopped) deliverLocally(g, note);
}

// Without a channel: the notes reach the members one microtask turn apart, in order, as the
// channel's would one task apart.
function deliverLocally(g: Group, note: SourceNote): void {
  if (g.queue) {
    g.queue.push(note);
    return;
  }
  g.queue = [note];
  g.head = 0;
  void resolved.then(() => drain(g));
}

function drain(g: Group): void {
  const queue = g.queue;
  if (!queue) return;
  const note = queue[g.head++] as SourceNote;
  if (g.head === queue.length) g.queue = null;
  try {
    receive(g, note);
  } finally {
    if (g.queue) void resolved.then(() => drain(g));
  }
}

function receive(g: Group, note: Note): void {
  if (g.stopped) return;
  if (note.n === 'hello') {
    if (g.source) g.source.hello();
    return;
  }
  if (note.n === 'sync') {
    if (note.s === g.token && g.tx && !g.source) start(g);
    return;
  }
  const view = g.view;
  view.lastEventId = note.id;
  if (note.n === 'open') {
    view.state = OPEN;
    view.started = true;
    view.origin = note.o;
  } else if (note.n === 'error') view.state = CONNECTING;
  else if (note.n === 'retry') view.retry = note.ms;
  else if (note.n === 'end') {
    view.state = ENDED;
    // A member created from now on starts a stream of its own, in a new group.
    if (g.key && g.env.groups[g.key] === g) delete g.env.groups[g.key];
  }
  const members = g.members.slice();
  for (let i = 0; i < members.length; i++) {
    const member = members[i] as Member;
    // A member closed by another one's listener gets nothing more.
    if (g.members.indexOf(member) >= 0) member.note(note);
  }
  if (g.source && note.s === g.token) g.source.delivered(note);
}

// Leaves the lead: the connection stops, the lock goes to the next tab in line.
function resign(g: Group): void {
  const source = g.source;
  g.source = null;
  g.token = '';
  if (g.env.window) g.env.window.removeEventListener('beforeunload', g.handOver);
  if (source) source.stop();
  if (g.tx) g.tx.close();
  g.tx = null;
  if (g.release) g.release();
  g.release = null;
}

function stop(g: Group): void {
  if (g.stopped) return;
  g.stopped = true;
  resign(g);
  if (g.withdraw) g.withdraw();
  g.withdraw = null;
  clearTimeout(g.timer as ReturnType<typeof setTimeout>);
  g.timer = null;
  g.queue = null;
  if (g.rx) {
    g.rx.onmessage = null;
    g.rx.close();
    lifecycle(g, false);
  }
  g.rx = null;
  if (g.key && g.env.groups[g.key] === g) delete g.env.groups[g.key];
}

// Page Lifecycle (`freeze`, `resume` at the document) and the back/forward cache (`pagehide`,
// `pageshow` at the window); `pagehide` also comes first when the page unloads, which hands over
// before the browser gets round to releasing a dead document's lock.
function lifecycle(g: Group, on: boolean): void {
  const doc = g.env.document;
  const win = g.env.window;
  const method = on ? 'addEventListener' : 'removeEventListener';
  if (doc) {
    doc[method]('freeze', g.pause);
    doc[method]('resume', g.resume);
  }
  if (win) {
    win[method]('pagehide', g.pause);
    win[method]('pageshow', g.resume);
  }
}
