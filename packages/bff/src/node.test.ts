import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/load-config.js';
import { startBff } from './node.js';
import { createHarness, SHOP, testEnv } from './test/harness.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('startBff', () => {
  it('listens on a free port with port 0 and serves the app', async () => {
    const running = await startBff({
      config: loadConfig(testEnv()),
      port: 0,
      host: '127.0.0.1',
      deps: { log: () => {} },
    });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(running.url).not.toMatch(/:0$/);
      const response = await fetch(`${running.url}/healthz`);
      expect(response.status).toBe(200);
    } finally {
      await running.close();
    }
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });

  it('finishes a request in flight before closing', async () => {
    const harness = createHarness();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached: () => void = () => {};
    const upstreamReached = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const running = await startBff({
      config: harness.config,
      port: 0,
      host: '127.0.0.1',
      deps: {
        log: () => {},
        fetch: async (input, init) => {
          reached();
          await held;
          return harness.sandbox.app.fetch(new Request(input, init));
        },
      },
    });
    const inFlight = fetch(`${running.url}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SHOP },
      body: JSON.stringify({ button: 'btn_coffee' }),
    });
    await upstreamReached;
    const closed = running.close();
    release();
    expect((await inFlight).status).toBe(201);
    await closed;
  });
});

/** Runs `src/main.ts` with `env` and resolves when it exits, or calls `onOutput` as lines come. */
function runMain(env: Record<string, string>, onOutput?: (text: string, stop: () => void) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PACKAGE_DIR,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    let signaled = false;
    const stop = () => {
      if (signaled) return;
      signaled = true;
      child.kill('SIGTERM');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onOutput?.(stdout, stop);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('main', () => {
  it('refuses to start without its settings, naming them, without a stack trace', async () => {
    const { code, stderr } = await runMain({});
    expect(code).toBe(1);
    for (const setting of [
      'UPSTREAM_API_URL',
      'PORTAL_URL',
      'RECEIPT_SECRET',
      'ALLOWED_ORIGINS',
      'BUTTONS',
    ]) {
      expect(stderr).toContain(setting);
    }
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 30_000);

  it('starts, prints its URL, and stops cleanly on SIGTERM', async () => {
    const { code, stdout } = await runMain({ ...testEnv(), BFF_PORT: '0' }, (text, stop) => {
      if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(text)) stop();
    });
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(code).toBe(0);
  }, 30_000);
});
