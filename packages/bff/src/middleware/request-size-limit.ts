import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ProblemError } from '../problems/problem-error.js';

export interface RequestSizeLimitOptions {
  /** Largest body accepted, in bytes. */
  maxSize: number;
}

/**
 * 413 for bodies over `maxSize`. A declared `Content-Length` is checked from the header alone;
 * only bodies without one (chunked) go through `hono/body-limit`, which counts as it reads.
 * Touching the body just to learn whether there is one would make the Node adapter build a web
 * stream for every checkout.
 */
export function requestSizeLimit({ maxSize }: RequestSizeLimitOptions) {
  const tooLarge = () => {
    throw new ProblemError('bodyTooLarge', { detail: `Bodies are limited to ${maxSize} bytes.` });
  };
  const counting = bodyLimit({ maxSize, onError: tooLarge });
  return createMiddleware(async function requestSizeLimit(c, next) {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > maxSize ? tooLarge() : next();
    }
    return counting(c, next);
  });
}
