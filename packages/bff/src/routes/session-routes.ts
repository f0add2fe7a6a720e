import type { CreateSessionRequest, SessionCreated } from '@buy-button/element/wire';
import { type Context, Hono, type MiddlewareHandler, type Next } from 'hono';
import { every } from 'hono/combine';
import type { z } from 'zod';
import type { BffEnv } from '../app-env.js';
import { BODY_LIMIT_BYTES } from '../body-limit.js';
import type { CheckoutService } from '../checkout/checkout-service.js';
import { checkoutFingerprint, IdempotencyGuard } from '../checkout/idempotency.js';
import { applySecurityHeaders, SECURITY_HEADERS } from '../middleware/security-headers.js';
import { type FieldProblem, ProblemError } from '../problems/problem-error.js';
import { problemFromError, wantsHtml } from '../problems/problem-response.js';
import { type BodyReader, readBodyText } from '../runtime/body-reader.js';
import type { Logger } from '../runtime/logger.js';
import { createSessionBody, sessionIdParam } from './api-schemas.js';

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
const JSON_CONTENT = /^application\/(?:[\w.+-]*\+)?json\b/i;
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

  const create = createSession({ checkout, idempotency, readBody });
  app.post('/sessions', every(...createGuards), async (c) => {
    const created = await create(c);
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
 * What `POST /sessions` does once the guards passed: the key, the body, the checkout (once per
 * Idempotency-Key). Shared by the route and by `createSessionFastPath`.
 */
function createSession({
  checkout,
  idempotency,
  readBody,
}: Pick<SessionRoutesOptions, 'checkout' | 'idempotency' | 'readBody'>) {
  return async (c: Context<BffEnv>): Promise<SessionCreated> => {
    const key = IdempotencyGuard.parseKey(c.req.header('idempotency-key'));
    const request = await readCreateRequest(c, readBody);
    const origin = c.get('requestOrigin');
    const create = () => checkout.createCheckoutSession(request, origin);
    return key === undefined
      ? create()
      : idempotency.run(key, checkoutFingerprint(request, origin), create);
  };
}

export interface CreateSessionFastPathOptions
  extends Pick<SessionRoutesOptions, 'checkout' | 'idempotency' | 'readBody' | 'createGuards'> {
  log: Logger;
  /** `ALLOWED_ORIGINS`: CORS headers for these. */
  allowedOrigins: readonly string[];
  /** `Access-Control-Expose-Headers` for them. */
  exposeHeaders: readonly string[];
  /** Largest body accepted, in bytes. */
  maxSize: number;
  /** High-resolution clock in ms, for the access log. Default `performance.now`. */
  clock?: () => number;
}

const REQUEST_ID = /^[\w\-=]{1,255}$/;
const noop = async () => {};

/**
 * `POST /sessions` with a JSON body of declared length, the element's request, in one handler:
 * the request id, CORS, size limit, guards, checkout, no-store, security headers and the access
 * log that the app's middleware and the route apply one layer each, with the same outcome
 * (headers, problems, log line). Registered before that middleware, it skips the layers and
 * answers with plain header records, which the Node adapter writes without building `Headers`.
 * Anything else (forms, chunked bodies, other media types) goes on to the layered route.
 */
export function createSessionFastPath(
  options: CreateSessionFastPathOptions,
): MiddlewareHandler<BffEnv> {
  const { log, maxSize } = options;
  const clock = options.clock ?? (() => performance.now());
  const create = createSession(options);
  const guards = every(...options.createGuards);
  const allowed = new Set(options.allowedOrigins);
  const expose = options.exposeHeaders.join(',');
  const security: Record<string, string> = {};
  for (const [name, value] of SECURITY_HEADERS) security[name.toLowerCase()] = value;

  return async function createSessionFastPath(c: Context<BffEnv>, next: Next) {
    const length = c.req.header('content-length');
    if (
      length === undefined ||
      c.req.header('transfer-encoding') !== undefined ||
      !JSON_CONTENT.test(c.req.header('content-type') ?? '')
    ) {
      return next();
    }
    const start = clock();
    const incomingId = c.req.header('x-request-id');
    const requestId =
      incomingId !== undefined && REQUEST_ID.test(incomingId) ? incomingId : crypto.randomUUID();
    c.set('requestId', requestId);
    const origin = c.req.header('origin');
    const cors = origin !== undefined && allowed.has(origin);

    let response: Response;
    try {
      if (Number(length) > maxSize) {
        throw new ProblemError('bodyTooLarge', {
          detail: `Bodies are limited to ${maxSize} bytes.`,
        });
      }
      await guards(c, noop);
      const body = JSON.stringify(await create(c));
      const headers: Record<string, string> = { 'x-request-id': requestId, vary: 'Origin' };
      if (cors) {
        headers['access-control-allow-origin'] = origin;
        headers['access-control-expose-headers'] = expose;
      }
      headers['content-type'] = 'application/json';
      headers['cache-control'] = 'no-store';
      response = new Response(body, { status: 201, headers: Object.assign(headers, security) });
    } catch (err) {
      response = problemFromError(err, c, log);
      const headers = response.headers;
      headers.set('X-Request-Id', requestId);
      headers.append('Vary', 'Origin');
      if (cors) {
        headers.set('Access-Control-Allow-Origin', origin);
        headers.set('Access-Control-Expose-Headers', expose);
      }
      headers.set('Cache-Control', 'no-store');
      applySecurityHeaders(headers);
    }
    log({
      level: 'info',
      msg: 'request',
      method: 'POST',
      path: '/sessions',
      status: response.status,
      durationMs: Math.round((clock() - start) * 100) / 100,
      requestId,
    });
    return response;
  };
}

/** The body as JSON or as a form; any other media type is a 415. */
async function readCreateRequest(
  c: Context,
  readBody: BodyReader | undefined,
): Promise<CreateSessionRequest> {
  const contentType = c.req.header('content-type') ?? '';
  let raw: unknown;
  if (JSON_CONTENT.test(contentType)) {
    const text = await readBodyText(c, readBody, BODY_LIMIT_BYTES);
    try {
      raw = JSON.parse(text) as unknown;
    } catch (cause) {
      throw new ProblemError('malformedBody', { detail: 'The body is not valid JSON.', cause });
    }
  } else if (wantsHtml(c)) {
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
    raw = fields;
  } else {
    throw new ProblemError('unsupportedMediaType', {
      detail: 'Send application/json or application/x-www-form-urlencoded.',
    });
  }
  const quick = quickCreateRequest(raw);
  if (quick !== undefined) return quick;
  const parsed = createSessionBody.safeParse(raw);
  if (!parsed.success) {
    throw new ProblemError('invalidRequest', { errors: fieldProblems(parsed.error.issues) });
  }
  return parsed.data;
}

type TextField = [name: string, min: number, max: number, optional: boolean];

/**
 * The fields of `createSessionBody` when each is a string with at most a length range (so a
 * hand check can follow the schema), else `undefined`.
 */
function textFields(schema: z.ZodObject): TextField[] | undefined {
  const fields: TextField[] = [];
  for (const [name, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const optional = field.def.type === 'optional';
    const inner = optional ? ((field as z.ZodOptional).unwrap() as z.ZodType) : field;
    if (inner.def.type !== 'string') return undefined;
    const text = inner as z.ZodString;
    for (const check of text.def.checks ?? []) {
      const kind = check._zod.def.check;
      if (kind !== 'min_length' && kind !== 'max_length') return undefined;
    }
    fields.push([name, text.minLength ?? 0, text.maxLength ?? Number.POSITIVE_INFINITY, optional]);
  }
  return fields;
}

const CREATE_FIELDS = textFields(createSessionBody);

/**
 * A create request the schema accepts, read by hand with the schema's own field list and
 * lengths, giving the schema's result; `undefined` otherwise, and zod says what is wrong.
 */
export function quickCreateRequest(raw: unknown): CreateSessionRequest | undefined {
  if (CREATE_FIELDS === undefined || typeof raw !== 'object' || raw === null) return undefined;
  if (Array.isArray(raw)) return undefined;
  const fields = raw as Record<string, unknown>;
  const request: Record<string, unknown> = {};
  for (const [name, min, max, optional] of CREATE_FIELDS) {
    if (!Object.hasOwn(fields, name)) {
      if (!optional) return undefined;
      continue;
    }
    const value = fields[name];
    if (value === undefined && optional) {
      request[name] = undefined;
      continue;
    }
    if (typeof value !== 'string' || value.length < min || value.length > max) return undefined;
    request[name] = value;
  }
  return request as unknown as CreateSessionRequest;
}

function fieldProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.map((issue) => ({
    field: issue.path.length === 0 ? 'body' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
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
