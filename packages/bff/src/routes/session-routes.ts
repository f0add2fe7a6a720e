import type { CreateSessionRequest } from '@buy-button/element/wire';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import type { BffEnv } from '../app-env.js';
import { BODY_LIMIT_BYTES } from '../body-limit.js';
import type { CheckoutService } from '../checkout/checkout-service.js';
import { IdempotencyGuard } from '../checkout/idempotency.js';
import { ProblemError } from '../problems/problem-error.js';
import { wantsHtml } from '../problems/problem-response.js';
import { type BodyReader, readBodyText } from '../runtime/body-reader.js';
import { sessionIdParam } from './api-schemas.js';
import {
  type CreateSessionHandler,
  checkoutOnce,
  isJsonCreate,
  JSON_CONTENT,
  parseCreateJson,
  parseCreateRequest,
} from './create-session-handler.js';

export interface SessionRoutesOptions {
  checkout: CheckoutService;
  idempotency: IdempotencyGuard;
  /** Run before creating (origin check, rate limit), in order. */
  createGuards: MiddlewareHandler<BffEnv>[];
  /** Reads request bodies (see `BodyReader`). */
  readBody?: BodyReader | undefined;
  /** Run before cancel (origin check). */
  cancelGuards: MiddlewareHandler<BffEnv>[];
}

const URLENCODED = /^application\/x-www-form-urlencoded\b/i;
const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i;

/** `POST /sessions`, `GET /sessions/:id`, `DELETE /sessions/:id`. */
export function sessionRoutes({
  checkout,
  idempotency,
  createGuards,
  cancelGuards,
  readBody,
}: SessionRoutesOptions) {
  const app = new Hono<BffEnv>();
  // Answers hold receipts: no cache anywhere may keep them. Set on the finished response's
  // headers (not `c.header`, which would make the Node adapter rebuild the response).
  const noStore: MiddlewareHandler<BffEnv> = async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  };
  app.use('/sessions', noStore);
  app.use('/sessions/*', noStore);

  const create = checkoutOnce({ checkout, idempotency });
  app.post('/sessions', every(...createGuards), async (c) => {
    const key = IdempotencyGuard.parseKey(c.req.header('idempotency-key'));
    const request = await readCreateRequest(c, readBody);
    const created = await create(key, request, c.get('requestOrigin'));
    if (wantsHtml(c)) return c.redirect(created.redirectUrl, 303);
    return c.json(created, 201);
  });

  app.get('/sessions/:id', async (c) => {
    const orderRef = await checkout.authorize(bearer(c));
    return c.json(await checkout.readStatus(sessionId(c), orderRef), 200);
  });

  app.delete('/sessions/:id', every(...cancelGuards), async (c) => {
    const orderRef = await checkout.authorize(bearer(c));
    return c.json(await checkout.cancel(sessionId(c), orderRef), 200);
  });

  return app;
}

/**
 * `handler` (the element's JSON checkout) as the app's first route: it answers the requests
 * `isJsonCreate` accepts and hands every other `POST /sessions` on to the middleware and the
 * route above. The answer's plain header record is written by the Node adapter without building
 * `Headers`.
 */
export function jsonCreateRoute(
  handler: CreateSessionHandler,
  clientIp: (c: Context) => string,
  readBody: BodyReader | undefined,
): MiddlewareHandler<BffEnv> {
  return async function jsonCreate(c, next) {
    const header = (name: string) => c.req.header(name);
    if (!isJsonCreate(header)) return next();
    const answer = await handler({
      header,
      clientIp: () => clientIp(c),
      readBody: (limit) => readBodyText(c, readBody, limit),
    });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
}

/** The body as JSON or as a form; any other media type is a 415. */
async function readCreateRequest(
  c: Context,
  readBody: BodyReader | undefined,
): Promise<CreateSessionRequest> {
  const contentType = c.req.header('content-type') ?? '';
  if (JSON_CONTENT.test(contentType)) {
    return parseCreateJson(await readBodyText(c, readBody, BODY_LIMIT_BYTES));
  }
  if (wantsHtml(c)) {
    const form = URLENCODED.test(contentType)
      ? Object.fromEntries(new URLSearchParams(await readBodyText(c, readBody, BODY_LIMIT_BYTES)))
      : await c.req.parseBody();
    const fields: Record<string, unknown> = {};
    // Forms send every field, empty or not: an empty field means "not given".
    for (const [name, value] of Object.entries(form)) {
      if (typeof value !== 'string') {
        throw new ProblemError('invalidRequest', {
          errors: [{ field: name, message: 'must be text' }],
        });
      }
      if (value !== '') fields[name] = value;
    }
    return parseCreateRequest(fields);
  }
  throw new ProblemError('unsupportedMediaType', {
    detail: 'Send application/json or application/x-www-form-urlencoded.',
  });
}

function bearer(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  const match = BEARER.exec(header);
  // A malformed header is a bad receipt, not a missing one.
  return match?.[1] ?? '';
}

function sessionId(c: Context): string {
  const id = sessionIdParam.safeParse(c.req.param('id'));
  if (!id.success) throw new ProblemError('sessionNotFound');
  return id.data;
}
