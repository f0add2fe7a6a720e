import { createMiddleware } from 'hono/factory';
import { ForbiddenError, SANDBOX_ERROR_CODE, UnauthorizedError } from './errors.js';
import type { Role } from './roles.js';
import type { SandboxEnv } from './sandbox-env.js';
import type { TokenService } from './token-service.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * 401 without a Bearer token or with one that is forged, malformed or expired; 403 when the
 * token's role is not in `roles`. Sets `c.var.user` for the handler.
 */
export function requireRole(tokens: TokenService, roles: readonly Role[]) {
  return createMiddleware<SandboxEnv>(async (c, next) => {
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    if (match?.[1] === undefined) {
      throw new UnauthorizedError(SANDBOX_ERROR_CODE.tokenMissing, 'Missing bearer token');
    }
    const user = await tokens.verify(match[1]);
    if (!roles.includes(user.role)) throw new ForbiddenError();
    c.set('user', user);
    await next();
  });
}
