import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * Finds the Chromium the browser tests drive: `CHROMIUM_PATH` if set, else Playwright's own
 * browser when it is installed, else a system Chromium. Returns `undefined` to let Playwright
 * use its own default (which then reports a clear "browser not installed" error).
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) {
      throw new Error(`CHROMIUM_PATH: no file at ${env.CHROMIUM_PATH}`);
    }
    return env.CHROMIUM_PATH;
  }
  const own = safeExecutablePath();
  if (own && existsSync(own)) return own;
  const system = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ];
  return system.find((path) => existsSync(path));
}

function safeExecutablePath(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/** Flags that keep a headless Chromium quiet on a machine without outside network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Prints, once per test run, which browser is used. */
export function announceChromium(path: string | undefined): void {
  if (process.env.BUY_BUTTON_CHROMIUM_ANNOUNCED) return;
  process.env.BUY_BUTTON_CHROMIUM_ANNOUNCED = '1';
  console.log(`[browser] using ${path ?? "Playwright's bundled Chromium"}`);
}
