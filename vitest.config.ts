import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Browser and server tests start real processes; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
