import { Hono } from 'hono';
import { z } from 'zod';
import { ok, parseJsonBody } from './envelope.js';
import { requireRole } from './require-role.js';
import { ACCESS } from './roles.js';
import type { SandboxEnv } from './sandbox-env.js';
import { optionalString, requiredString } from './schema-helpers.js';
import type { SessionStore } from './session-store.js';
import type { TokenService } from './token-service.js';

const httpUrl = (max?: number) => {
  const url = z
    .string({ error: 'must be a string' })
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      error: 'must be an absolute http(s) URL',
    });
  return max === undefined
    ? url
    : url.refine((value) => value.length <= max, { error: `must be at most ${max} characters` });
};

/** The seed's create body: field names, lengths and types as documented. */
export const createSessionBody = z.object({
  button: requiredString(),
  orderRef: requiredString()
    .min(6, { error: 'must be at least 6 characters' })
    .max(100, { error: 'must be at most 100 characters' }),
  conversionCode: z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .optional(),
  callbackUrl: httpUrl().optional(),
  cancelUrl: httpUrl(256).optional(),
  returnUrl: httpUrl(256).optional(),
  price: z.union([z.string(), z.number()], { error: 'must be a string or a number' }).optional(),
  currency: optionalString(),
  buttonName: optionalString(),
});

export interface SessionRoutesOptions {
  store: SessionStore;
  tokens: TokenService;
  /** Base of `paymentUrl`; `undefined` means the origin the request came to. */
  publicUrl: string | undefined;
}

export function sessionRoutes({ store, tokens, publicUrl }: SessionRoutesOptions) {
  return new Hono<SandboxEnv>()
    .post('/', requireRole(tokens, ACCESS.createSession), async (c) => {
      const body = await parseJsonBody(c, createSessionBody);
      const { session } = store.createSession(body, publicUrl ?? new URL(c.req.url).origin);
      // The seed documents 200 "Session created" (not 201), for new and resumed sessions alike.
      return ok(c, session, 200);
    })
    .get('/conversion/:code', requireRole(tokens, ACCESS.readSession), (c) =>
      ok(c, store.getSessionByCode(c.req.param('code'))),
    )
    .get('/:id', requireRole(tokens, ACCESS.readSession), (c) =>
      ok(c, store.getSession(c.req.param('id'))),
    )
    .delete('/:id', requireRole(tokens, ACCESS.deleteSession), (c) =>
      ok(c, store.deleteSession(c.req.param('id'))),
    );
}
