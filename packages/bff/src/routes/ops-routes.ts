import { Hono } from 'hono';
import type { BffEnv } from '../app-env.js';
import { ProblemError } from '../problems/problem-error.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';

/** `/healthz` (the process answers) and `/readyz` (it can take a checkout right now). */
export function opsRoutes({ upstream }: { upstream: UpstreamClient }) {
  return new Hono<BffEnv>()
    .get('/healthz', (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'ok' });
    })
    .get('/readyz', async (c) => {
      c.header('Cache-Control', 'no-store');
      try {
        await upstream.probe();
      } catch (cause) {
        throw new ProblemError('notReady', {
          detail: 'The payment service cannot be reached or refuses the credential.',
          cause,
        });
      }
      return c.json({ status: 'ready' });
    });
}
