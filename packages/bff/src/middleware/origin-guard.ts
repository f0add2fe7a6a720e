import { createMiddleware } from 'hono/factory';
import type { BffEnv } from '../app-env.js';
import { ProblemError } from '../problems/problem-error.js';

export interface OriginGuardOptions {
  /** `ALLOWED_ORIGINS`. */
  allowedOrigins: readonly string[];
  /**
   * Whether a request with neither `Origin` nor `Referer` may pass. Browsers send `Origin` on
   * every cross-origin POST and DELETE, so a request without both comes from a server or a
   * script, not from a page another site controls.
   */
  allowAnonymous: (contentType: string) => boolean;
}

/**
 * Refuses state-changing requests sent from pages that are not the shop's (a forged form post is
 * CSRF: the browser would carry it out with the shopper's network position). The page origin is
 * `Origin`, else the origin of `Referer`; `Origin: null` (sandboxed frames, privacy modes) cannot
 * be checked and is refused. The checked origin is kept in `c.var.requestOrigin`, where relative
 * return URLs resolve against it.
 */
export function originGuard({ allowedOrigins, allowAnonymous }: OriginGuardOptions) {
  const allowed = new Set(allowedOrigins);
  return createMiddleware<BffEnv>(async function originGuard(c, next) {
    const origin = c.req.header('origin');
    const referer = c.req.header('referer');
    let pageOrigin: string | undefined;
    if (origin !== undefined && origin !== 'null') pageOrigin = origin;
    else if (referer !== undefined && URL.canParse(referer)) pageOrigin = new URL(referer).origin;

    if (pageOrigin === undefined) {
      if (origin === 'null' || !allowAnonymous(c.req.header('content-type') ?? '')) {
        throw new ProblemError('forbiddenOrigin', {
          detail:
            origin === 'null'
              ? 'The page hid its origin (Origin: null); its Referrer-Policy must not be no-referrer.'
              : 'The request does not say which page sent it.',
        });
      }
    } else if (!allowed.has(pageOrigin)) {
      throw new ProblemError('forbiddenOrigin');
    }
    c.set('requestOrigin', pageOrigin);
    await next();
  });
}
