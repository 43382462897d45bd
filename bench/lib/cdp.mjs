// Chromium over a bare DevTools pipe (--remote-debugging-pipe): no Playwright, and the Network domain is refused outright.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_FLAGS, chromiumPath } from '../../e2e/chromium.js';

// The project's Chromium and launch flags (e2e/chromium.js); BENCH_CHROMIUM picks another binary.
export const CHROMIUM = process.env.BENCH_CHROMIUM || chromiumPath();
const FLAGS = [
  ...CHROMIUM_FLAGS,
  '--headless',
  // Pages created over CDP must not be throttled as background tabs while they are measured.
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  // No spare renderer: the one process a new tab adds is that tab's, whose memory the memory bench reads.
  '--disable-features=SpareRendererForSitePerProcess',
];
// With DevTools network tracking on, Chromium reports every SSE message to the client and native
// EventSource gets 10-30× slower (issue 6 §2): these domains are never sent, and every method sent is logged.
const FORBIDDEN = /^(Network|Fetch)\./;

export class Browser {
  /** Launches `executable` (default: CHROMIUM) headless over a pipe. */
  static async launch(executable = CHROMIUM) {
    const userDataDir = mkdtempSync(join(tmpdir(), 'ssekit-bench-'));
    const proc = spawn(executable, [...FLAGS, '--remote-debugging-pipe', `--user-data-dir=${userDataDir}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    const b = new Browser(proc, userDataDir);
    const { product } = await b.send('Browser.getVersion');
    b.version = product;
    return b;
  }

  constructor(proc, userDataDir) {
    this.proc = proc;
    this.userDataDir = userDataDir;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    /** Every CDP method sent during the run, for the results (proof that no Network.* was). */
    this.methodsSent = new Set();
    this.stderr = '';
    proc.stderr.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    let buffered = Buffer.alloc(0);
    proc.stdio[4].on('data', (data) => {
      buffered = Buffer.concat([buffered, data]);
      let end;
      while ((end = buffered.indexOf(0)) !== -1) {
        const message = JSON.parse(buffered.subarray(0, end).toString('utf8'));
        buffered = buffered.subarray(end + 1);
        this.dispatch(message);
      }
    });
    this.exited = new Promise((resolve) => proc.on('exit', resolve));
    this.exited.then(() => {
      for (const { reject, method } of this.pending.values()) reject(new Error(`Chromium exited during ${method}: ${this.stderr}`));
      this.pending.clear();
    });
  }

  dispatch(message) {
    if (message.id !== undefined) {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (message.error) p.reject(new Error(`${p.method}: ${message.error.message}`));
      else p.resolve(message.result);
      return;
    }
    for (const l of this.listeners) l(message);
  }

  send(method, params = {}, sessionId) {
    if (FORBIDDEN.test(method)) throw new Error(`refusing ${method}: network tracking distorts native EventSource`);
    this.methodsSent.add(method);
    const id = this.nextId++;
    const message = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.proc.stdio[3].write(JSON.stringify(message) + '\0');
    });
  }

  /** Resolves with the params of the next event `method` of `sessionId`. */
  waitFor(method, sessionId, timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(l);
        reject(new Error(`timed out waiting for ${method}`));
      }, timeoutMs);
      const l = (m) => {
        if (m.method === method && m.sessionId === sessionId) {
          clearTimeout(timer);
          this.listeners.delete(l);
          resolve(m.params);
        }
      };
      this.listeners.add(l);
    });
  }

  async rendererPids() {
    const { processInfo } = await this.send('SystemInfo.getProcessInfo');
    return new Set(processInfo.filter((p) => p.type === 'renderer').map((p) => p.id));
  }

  /** A fresh tab (its own renderer) navigated to `url`, load event fired; `pid` is its renderer's when it can be told. */
  async newPage(url) {
    const before = await this.rendererPids();
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, targetId, sessionId);
    await page.send('Page.enable');
    await page.send('Performance.enable', { timeDomain: 'threadTicks' });
    const loaded = this.waitFor('Page.loadEventFired', sessionId);
    const nav = await page.send('Page.navigate', { url });
    if (nav.errorText) throw new Error(`navigation to ${url} failed: ${nav.errorText}`);
    await loaded;
    const added = [...(await this.rendererPids())].filter((pid) => !before.has(pid));
    page.pid = added.length === 1 ? added[0] : null;
    return page;
  }

  async close() {
    try {
      await Promise.race([this.send('Browser.close'), new Promise((r) => setTimeout(r, 3000))]);
    } catch {
      // Already gone.
    }
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    await this.exited;
    // Chromium's helper processes may still be flushing the profile: retry, and never fail the bench over it.
    try {
      rmSync(this.userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      // A leftover directory under the temp dir is harmless.
    }
  }
}

export class Page {
  constructor(browser, targetId, sessionId) {
    this.browser = browser;
    this.targetId = targetId;
    this.sessionId = sessionId;
  }
  send(method, params) {
    return this.browser.send(method, params, this.sessionId);
  }
  /** Evaluates `expression` in the page, awaiting a returned promise; returns the value (JSON). */
  async eval(expression) {
    const r = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`page: ${r.exceptionDetails.exception?.description || r.exceptionDetails.text}`);
    return r.result.value;
  }
  /** Renderer main-thread metrics (TaskDuration, ScriptDuration in s; JSHeapUsedSize in B). */
  async metrics() {
    const { metrics } = await this.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  }
  /** JS heap in use after a forced full GC, in bytes. */
  async heapAfterGC() {
    await this.send('HeapProfiler.collectGarbage');
    await this.send('HeapProfiler.collectGarbage');
    const { usedSize } = await this.send('Runtime.getHeapUsage');
    return usedSize;
  }
  /** The renderer's resident private anonymous memory (V8 heap, PartitionAlloc, malloc) in bytes, or null. */
  rendererAnon() {
    if (this.pid === null) return null;
    try {
      const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : null;
    } catch {
      return null;
    }
  }
  close() {
    return this.browser.send('Target.closeTarget', { targetId: this.targetId });
  }
}
