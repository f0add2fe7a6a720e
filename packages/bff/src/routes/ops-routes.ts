import { Hono } from 'hono';
import type { BffEnv } from '../app-env.js';
import { ProblemError } from '../problems/problem-error.js';
import { reachStore, type SharedStore } from '../store/shared-store.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';

export interface OpsRoutesOptions {
  upstream: UpstreamClient;
  /** The shared store; `/readyz` fails while it does not answer (Redis down). */
  store?: SharedStore | undefined;
}

/** `/healthz` (the process answers) and `/readyz` (it can take a checkout right now). */
export function opsRoutes({ upstream, store }: OpsRoutesOptions) {
  return new Hono<BffEnv>()
    .get('/healthz', (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'ok' });
    })
    .get('/readyz', async (c) => {
      c.header('Cache-Control', 'no-store');
      const [storeCheck, upstreamCheck] = await Promise.allSettled([
        store === undefined ? Promise.resolve() : reachStore(store),
        upstream.probe(),
      ]);
      if (storeCheck.status === 'rejected') {
        throw new ProblemError('notReady', {
          detail: 'The shared store (Redis) does not answer.',
          cause: storeCheck.reason,
        });
      }
      if (upstreamCheck.status === 'rejected') {
        throw new ProblemError('notReady', {
          detail: 'The payment service cannot be reached or refuses the credential.',
          cause: upstreamCheck.reason,
        });
      }
      return c.json({ status: 'ready' });
    });
}
