import { createMiddleware } from 'hono/factory';
import type { BffEnv } from '../app-env.js';
import type { Logger } from '../runtime/logger.js';

/**
 * One JSON line per request: method, path, status, duration and request id, and `aborted: true`
 * on a refusal whose client closed the connection first (an upload cut off mid-body). Nothing
 * else: no query string (return URLs carry receipts), no headers, no body.
 */
export function accessLog({ log }: { log: Logger }) {
  return createMiddleware<BffEnv>(async function accessLog(c, next) {
    const start = performance.now();
    await next();
    log({
      level: 'info',
      msg: 'request',
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - start) * 100) / 100,
      requestId: c.get('requestId'),
      // Read on refusals only: the signal is made on first use, and a checkout needs none.
      ...(c.res.status >= 400 && c.req.raw.signal.aborted ? { aborted: true } : {}),
    });
  });
}
