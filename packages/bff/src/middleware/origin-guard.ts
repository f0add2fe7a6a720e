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
 * be checked and is refused. Keeps the checked origin (`undefined` for an allowed anonymous
 * call) in `c.var.requestOrigin`, against which relative return URLs resolve.
 */
export function originGuard({ allowedOrigins, allowAnonymous }: OriginGuardOptions) {
  const allowed = new Set(allowedOrigins);
  return createMiddleware<BffEnv>(async function originGuard(c, next) {
    const origin = c.req.header('origin');
    // A hidden origin is refused whatever the Referer says: the browser chose not to vouch for
    // the page (sandboxed frame, no-referrer policy), and a Referer alone proves nothing then.
    if (origin === 'null') {
      throw new ProblemError('forbiddenOrigin', {
        detail:
          'The page hid its origin (Origin: null); its Referrer-Policy must not be no-referrer.',
      });
    }
    const referer = c.req.header('referer');
    const pageOrigin = origin ?? (referer === undefined ? undefined : URL.parse(referer)?.origin);
    if (pageOrigin === undefined) {
      if (!allowAnonymous(c.req.header('content-type') ?? '')) {
        throw new ProblemError('forbiddenOrigin', {
          detail: 'The request does not say which page sent it.',
        });
      }
    } else if (!allowed.has(pageOrigin)) {
      throw new ProblemError('forbiddenOrigin');
    }
    c.set('requestOrigin', pageOrigin);
    await next();
  });
}
