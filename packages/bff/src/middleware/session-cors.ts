import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

const EXPOSED = ['X-Request-Id', 'Retry-After'];

/**
 * CORS for `/sessions` and `/sessions/:id`: `allow` names the origin a page may read an answer
 * from, or null. Hono's `cors()` answers the preflights. On the requests themselves the two
 * headers are set here with `c.header()` before the route runs, so they travel with the route's
 * own answer: Hono's `cors()` sets them on `c.res` first, which makes Hono copy every answer into
 * a new `Response` and @hono/node-server stream that copy instead of writing it in one go (about
 * a third of a checkout's CPU, docs/benchmarks.md).
 */
export function sessionCors(
  allow: (origin: string, c: Context) => string | null,
): MiddlewareHandler {
  const preflight = cors({
    origin: allow,
    allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Idempotency-Key', 'Authorization'],
    exposeHeaders: EXPOSED,
    maxAge: 600,
  });
  const exposed = EXPOSED.join(',');
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    const origin = allow(c.req.header('origin') ?? '', c);
    if (origin !== null) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', exposed);
    }
    c.header('Vary', 'Origin', { append: true });
    return next();
  };
}
