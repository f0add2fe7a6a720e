import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineProject } from 'vitest/config';
import type { BrowserCommand } from 'vitest/node';
import { announceChromium, chromiumArgs, findChromium } from '../../scripts/chromium.js';

const executablePath = findChromium();
announceChromium(executablePath);

/** What a test can emulate: reduced motion, a color scheme, a forced-colors (high contrast) mode. */
interface EmulatedMedia {
  reducedMotion?: 'reduce' | 'no-preference';
  colorScheme?: 'light' | 'dark';
  forcedColors?: 'active' | 'none';
}

/** Switches the test page's media features (Playwright's `page.emulateMedia`, run in Node). */
const emulateMedia: BrowserCommand<[EmulatedMedia]> = async (context, media) => {
  await context.page.emulateMedia(media);
};

/**
 * Renders the React wrapper to HTML in Node (the test project's module runner), as a server
 * does: the browser test then hydrates exactly that HTML.
 */
const renderReactOnServer: BrowserCommand<[props: Record<string, unknown>]> = async (
  { project },
  props,
) => {
  const module = await project.import<typeof import('./test/render-on-server.js')>(
    fileURLToPath(new URL('test/render-on-server.ts', import.meta.url)),
  );
  return module.renderOnServer(props);
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
      commands: { emulateMedia, renderReactOnServer },
      screenshotFailures: false,
    },
  },
});

declare module 'vitest/browser' {
  interface BrowserCommands {
    emulateMedia(media: EmulatedMedia): Promise<void>;
    renderReactOnServer(
      props: Record<string, unknown>,
    ): Promise<{ html: string; globals: { document: string; HTMLElement: string } }>;
  }
}
