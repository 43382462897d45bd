// WebKitGTK (Debian's webkit2gtk-driver) through classic WebDriver over HTTP: a tab is one WebKitWebDriver process and its MiniBrowser session, on an Xvfb display of the engine's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Engine, Tab, TestCookie } from './types';

const DRIVER = '/usr/bin/WebKitWebDriver';
/** A command that takes longer than this failed (a navigation is bounded by the page-load timeout below). */
const COMMAND_TIMEOUT = 20_000;
const PAGE_LOAD_TIMEOUT = 10_000;

/** Debian's MiniBrowser (its directory names the architecture), or '' when webkit2gtk-driver is missing. */
export function miniBrowserPath(): string {
  for (const lib of ['/usr/lib', '/usr/libexec']) {
    let names: string[];
    try {
      names = readdirSync(lib);
    } catch {
      continue;
    }
    for (const name of names) {
      for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
        const candidates = [`${lib}/${name}/${api}/MiniBrowser`, `${lib}/${api}/MiniBrowser`];
        for (const path of candidates) if (existsSync(path)) return path;
      }
    }
  }
  return '';
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await exited(child);
}

/** An X display for MiniBrowser: Xvfb picks a free display number and writes it to fd 3. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  xvfb.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    const fd3 = xvfb.stdio[3] as NodeJS.ReadableStream;
    const timer = setTimeout(() => reject(new Error(`Xvfb gave no display within 10 s: ${stderr}`)), 10_000);
    fd3.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(':' + out.trim());
      }
    });
    xvfb.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb did not start (apt-get install -y xvfb): ${error.message}`));
    });
    xvfb.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${code}: ${stderr}`));
    });
  });
  return { display, process: xvfb };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One WebDriver command; throws the driver's error with the command that failed. */
async function command(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const init: RequestInit = { method, signal: AbortSignal.timeout(COMMAND_TIMEOUT) };
  if (body !== undefined) {
    init.headers = { 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(base + path, init);
  const json = (await response.json()) as { value?: any };
  const value = json.value;
  if (!response.ok || (value && typeof value === 'object' && 'error' in value)) {
    throw new Error(`WebKit WebDriver ${method} ${path}: ${value?.error ?? response.status}: ${value?.message ?? ''}`);
  }
  return value;
}

/** Starts WebKitWebDriver on a free port and waits (bounded) until it answers /status. */
async function startDriver(display: string): Promise<{ base: string; process: ChildProcess }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const driver = spawn(DRIVER, [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && driver.exitCode === null) {
      try {
        const status = await command(base, 'GET', '/status');
        if (status?.ready !== false) return { base, process: driver };
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stop(driver);
    // Another process may have taken the port between freePort() and the driver's bind.
    if (attempt >= 3) throw new Error(`WebKitWebDriver did not answer on ${base} within 10 s (apt-get install -y webkit2gtk-driver)`);
  }
}

export async function launchWebKit(): Promise<Engine> {
  const browser = miniBrowserPath();
  if (!existsSync(DRIVER) || !browser) throw new Error('No WebKitGTK: install it with `apt-get install -y webkit2gtk-driver xvfb` (as root).');
  const xvfb = await startXvfb();
  const tabs = new Set<Tab>();

  async function newTab(): Promise<Tab> {
    const driver = await startDriver(xvfb.display);
    let session: { sessionId: string };
    try {
      session = await command(driver.base, 'POST', '/session', {
        capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: browser, args: ['--automation'] }, pageLoadStrategy: 'normal' } },
      });
    } catch (error) {
      await stop(driver.process);
      throw error;
    }
    const path = `/session/${session.sessionId}`;
    await command(driver.base, 'POST', `${path}/timeouts`, { pageLoad: PAGE_LOAD_TIMEOUT });
    // WebDriver reaches cookies through the current document: these origins have some to clear.
    const cookieOrigins = new Set<string>();
    const goto = (url: string) => command(driver.base, 'POST', `${path}/url`, { url });
    // A document of the origin that runs nothing (the app answers 404 and logs no request).
    const blankOf = (origin: string) => `${origin}/favicon.ico`;
    const tab: Tab = {
      goto: async (url) => {
        await goto(url);
      },
      async addCookies(cookies: TestCookie[]) {
        for (const c of cookies) {
          await goto(blankOf(c.origin));
          await command(driver.base, 'POST', `${path}/cookie`, {
            cookie: { name: c.name, value: c.value, path: '/', domain: new URL(c.origin).hostname, secure: c.secure, sameSite: c.sameSite },
          });
          cookieOrigins.add(c.origin);
        }
      },
      async clearCookies() {
        if (!cookieOrigins.size) return;
        for (const origin of cookieOrigins) {
          await goto(blankOf(origin));
          await command(driver.base, 'DELETE', `${path}/cookie`);
        }
        cookieOrigins.clear();
        await goto('about:blank');
      },
      async close() {
        tabs.delete(tab);
        try {
          await command(driver.base, 'DELETE', path);
        } finally {
          await stop(driver.process);
        }
      },
    };
    tabs.add(tab);
    return tab;
  }

  return {
    name: 'webkit',
    newTab,
    async close() {
      await Promise.all([...tabs].map((tab) => tab.close().catch(() => undefined)));
      await stop(xvfb.process);
    },
  };
}
