import { defineProject } from 'vitest/config';

// System tests that run several real processes (BFF instances, Redis, the sandbox) together.
export default defineProject({
  test: {
    name: 'system',
    include: ['**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
