import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';

export interface CorsAllowlistOptions {
  /** `ALLOWED_ORIGINS`: exact origins, no wildcard. */
  origins: readonly string[];
  allowMethods: string[];
  allowHeaders: string[];
  /** Response headers the page's script may read. */
  exposeHeaders: string[];
  /** How long a browser may cache a preflight, in seconds. */
  maxAge: number;
}

/**
 * CORS for the shop's origins. Preflights are answered by `hono/cors`. Actual requests get their
 * headers before the handler answers: `hono/cors` appends `Vary` after it, and changing headers
 * of a finished response makes the Node adapter rebuild it around a body stream, a cost paid on
 * every checkout.
 */
export function corsAllowlist(options: CorsAllowlistOptions) {
  const preflight = cors({
    origin: [...options.origins],
    allowMethods: options.allowMethods,
    allowHeaders: options.allowHeaders,
    exposeHeaders: options.exposeHeaders,
    maxAge: options.maxAge,
  });
  const allowed = new Set(options.origins);
  const expose = options.exposeHeaders.join(',');
  return createMiddleware(async function corsAllowlist(c, next) {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    c.header('Vary', 'Origin', { append: true });
    const origin = c.req.header('origin');
    if (origin !== undefined && allowed.has(origin)) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', expose);
    }
    await next();
  });
}
