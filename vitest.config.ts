import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure code, SQLite and git in temp dirs, fake executors: no Docker, Redis or QEMU, so files run side by side.
          // Not isolated: a worker keeps its imported modules from file to file (no unit file mocks, fakes timers or
          // leaves the environment changed), which makes the project about three times faster on two cores.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', '**/node_modules/**'],
          // Integration tests share one Docker daemon and time things: never in parallel, and only after the unit files.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
