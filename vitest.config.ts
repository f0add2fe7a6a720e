import { defineConfig } from 'vitest/config';

// One Vitest run covers every package: each package declares its own project
// (node tests beside the sources, browser tests for the element).
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'tests/vitest.config.ts'],
  },
});
