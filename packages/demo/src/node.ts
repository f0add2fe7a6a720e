import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { createDemoApp, type DemoOptions } from './demo-app.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface StartDemoOptions extends Omit<DemoOptions, 'pages' | 'assets'> {
  port: number;
  host: string;
}

/** Serves the built demo shop (`pnpm --filter @buy-button/demo build` first). */
export async function startDemo(options: StartDemoOptions) {
  const read = (path: string) => {
    try {
      return readFileSync(new URL(path, `file://${root}/`), 'utf8');
    } catch {
      throw new Error(
        `The demo shop is not built (${path} is missing): run "pnpm --filter @buy-button/demo build".`,
      );
    }
  };
  const app = createDemoApp({
    ...options,
    pages: {
      index: read('dist/index.html'),
      react: read('dist/react.html'),
      scriptTag: read('pages/script-tag.html'),
    },
    assets: serveStatic({ root: `${root}/dist` }),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () =>
      resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
