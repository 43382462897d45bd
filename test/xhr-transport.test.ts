// The XMLHttpRequest transport's reading schedule (issue 17): reads of responseText, whose cost grows with the whole text, spaced once they are slow.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { xhrTransport } from '../src/transport/xhr';

// A scripted XHR whose responseText getter costs `msPerChar` of the fake Date clock per character of
// the whole text, as Chromium's does, and counts its calls.
let msPerChar = 0;
const made: FakeXHR[] = [];
class FakeXHR {
  readyState = 0;
  status = 0;
  statusText = '';
  responseURL = '';
  text = '';
  reads = 0;
  onreadystatechange: (() => void) | null = null;
  onprogress: (() => void) | null = null;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  onloadend: (() => void) | null = null;
  aborted = false;
  constructor() {
    made.push(this);
  }
  get responseText() {
    this.reads++;
    vi.setSystemTime(Date.now() + this.text.length * msPerChar);
    return this.text;
  }
  open() {}
  overrideMimeType() {}
  setRequestHeader() {}
  getResponseHeader() {
    return null;
  }
  send() {}
  abort() {
    this.aborted = true;
  }
  head() {
    this.readyState = 2;
    this.status = 200;
    this.onreadystatechange?.();
  }
  // One network chunk: readystatechange (3), then progress, as Chromium and IE fire them.
  chunk(text: string) {
    this.text += text;
    this.readyState = 3;
    this.onreadystatechange?.();
    this.onprogress?.();
  }
  finish() {
    this.readyState = 4;
    this.onreadystatechange?.();
    this.onload?.();
    this.onloadend?.();
  }
}

function open() {
  const chunks: string[] = [];
  const ends: boolean[] = [];
  const abort = xhrTransport(
    { url: 'http://127.0.0.1:1/s', method: 'GET', headers: {}, body: null, withCredentials: false },
    { onResponse: () => undefined, onChunk: (c) => void chunks.push(c as string), onEnd: (error) => void ends.push(error) },
  );
  const xhr = made[made.length - 1] as FakeXHR;
  xhr.head();
  return { chunks, ends, abort, xhr };
}

describe('XHR transport: reading responseText', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.stubGlobal('XMLHttpRequest', FakeXHR);
    msPerChar = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('reads once per network chunk while reads are cheap: the progress event after a readystatechange does not read again', () => {
    const { chunks, xhr, abort } = open();
    for (let i = 0; i < 5; i++) xhr.chunk(`data: ${i}\n\n`);
    expect(chunks).toEqual(['data: 0\n\n', 'data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n', 'data: 4\n\n']);
    expect(xhr.reads).toBe(5);
    // An engine that fires progress alone (no readystatechange per chunk) is read on progress.
    xhr.text += 'data: 5\n\n';
    xhr.onprogress?.();
    expect(chunks[5]).toBe('data: 5\n\n');
    abort();
  });

  it('once a read takes 3 ms or more, waits 4 times that before the next; a timer reads what came meanwhile, in order', () => {
    msPerChar = 0.001; // 10 ms for 10,000 characters
    const { chunks, xhr, abort } = open();
    const big = 'x'.repeat(9998) + '\n\n';
    xhr.chunk(big); // read: 10 ms, so the next read waits until 10 + 40 ms
    expect(chunks).toEqual([big]);
    xhr.chunk('data: a\n\n');
    xhr.chunk('data: b\n\n');
    expect(chunks).toEqual([big]);
    expect(xhr.reads).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(40);
    expect(chunks).toEqual([big, 'data: a\n\ndata: b\n\n']);
    expect(xhr.reads).toBe(2);
    abort();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads at once at the end of the body, whatever the spacing, and leaves no timer', () => {
    msPerChar = 0.001;
    const { chunks, ends, xhr } = open();
    xhr.chunk('x'.repeat(9998) + '\n\n');
    xhr.chunk('data: last\n\n');
    expect(chunks.length).toBe(1);
    xhr.finish();
    expect(chunks.join('')).toBe(xhr.text);
    expect(ends).toEqual([false]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("parses what a body reset in the middle still holds (IE's readyState 4 then loadend) before the network error", () => {
    msPerChar = 0.001;
    const { chunks, ends, xhr } = open();
    xhr.chunk('x'.repeat(9998) + '\n\n');
    xhr.chunk('data: before the reset\n\n');
    xhr.readyState = 4;
    xhr.onreadystatechange?.();
    xhr.onloadend?.();
    expect(chunks.join('')).toBe(xhr.text);
    expect(ends).toEqual([true]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('abort() while a read waits: nothing more is reported, no timer is left', () => {
    msPerChar = 0.001;
    const { chunks, ends, xhr, abort } = open();
    xhr.chunk('x'.repeat(9998) + '\n\n');
    xhr.chunk('data: pending\n\n');
    abort();
    expect(xhr.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(chunks.length).toBe(1);
    expect(ends).toEqual([]);
  });
});
