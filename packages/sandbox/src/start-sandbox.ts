import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createSandbox, type Sandbox } from './create-sandbox.js';
import type { SandboxOptions } from './sandbox-options.js';

export interface StartSandboxOptions extends SandboxOptions {
  /** TCP port; 0 picks a free one (read it from `url`). Default 8788. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** How often pending orders are checked for expiry, in ms. Default 1000. */
  sweepIntervalMs?: number;
}

export interface RunningSandbox {
  /** Where it listens, e.g. `http://127.0.0.1:8788` (the real port when 0 was asked). */
  url: string;
  sandbox: Sandbox;
  /** Stops the sweeper, pending webhook retries and the server; resolves once it is closed. */
  close(): Promise<void>;
}

/**
 * Serves a sandbox on Node with `@hono/node-server` and runs the expiry sweeper, so expiry
 * webhooks fire even when nobody reads the order.
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { port = 8788, host = '127.0.0.1', sweepIntervalMs = 1000, ...sandboxOptions } = options;
  let sandbox: Sandbox | undefined;
  // The app is built after `listen` so `publicUrl` can default to the real (maybe random) port.
  const server = createAdaptorServer({
    fetch: (request) =>
      sandbox === undefined
        ? new Response('Starting', { status: 503 })
        : sandbox.app.fetch(request),
    hostname: host,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  const running = createSandbox({ publicUrl: url, ...sandboxOptions });
  sandbox = running;
  const sweeper = setInterval(() => running.sweep(), sweepIntervalMs);
  sweeper.unref();

  return {
    url,
    sandbox: running,
    async close() {
      clearInterval(sweeper);
      running.close();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
