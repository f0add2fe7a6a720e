import type { CreateSessionRequest, SessionCreated } from '@buy-button/element/wire';
import type { z } from 'zod';
import type { CheckoutService } from '../checkout/checkout-service.js';
import { checkoutFingerprint, IdempotencyGuard } from '../checkout/idempotency.js';
import type { PageOriginCheck } from '../middleware/origin-guard.js';
import type { RateLimiter } from '../middleware/rate-limit.js';
import { SECURITY_HEADERS } from '../middleware/security-headers.js';
import { type FieldProblem, ProblemError } from '../problems/problem-error.js';
import { loggedProblem } from '../problems/problem-response.js';
import type { Logger } from '../runtime/logger.js';
import { createSessionBody } from './api-schemas.js';

/** What creating a session reads of an HTTP request, whichever server received it. */
export interface CreateCall {
  /** A request header by its lowercase name. */
  header(name: string): string | undefined;
  /** The address the rate limit counts against. */
  clientIp(): string;
  /** The body as text; rejects with a 413 problem past `limit` bytes. */
  readBody(limit: number): Promise<string>;
}

/** A finished answer: lowercase header names, a text body. */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type CreateSessionHandler = (call: CreateCall) => Promise<PlainAnswer>;

export interface CreateSessionHandlerOptions {
  checkout: CheckoutService;
  idempotency: IdempotencyGuard;
  checkOrigin: PageOriginCheck;
  /** Absent with `RATE_LIMIT=0`. */
  rateLimit?: RateLimiter | undefined;
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

/** JSON, including `+json` types. */
export const JSON_CONTENT = /^application\/(?:[\w.+-]*\+)?json\b/i;
const REQUEST_ID = /^[\w\-=]{1,255}$/;

/**
 * Whether `createSessionHandler` takes this `POST /sessions`: a JSON body of declared length, the
 * element's request. Forms (JavaScript off) and chunked bodies go through the app's routes.
 */
export function isJsonCreate(header: (name: string) => string | undefined): boolean {
  return (
    header('content-length') !== undefined &&
    header('transfer-encoding') === undefined &&
    JSON_CONTENT.test(header('content-type') ?? '')
  );
}

/**
 * `POST /sessions` with a JSON body, as one function of the request: the request id, CORS, size
 * limit, origin check, rate limit, Idempotency-Key, checkout, `no-store`, security headers and
 * the access log line, with the same outcome as the app's middleware would give (headers,
 * problems, log). The element's checkout is the BFF's hot path: answered this way it costs no
 * middleware chain, and the Node entry serves it straight from `node:http` without building Fetch
 * `Request`/`Response` objects. Never rejects: failures are problem answers.
 */
export function createSessionHandler(options: CreateSessionHandlerOptions): CreateSessionHandler {
  const { checkOrigin, rateLimit, log, maxSize } = options;
  const create = checkoutOnce(options);
  const clock = options.clock ?? (() => performance.now());
  const allowed = new Set(options.allowedOrigins);
  const expose = options.exposeHeaders.join(',');
  const security: Record<string, string> = {};
  for (const [name, value] of SECURITY_HEADERS) security[name.toLowerCase()] = value;

  return async function createSession(call) {
    const start = clock();
    const incomingId = call.header('x-request-id');
    const requestId =
      incomingId !== undefined && REQUEST_ID.test(incomingId) ? incomingId : crypto.randomUUID();
    const origin = call.header('origin');
    const headers: Record<string, string> = { 'x-request-id': requestId, vary: 'Origin' };
    if (origin !== undefined && allowed.has(origin)) {
      headers['access-control-allow-origin'] = origin;
      headers['access-control-expose-headers'] = expose;
    }
    let status = 201;
    let body: string;
    try {
      if (Number(call.header('content-length')) > maxSize) {
        throw new ProblemError('bodyTooLarge', {
          detail: `Bodies are limited to ${maxSize} bytes.`,
        });
      }
      const pageOrigin = checkOrigin(
        origin,
        call.header('referer'),
        call.header('content-type') ?? '',
      );
      if (rateLimit !== undefined) await rateLimit(call.clientIp());
      const key = IdempotencyGuard.parseKey(call.header('idempotency-key'));
      const request = parseCreateJson(await call.readBody(maxSize));
      body = JSON.stringify(await create(key, request, pageOrigin));
      headers['content-type'] = 'application/json';
    } catch (err) {
      const problem = loggedProblem(err, log, requestId);
      status = problem.status;
      body = JSON.stringify(problem.toProblem());
      for (const [name, value] of Object.entries(problem.headers)) {
        headers[name.toLowerCase()] = value;
      }
      headers['content-type'] = 'application/problem+json';
    }
    headers['cache-control'] = 'no-store';
    Object.assign(headers, security);
    log({
      level: 'info',
      msg: 'request',
      method: 'POST',
      path: '/sessions',
      status,
      durationMs: Math.round((clock() - start) * 100) / 100,
      requestId,
    });
    return { status, headers, body };
  };
}

/**
 * Creates the checkout session, once per Idempotency-Key (`key`) when there is one: what
 * `POST /sessions` does after its checks, whichever route took the request.
 */
export function checkoutOnce({
  checkout,
  idempotency,
}: Pick<CreateSessionHandlerOptions, 'checkout' | 'idempotency'>) {
  return (
    key: string | undefined,
    request: CreateSessionRequest,
    pageOrigin: string | undefined,
  ): Promise<SessionCreated> => {
    const create = () => checkout.createCheckoutSession(request, pageOrigin);
    return key === undefined
      ? create()
      : idempotency.run(key, checkoutFingerprint(request, pageOrigin), create);
  };
}

/** A JSON create request, checked; 400 problems say what is wrong. */
export function parseCreateJson(text: string): CreateSessionRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ProblemError('malformedBody', { detail: 'The body is not valid JSON.', cause });
  }
  return parseCreateRequest(raw);
}

/** A create request (parsed JSON or form fields) checked against `createSessionBody`. */
export function parseCreateRequest(raw: unknown): CreateSessionRequest {
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
