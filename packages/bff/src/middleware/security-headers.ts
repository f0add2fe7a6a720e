import { createMiddleware } from 'hono/factory';

/**
 * The security headers of every answer: `nosniff`, no framing, no referrer, HSTS, and a CSP that
 * allows nothing (the BFF serves JSON and one script, never a page that loads anything).
 * Cross-Origin-Resource-Policy is set per route: the script is loaded cross-origin, the API is
 * read through CORS.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [name: string, value: string]> = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
];

/** Adds `SECURITY_HEADERS` a response does not set itself to `headers`, drops `X-Powered-By`. */
function applySecurityHeaders(headers: Headers): void {
  for (const [name, value] of SECURITY_HEADERS) {
    if (!headers.has(name)) headers.set(name, value);
  }
  headers.delete('X-Powered-By');
}

/** `SECURITY_HEADERS` on every answer; a header the handler set itself is kept. */
export function securityHeaders() {
  return createMiddleware(async function securityHeaders(c, next) {
    await next();
    applySecurityHeaders(c.res.headers);
  });
}
