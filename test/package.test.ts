// The published package: npm pack lists only what users need; exports resolve to built files.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
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
      (f) => !/^(dist\/((legacy|transport|client)\/)?[^/]+\.(mjs|js|d\.ts)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/.test(f),
    );
    expect(unexpected).toEqual([]);
    for (const needed of [
      'dist/index.mjs',
      'dist/index.d.ts',
      'dist/polyfill.mjs',
      'dist/legacy/index.mjs',
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
    const targets = [pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.jsdelivr];
    for (const [key, value] of Object.entries(pkg.exports)) {
      if (typeof value === 'string') targets.push(value);
      else {
        expect(Object.keys(value)[0], `exports["${key}"] lists types first`).toBe('types');
        targets.push(...Object.values(value));
      }
    }
    for (const target of targets) expect(existsSync(target), `${target} exists (npm test builds first)`).toBe(true);
  });
});
