import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'buy-button',
    include: ['src/**/*.test.ts'],
  },
});
