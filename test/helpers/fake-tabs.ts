// A fake browser for ssekit/shared's unit tests: tabs of one origin in one process, each with its own environment, sharing a Web Locks manager and BroadcastChannels that deliver as tasks.

import type { ChannelLike, Environment, LifecycleTarget, LockManagerLike } from '../../src/shared/environment';

// Captured before any test installs fake timers: deliveries and flush() run on the real event loop.
const realSetImmediate = setImmediate;
const turn = () => new Promise<void>((resolve) => realSetImmediate(resolve));

interface Request {
  tab: FakeTab;
  callback: (lock: unknown) => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

interface Held {
  tab: FakeTab;
  /** Ends the hold (the callback's promise settled, or the tab died). */
  end: () => void;
}

/** A listener target that counts its listeners, so tests can see that none is left. */
export class CountingTarget implements LifecycleTarget {
  readonly listeners = new Map<string, Set<(event: Event) => void>>();
  addEventListener(type: string, listener: (event: Event) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)?.add(listener);
  }
  removeEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  dispatch(type: string, fields: Record<string, unknown> = {}): void {
    const event = Object.assign(new Event(type), fields);
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
  get count(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}

/** One tab: its environment (for setEnvironment) and what it holds of the browser's resources. */
export class FakeTab {
  readonly document = new CountingTarget();
  readonly window = new CountingTarget();
  readonly env: Environment;
  readonly channels = new Set<FakeChannel>();
  frozen = false;
  dead = false;
  /** Deliveries held while the tab is frozen, in order. */
  readonly held: Array<() => void> = [];

  constructor(
    readonly browser: FakeBrowser,
    readonly name: string,
    options: { locks?: boolean; channels?: boolean } = {},
  ) {
    const locks: LockManagerLike = { request: (lockName, opts, callback) => browser.request(this, lockName, opts.signal, callback) };
    this.env = {
      locks: options.locks === false ? null : locks,
      channel: options.channels === false ? null : (channelName) => new FakeChannel(this, channelName),
      document: this.document,
      window: this.window,
      groups: {},
    };
  }

  /** Open channels of this tab. */
  get openChannels(): number {
    return [...this.channels].filter((c) => !c.closed).length;
  }

  /** Freezes the tab the way a browser does: `freeze` first, then no task runs until `resume()`. */
  freeze(): void {
    this.document.dispatch('freeze');
    this.frozen = true;
  }

  resume(): void {
    this.frozen = false;
    for (const delivery of this.held.splice(0)) this.browser.tasks.push(delivery);
    this.document.dispatch('resume');
  }

  /** The renderer dies: no event, its locks are released and its channels gone. */
  crash(): void {
    this.dead = true;
    for (const channel of this.channels) channel.closed = true;
    this.browser.dropTab(this);
  }
}

/** A BroadcastChannel of a fake tab: delivers structured clones to the other open channels of its name, a task each. */
export class FakeChannel implements ChannelLike {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  closed = false;

  constructor(
    readonly tab: FakeTab,
    readonly name: string,
  ) {
    tab.channels.add(this);
    tab.browser.channels.add(this);
  }

  postMessage(message: unknown): void {
    if (this.closed) throw new Error('postMessage on a closed channel');
    this.tab.browser.posted.push({ name: this.name, message: structuredClone(message) });
    for (const other of this.tab.browser.channels) {
      if (other === this || other.closed || other.name !== this.name) continue;
      const data = structuredClone(message);
      const delivery = () => {
        if (!other.closed && !other.tab.dead && other.onmessage) other.onmessage({ data });
      };
      this.tab.browser.tasks.push(() => (other.tab.frozen ? other.tab.held.push(delivery) : delivery()));
    }
  }

  close(): void {
    this.closed = true;
  }
}

/** The browser: one lock manager and the channels of every tab of the origin. */
export class FakeBrowser {
  readonly channels = new Set<FakeChannel>();
  /** Pending tasks (channel deliveries), run in order by flush(). */
  readonly tasks: Array<() => void> = [];
  /** Every message posted, by channel name, for assertions. */
  readonly posted: Array<{ name: string; message: unknown }> = [];
  private readonly held = new Map<string, Held>();
  private readonly queues = new Map<string, Request[]>();

  tab(name: string, options?: { locks?: boolean; channels?: boolean }): FakeTab {
    return new FakeTab(this, name, options);
  }

  /** Which tab holds lock `name`, if any. */
  holder(name?: string): FakeTab | undefined {
    if (name !== undefined) return this.held.get(name)?.tab;
    return [...this.held.values()][0]?.tab;
  }

  /** Locks held and requests waiting, over all names. */
  get locksInUse(): { held: number; waiting: number } {
    let waiting = 0;
    for (const queue of this.queues.values()) waiting += queue.length;
    return { held: this.held.size, waiting };
  }

  request(tab: FakeTab, name: string, signal: AbortSignal, callback: (lock: unknown) => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new DOMException('aborted', 'AbortError'));
      const request: Request = { tab, callback, resolve, reject, signal, onAbort: () => {} };
      request.onAbort = () => {
        const queue = this.queues.get(name) ?? [];
        const i = queue.indexOf(request);
        if (i < 0) return;
        queue.splice(i, 1);
        reject(new DOMException('aborted', 'AbortError'));
      };
      signal.addEventListener('abort', request.onAbort);
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      queue.push(request);
      this.grant(name);
    });
  }

  private grant(name: string): void {
    if (this.held.has(name)) return;
    const request = this.queues.get(name)?.shift();
    if (!request) return;
    request.signal.removeEventListener('abort', request.onAbort);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      if (this.held.get(name)?.tab === request.tab) this.held.delete(name);
      // The next grant is a task of the lock manager, as the browser's.
      void Promise.resolve().then(() => this.grant(name));
    };
    this.held.set(name, { tab: request.tab, end });
    void Promise.resolve()
      .then(() => request.callback({ name }))
      .then(
        (value) => {
          end();
          request.resolve(value);
        },
        (error) => {
          end();
          request.reject(error);
        },
      );
  }

  dropTab(tab: FakeTab): void {
    for (const [name, queue] of this.queues) {
      for (const request of queue.filter((r) => r.tab === tab)) queue.splice(queue.indexOf(request), 1);
      this.grant(name);
    }
    for (const held of [...this.held.values()]) if (held.tab === tab) held.end();
  }

  /** Runs every pending task, letting microtasks (lock grants) run between them, until nothing is left. */
  async flush(): Promise<void> {
    for (let idle = 0; idle < 3;) {
      await turn();
      const task = this.tasks.shift();
      if (task) {
        idle = 0;
        task();
      } else idle++;
    }
  }
}
