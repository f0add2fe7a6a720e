import { Hono } from 'hono';
import { ok } from './envelope.js';
import { requireRole } from './require-role.js';
import { ACCESS } from './roles.js';
import type { SandboxEnv } from './sandbox-env.js';
import type { SessionStore } from './session-store.js';
import type { TokenService } from './token-service.js';

/** `GET /status/:code` and `GET /status/order/:orderRef` (the latest order with that orderRef). */
export function conversionStatusRoutes({
  store,
  tokens,
}: {
  store: SessionStore;
  tokens: TokenService;
}) {
  return new Hono<SandboxEnv>()
    .get('/status/order/:orderRef', requireRole(tokens, ACCESS.readOrderStatus), (c) =>
      ok(c, store.getOrderByRef(c.req.param('orderRef'))),
    )
    .get('/status/:code', requireRole(tokens, ACCESS.readOrderStatus), (c) =>
      ok(c, store.getOrder(c.req.param('code'))),
    );
}
