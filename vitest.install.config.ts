// Vitest setup for the install matrix (npm run test:install): the packed tarball in scratch projects, one file, tests in order, npm install bounded by its hook timeout.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/install/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
