// ESLint flat config: typescript-eslint's recommended rules for src/ and tests; plain JS rules for the demo server, bench and e2e.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/results/', 'bench/.build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // The library must never write to the console.
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests, tooling, the demo and benchmarks print on purpose.
    files: ['test/**', 'e2e/**', 'demo-server/**', 'bench/**', '*.config.*', '*.mjs'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The install matrix's CommonJS projects: what a user's require-based code and Jest test look like.
    files: ['test/install/fixtures/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // ES5 scripts run inside mujs: var and function-scoped style on purpose.
    files: ['test/mujs/**'],
    languageOptions: { sourceType: 'script', globals: { print: 'readonly', read: 'readonly', load: 'readonly' } },
    rules: {
      'no-var': 'off',
      'no-redeclare': 'off',
      'no-undef': 'off',
      'no-unused-vars': 'off',
      'no-control-regex': 'off',
      'preserve-caught-error': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/no-this-alias': 'off',
    },
  },
);
