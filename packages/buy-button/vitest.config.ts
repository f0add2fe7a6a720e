import { playwright } from '@vitest/browser-playwright';
import { defineProject } from 'vitest/config';
import type { BrowserCommand } from 'vitest/node';
import { announceChromium, chromiumArgs, findChromium } from '../../scripts/chromium.js';

const executablePath = findChromium();
announceChromium(executablePath);

/** Lets a test switch the page to `prefers-reduced-motion: reduce` or a dark color scheme. */
const emulateMedia: BrowserCommand<
  [{ reducedMotion?: 'reduce' | 'no-preference'; colorScheme?: 'light' | 'dark' }]
> = async (context, media) => {
  await context.page.emulateMedia(media);
};

// The element's component tests run in a real headless Chromium against a small fake BFF
// (test/fake-bff.ts) started once for the run.
export default defineProject({
  test: {
    name: 'buy-button',
    include: ['src/**/*.test.ts'],
    globalSetup: ['test/fake-bff.ts'],
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: { ...(executablePath ? { executablePath } : {}), args: chromiumArgs },
      }),
      instances: [{ browser: 'chromium' }],
      commands: { emulateMedia },
      screenshotFailures: false,
    },
  },
});

declare module 'vitest/browser' {
  interface BrowserCommands {
    emulateMedia(media: {
      reducedMotion?: 'reduce' | 'no-preference';
      colorScheme?: 'light' | 'dark';
    }): Promise<void>;
  }
}
