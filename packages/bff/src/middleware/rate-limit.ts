import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { RateLimitSetting } from '../config/load-config.js';
import { ProblemError } from '../problems/problem-error.js';
import type { SharedStore } from '../store/shared-store.js';

export interface RateLimitOptions {
  store: SharedStore;
  /** `RATE_LIMIT`. */
  limit: RateLimitSetting;
  /** Namespace of the counters in the store (`rate:sessions:`, ...). */
  keyPrefix: string;
}

/** Counts one request of `clientIp`; throws a 429 problem past the limit. */
export type RateLimiter = (clientIp: string) => Promise<void>;

/**
 * A fixed window per client IP, counted in the SharedStore so several instances share it. Over
 * the limit: 429 with `Retry-After` (seconds until the window ends).
 */
export function rateLimiter({ store, limit, keyPrefix }: RateLimitOptions): RateLimiter {
  const windowMs = limit.windowSeconds * 1000;
  return async (clientIp) => {
    const { count, resetInMs } = await store.increment(keyPrefix + clientIp, windowMs);
    if (count > limit.count) {
      throw new ProblemError('rateLimited', {
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(resetInMs / 1000))) },
      });
    }
  };
}

/** `limiter` as middleware, keyed on `clientIp(c)`. */
export function rateLimit(limiter: RateLimiter, clientIp: (c: Context) => string) {
  return createMiddleware(async function rateLimit(c, next) {
    await limiter(clientIp(c));
    await next();
  });
}
