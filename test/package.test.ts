// The published package: npm pack lists only what users need; exports resolve to built files.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Conditions = { [condition: string]: string | Conditions };

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  exports: Record<string, string | Conditions>;
  sideEffects: string[];
  typesVersions: Record<string, Record<string, string[]>>;
  main: string;
  module: string;
  types: string;
  unpkg: string;
  jsdelivr: string;
};

describe('package', () => {
  it('packs only dist/, README, LICENSE, CHANGELOG and package.json', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((f) => f.path) ?? [];
    const unexpected = files.filter(
      (f) => !/^(dist\/((legacy|transport|node|client|shared)\/)?[^/]+\.(mjs|cjs|js|d\.ts|d\.cts)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/.test(f),
    );
    expect(unexpected).toEqual([]);
    for (const needed of [
      'dist/index.mjs',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
      'dist/node/index.mjs',
      'dist/polyfill.mjs',
      'dist/polyfill.cjs',
      'dist/legacy/index.mjs',
      'dist/legacy/index.cjs',
      'dist/parser.cjs',
      'dist/shared.mjs',
      'dist/shared.cjs',
      'dist/shared.d.ts',
      'dist/shared.d.cts',
      'dist/node/shared.mjs',
      'dist/ssekit.min.js',
      'dist/polyfill.min.js',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
    ]) {
      expect(files).toContain(needed);
    }
  });

  it('points every entry field at a built file, types first in each export', () => {
    const targets = [pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.jsdelivr, ...pkg.sideEffects];
    for (const paths of Object.values(pkg.typesVersions['*'] ?? {})) targets.push(...paths);
    const walk = (where: string, value: string | Conditions): void => {
      if (typeof value === 'string') return void targets.push(value);
      const keys = Object.keys(value);
      if (!keys.some((k) => value[k] !== null && typeof value[k] === 'object')) expect(keys[0], `${where} lists types first`).toBe('types');
      for (const key of keys) walk(`${where}.${key}`, value[key] as string | Conditions);
    };
    for (const [key, value] of Object.entries(pkg.exports)) walk(`exports["${key}"]`, value);
    for (const target of targets) expect(existsSync(target), `${target} exists (npm test builds first)`).toBe(true);
  });

  it('gives every entry an ES module and a CommonJS file, and Node the CommonJS one for import too (one copy per process)', () => {
    for (const [key, value] of Object.entries(pkg.exports)) {
      if (typeof value === 'string') continue;
      expect(Object.keys(value), `exports["${key}"]: node first, then the bundlers' conditions`).toEqual(['node', 'import', 'require']);
      const node = value['node'] as Record<string, Record<string, string>>;
      const esm = value['import'] as Record<string, string>;
      const cjs = value['require'] as Record<string, string>;
      expect(esm['default']).toMatch(/\.mjs$/);
      expect(esm['types']).toMatch(/\.d\.ts$/);
      expect(cjs['default']).toMatch(/\.cjs$/);
      expect(cjs['types']).toMatch(/\.d\.cts$/);
      expect(node['require']).toEqual(cjs);
      expect(node['import']?.['types']).toBe(esm['types']);
      const wrapper = readFileSync(node['import']?.['default'] as string, 'utf8');
      expect(wrapper, `${node['import']?.['default']} re-exports ${cjs['default']}`).toContain(`from '../${cjs['default']?.replace('./dist/', '')}'`);
    }
  });

  it('names only the polyfill entries and classic scripts in sideEffects', () => {
    expect(pkg.sideEffects.every((f) => /\/(polyfill|ssekit)(\.min)?\.(m?js|cjs)$/.test(f))).toBe(true);
  });
});
