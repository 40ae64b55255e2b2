import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Integration tests share one Docker daemon and time things: never in parallel.
    fileParallelism: false,
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
