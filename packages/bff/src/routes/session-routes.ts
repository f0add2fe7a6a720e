import type { CreateSessionRequest } from '@buy-button/element/wire';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { BffEnv } from '../app-env.js';
import type { CheckoutService } from '../checkout/checkout-service.js';
import { checkoutFingerprint, IdempotencyGuard } from '../checkout/idempotency.js';
import type { RateLimiter } from '../middleware/rate-limit.js';
import { ProblemError } from '../problems/problem-error.js';
import { FORM_CONTENT, wantsHtml } from '../problems/problem-response.js';
import { createSessionBody, sessionIdParam } from './api-schemas.js';

export interface SessionRoutesOptions {
  checkout: CheckoutService;
  idempotency: IdempotencyGuard;
  /** Run before creating (origin check, rate limit), in order. */
  createGuards: MiddlewareHandler<BffEnv>[];
  /** Run before cancel (origin check). */
  cancelGuards: MiddlewareHandler<BffEnv>[];
  /** Counts the reads and cancels of one receipt's session (each costs an upstream call). */
  perReceipt: RateLimiter;
}

/** JSON, including `+json` types. */
const JSON_CONTENT = /^application\/(?:[\w.+-]*\+)?json\b/i;
const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i;

/** `POST /sessions`, `GET /sessions/:id`, `DELETE /sessions/:id`. */
export function sessionRoutes({
  checkout,
  idempotency,
  createGuards,
  cancelGuards,
  perReceipt,
}: SessionRoutesOptions) {
  const app = new Hono<BffEnv>();
  // Answers hold receipts: no cache anywhere may keep them. Set before the route runs, so the
  // header travels with whatever answers, problems included.
  app.use('/sessions/*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });

  for (const guard of createGuards) app.post('/sessions', guard);
  app.post('/sessions', async (c) => {
    const key = IdempotencyGuard.parseKey(c.req.header('idempotency-key'));
    const request = await readCreateRequest(c);
    const origin = c.get('requestOrigin');
    const create = () => checkout.createCheckoutSession(request, origin);
    const created =
      key === undefined
        ? await create()
        : await idempotency.run(key, checkoutFingerprint(request, origin), create);
    if (wantsHtml(c)) return c.redirect(created.redirectUrl, 303);
    return c.json(created, 201);
  });

  /** The orderRef the request's receipt grants, counted against that receipt's budget. */
  const authorized = async (c: Context) => {
    const orderRef = await checkout.authorize(bearer(c));
    await perReceipt(orderRef);
    return orderRef;
  };

  app.get('/sessions/:id', async (c) => {
    const orderRef = await authorized(c);
    return c.json(await checkout.readStatus(sessionId(c), orderRef), 200);
  });

  for (const guard of cancelGuards) app.delete('/sessions/:id', guard);
  app.delete('/sessions/:id', async (c) => {
    const orderRef = await authorized(c);
    return c.json(await checkout.cancel(sessionId(c), orderRef), 200);
  });

  return app;
}

/** The body as JSON or as a form (JavaScript off); any other media type is a 415. */
async function readCreateRequest(c: Context): Promise<CreateSessionRequest> {
  const contentType = c.req.header('content-type') ?? '';
  if (JSON_CONTENT.test(contentType)) {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch (cause) {
      throw new ProblemError('malformedBody', { detail: 'The body is not valid JSON.', cause });
    }
    return parseCreateRequest(raw);
  }
  if (FORM_CONTENT.test(contentType)) {
    let form: Record<string, string | File>;
    try {
      form = await c.req.parseBody();
    } catch (cause) {
      throw new ProblemError('malformedBody', { detail: 'The form cannot be read.', cause });
    }
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
    // A form's quantity is text; only whole numbers become one (anything else fails the schema).
    if (typeof fields.quantity === 'string' && /^\d{1,9}$/.test(fields.quantity)) {
      fields.quantity = Number(fields.quantity);
    }
    return parseCreateRequest(fields);
  }
  throw new ProblemError('unsupportedMediaType', {
    detail: 'Send application/json or application/x-www-form-urlencoded.',
  });
}

/** A create request (parsed JSON or form fields) checked against `createSessionBody`. */
function parseCreateRequest(raw: unknown): CreateSessionRequest {
  const parsed = createSessionBody.safeParse(raw);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({
    field: issue.path.length === 0 ? 'body' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new ProblemError('invalidRequest', { errors });
}

function bearer(c: Context): string | undefined {
  const header = c.req.header('authorization');
  // A malformed header is a bad receipt, not a missing one.
  return header === undefined ? undefined : (BEARER.exec(header)?.[1] ?? '');
}

function sessionId(c: Context): string {
  const id = sessionIdParam.safeParse(c.req.param('id'));
  if (!id.success) throw new ProblemError('sessionNotFound');
  return id.data;
}
