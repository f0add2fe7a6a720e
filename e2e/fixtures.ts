import type { FaultSettings } from '@buy-button/sandbox';
import { test as base, expect } from '@playwright/test';

export interface StackUrls {
  demo: string;
  bff: string;
  sandbox: string;
}

/** Tests get the URLs of the running stack (see global-setup.ts) and a sandbox remote. */
export const test = base.extend<{ urls: StackUrls; sandbox: SandboxRemote }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  urls: async ({}, use) => {
    const { DEMO_URL, BFF_URL, SANDBOX_URL } = process.env;
    if (!DEMO_URL || !BFF_URL || !SANDBOX_URL) throw new Error('the stack is not running');
    await use({ demo: DEMO_URL, bff: BFF_URL, sandbox: SANDBOX_URL });
  },
  sandbox: async ({ urls, request }, use) => {
    const remote: SandboxRemote = {
      faults: async (faults) => {
        const response = await request.post(`${urls.sandbox}/__sandbox/faults`, { data: faults });
        expect(response.ok()).toBe(true);
      },
      stats: async () => (await request.get(`${urls.sandbox}/__sandbox/stats`)).json(),
    };
    await use(remote);
    await remote.faults({ latencyMs: 0, faultRate: 0, webhookDropRate: 0, webhookDelayMs: 0 });
  },
});

export interface SandboxRemote {
  faults(faults: Partial<FaultSettings>): Promise<void>;
  stats(): Promise<Record<string, number>>;
}

export { expect };
