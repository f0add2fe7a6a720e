import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProblemError } from './problems/problem-error.js';

/** Largest request body accepted: a checkout is a few hundred bytes. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** A Content-Length is digits and nothing else (RFC 9110, 8.6). */
const DIGITS = /^\d+$/;

const tooLarge = (): never => {
  throw new ProblemError('bodyTooLarge', {
    detail: `Bodies are limited to ${BODY_LIMIT_BYTES} bytes.`,
  });
};

/**
 * `BODY_LIMIT_BYTES` on every request body. A declared `Content-Length` is judged from the header
 * (Node's parser never delivers more than it declares); a chunked body goes through Hono's
 * `bodyLimit`, which counts it as it streams. Hono's middleware is not run on every request
 * because it first reads `c.req.raw.body`, and on Node that turns @hono/node-server's light
 * request into a full `Request` with a web stream over the socket, for every checkout.
 */
export function limitBodies(): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize: BODY_LIMIT_BYTES, onError: tooLarge });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    // Node's parser refuses a malformed length itself; a runtime that lets one through gets a 400
    // here, as neither this check nor Hono's could count the body against it.
    if (length !== undefined && !DIGITS.test(length)) {
      throw new ProblemError('malformedBody', { detail: 'Content-Length is not a byte count.' });
    }
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > BODY_LIMIT_BYTES ? tooLarge() : next();
    }
    return streamed(c, next);
  };
}
