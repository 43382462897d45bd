// README.md and docs/*.md stay true to the code: every TypeScript block type-checks against the published declarations (dist/, resolved as a user's project resolves 'ssekit'), every JavaScript block parses, inline scripts of HTML blocks parse as ES5.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) => f.endsWith('.md'));

// Names the examples use without defining them: the reader's own code.
const AMBIENT = `
declare function getToken(): Promise<string>;
declare function render(text: string): void;
declare const controller: AbortController;
declare function showUsage(tokens: number): void;
declare function refreshToken(): Promise<string>;
declare const apiKey: string;
// The reader's own dependency in the Node recipe (undici's fetch takes a dispatcher).
declare module 'undici' {
  export class ProxyAgent {
    constructor(url: string);
  }
  export function fetch(url: string, init?: RequestInit & { dispatcher?: ProxyAgent }): Promise<Response>;
}
`;

interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
}

function blocks(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1] !== '```') i++;
    found.push({ file, line: start + 1, lang: open[1] as string, code: lines.slice(start, i + 1).join('\n') });
    i++;
  }
  return found;
}

const all = DOCS.flatMap(blocks);
const scratch = mkdtempSync(join(tmpdir(), 'ssekit-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README and docs code blocks', () => {
  it('has TypeScript, JavaScript and HTML blocks to check', () => {
    for (const lang of ['ts', 'tsx', 'js', 'html'])
      expect(
        all.some((b) => b.lang === lang),
        lang,
      ).toBe(true);
  });

  it('every TypeScript block type-checks against the published declarations', () => {
    // A project beside the blocks, resolving 'ssekit' to this package (its package.json exports and dist/) and types from node_modules/@types.
    mkdirSync(join(scratch, 'node_modules'));
    symlinkSync(ROOT, join(scratch, 'node_modules', 'ssekit'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', '@types'), join(scratch, 'node_modules', '@types'), 'dir');
    writeFileSync(join(scratch, 'ambient.d.ts'), AMBIENT);
    const where = new Map<string, Block>();
    for (const b of all.filter((b) => b.lang === 'ts' || b.lang === 'tsx')) {
      const name = join(scratch, `${b.file.replace(/\W/g, '_')}_${b.line}.${b.lang}`);
      // Each block is a module of its own, even without an import.
      writeFileSync(name, `${b.code}\nexport {};\n`);
      where.set(name, b);
    }
    const program = ts.createProgram([...where.keys(), join(scratch, 'ambient.d.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      jsx: ts.JsxEmit.ReactJSX,
      types: ['node'],
      skipLibCheck: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const b = d.file ? where.get(d.file.fileName) : undefined;
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
      return `${b ? `${b.file}:${b.line + at}` : (d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  }, 60_000);

  it('every JavaScript block parses, and the scripts of HTML blocks parse as ES5 (legacy pages)', () => {
    for (const b of all.filter((b) => b.lang === 'js')) {
      const sourceType = /^\s*(import|export)\b/m.test(b.code) ? 'module' : 'script';
      expect(() => parse(b.code, { ecmaVersion: 'latest', sourceType, allowAwaitOutsideFunction: true }), `${b.file}:${b.line}`).not.toThrow();
    }
    for (const b of all.filter((b) => b.lang === 'html')) {
      for (const m of b.code.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
        expect(() => parse(m[1] as string, { ecmaVersion: 5 }), `${b.file}:${b.line}`).not.toThrow();
      }
    }
  });
});
