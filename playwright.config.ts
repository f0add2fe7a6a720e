import { defineConfig } from '@playwright/test';
import { announceChromium, chromiumArgs, findChromium } from './scripts/chromium.js';

const executablePath = findChromium();
announceChromium(executablePath);

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  // Two cores: one worker per core; the system under test runs beside them.
  workers: 2,
  timeout: 30_000,
  reporter: process.env.CI ? [['list']] : [['list']],
  // Starts the whole product once, as `pnpm start` does, on free ports.
  globalSetup: './e2e/global-setup.ts',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: chromiumArgs },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'journeys', testIgnore: /upstream-faults/ },
    // Sets faults on the shared sandbox, so it runs once everything else is done.
    { name: 'upstream-faults', testMatch: /upstream-faults/, dependencies: ['journeys'] },
  ],
});
