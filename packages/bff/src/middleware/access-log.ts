import { createMiddleware } from 'hono/factory';
import type { BffEnv } from '../app-env.js';
import type { Logger } from '../runtime/logger.js';

export interface AccessLogOptions {
  log: Logger;
  /** High-resolution clock in ms. Default `performance.now`. */
  clock?: () => number;
}

/**
 * One JSON line per request: method, path, status, duration and request id. Nothing else: no
 * query string (return URLs carry receipts), no headers, no body.
 */
export function accessLog({ log, clock = () => performance.now() }: AccessLogOptions) {
  return createMiddleware<BffEnv>(async function accessLog(c, next) {
    const start = clock();
    await next();
    log({
      level: 'info',
      msg: 'request',
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((clock() - start) * 100) / 100,
      requestId: c.get('requestId'),
    });
  });
}
