import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { RateLimitSetting } from '../config/load-config.js';
import { ProblemError } from '../problems/problem-error.js';
import type { SharedStore } from '../store/shared-store.js';

export interface RateLimitOptions {
  store: SharedStore;
  /** `RATE_LIMIT`. */
  limit: RateLimitSetting;
  clientIp: (c: Context) => string;
  /** Namespace of the counters in the store. */
  keyPrefix?: string;
}

/**
 * A fixed window per client IP, counted in the SharedStore so several instances share it. Over
 * the limit: 429 with `Retry-After` (seconds until the window ends).
 */
export function rateLimit({
  store,
  limit,
  clientIp,
  keyPrefix = 'rate:sessions:',
}: RateLimitOptions) {
  const windowMs = limit.windowSeconds * 1000;
  return createMiddleware(async function rateLimit(c, next) {
    const { count, resetInMs } = await store.increment(keyPrefix + clientIp(c), windowMs);
    if (count > limit.count) {
      throw new ProblemError('rateLimited', {
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(resetInMs / 1000))) },
      });
    }
    await next();
  });
}
