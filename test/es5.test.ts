// The classic scripts dist/ssekit.js and dist/ssekit.min.js must be ES5 syntax (IE11 parses nothing newer) and, run as a script, define SSEKit and install EventSource only when missing.
import { parse } from 'acorn';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = ['dist/ssekit.js', 'dist/ssekit.min.js'];

function source(file: string): string {
  const full = path.join(root, file);
  if (!existsSync(full)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test builds before testing).`);
  return readFileSync(full, 'utf8');
}

// The minified file is one long line, so show a window around the column rather than the line.
function excerpt(code: string, line: number, column: number): string {
  const text = code.split('\n')[line - 1] ?? '';
  const from = Math.max(0, column - 60);
  return text.slice(from, column + 60) + '\n' + ' '.repeat(column - from) + '^';
}

function assertES5(file: string, code: string): void {
  try {
    parse(code, { ecmaVersion: 5, sourceType: 'script', locations: true });
  } catch (error) {
    const e = error as SyntaxError & { loc?: { line: number; column: number } };
    if (!e.loc) throw error;
    throw new Error(`${file}:${e.loc.line}:${e.loc.column + 1} is not ES5: ${e.message}\n${excerpt(code, e.loc.line, e.loc.column)}`, { cause: error });
  }
}

// Runs the classic script in a fresh V8 context (no DOM, no EventSource) after `prelude`, and reports what it left.
function runClassic(code: string, file: string, prelude = '') {
  const context = vm.createContext({});
  vm.runInContext(prelude, context);
  const before = new Set(vm.runInContext('Object.getOwnPropertyNames(this)', context) as string[]);
  vm.runInContext(code, context, { filename: file });
  const after = vm.runInContext('Object.getOwnPropertyNames(this)', context) as string[];
  const added = after.filter((name) => !before.has(name)).sort();
  return { context, added, get: (expression: string) => vm.runInContext(expression, context) as unknown };
}

describe.each(files)('%s', (file) => {
  it('parses as an ES5 script (acorn, ecmaVersion 5)', () => {
    assertES5(file, source(file));
  });

  it('defines SSEKit and installs it as the global EventSource when there is none', () => {
    const run = runClassic(source(file), file);
    expect(run.added).toEqual(['EventSource', 'SSEKit']);
    expect(run.get('typeof SSEKit.EventSource')).toBe('function');
    expect(run.get('typeof SSEKit.createParser')).toBe('function');
    expect(run.get('typeof SSEKit.install')).toBe('function');
    expect(run.get('EventSource === SSEKit.EventSource')).toBe(true);
    expect(run.get('EventSource.length')).toBe(1);
    expect(run.get('[EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED].join()')).toBe('0,1,2');
  });

  it('keeps an EventSource the page already has', () => {
    const run = runClassic(source(file), file, 'function EventSource(url) { this.url = url; } var Native = EventSource;');
    expect(run.added).toEqual(['SSEKit']);
    expect(run.get('EventSource === Native')).toBe(true);
    expect(run.get('SSEKit.EventSource !== Native && typeof SSEKit.EventSource')).toBe('function');
    expect(run.get('SSEKit.install() === Native')).toBe(true);
  });

  // IE11 has neither globalThis nor (in workers) window: install() must find the global through self or window.
  it.each([
    ['self', 'delete globalThis.globalThis; var self = this;'],
    ['window', 'delete globalThis.globalThis; var window = this;'],
  ])('installs on %s when globalThis is missing', (_name, prelude) => {
    const run = runClassic(source(file), file, prelude);
    expect(run.get('typeof globalThis')).toBe('undefined');
    expect(run.added).toEqual(['EventSource', 'SSEKit']);
    expect(run.get('EventSource === SSEKit.EventSource')).toBe(true);
  });
});

it('the ES5 check rejects ES2015 syntax, with the location', () => {
  expect(() => assertES5('sample.js', 'var a = 1;\nconst b = () => a;\n')).toThrow(/^sample\.js:2:1 is not ES5/);
});
