import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import { PROBLEM_BASE } from '../problems/problem-types.js';

/**
 * The BFF's HTTP schemas: the same objects validate requests in the handlers and describe them
 * in `/openapi.json`, so the document cannot drift from what is enforced.
 */

/** The shop's own reference: what fits in its URLs and logs without escaping. */
export const REFERENCE = /^[A-Za-z0-9._:-]{1,64}$/;

export const createSessionBody = z
  .object({
    button: z.string().min(1).max(64).openapi({ example: 'btn_coffee' }),
    price: z
      .string()
      .max(32)
      .optional()
      .openapi({ description: 'Open-price buttons only; a plain decimal.', example: '12.50' }),
    currency: z.string().max(8).optional().openapi({ example: 'EUR' }),
    buttonName: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: 'Ignored: the catalog name is used.' }),
    returnUrl: z.string().max(2048).optional().openapi({
      description:
        'Absolute, or relative to the page origin; on ALLOWED_REDIRECT_ORIGINS; may hold {ORDER_REF} and {RECEIPT}.',
      example: '/return?order={ORDER_REF}&receipt={RECEIPT}',
    }),
    cancelUrl: z.string().max(2048).optional(),
    locale: z.string().max(35).optional().openapi({ example: 'fr-FR' }),
    quantity: z.number().int().min(1).optional().openapi({
      description: "Units bought, 1 to the button's maxQuantity (default 1); a JSON number.",
      example: 2,
    }),
    reference: z
      .string()
      .regex(REFERENCE, { error: 'must be 1 to 64 of A-Z, a-z, 0-9, ".", "_", ":" and "-"' })
      .optional()
      .openapi({
        description:
          "The shop's own reference (cart, order or customer id), returned by the status and in the payment event; never sent upstream.",
        example: 'cart-2041',
      }),
  })
  .openapi('CreateSessionRequest');

export const sessionCreatedSchema = z
  .object({
    sessionId: z.string(),
    orderRef: z.string(),
    conversionCode: z.string(),
    redirectUrl: z.string().openapi({ example: 'https://pay.lyzi.io/pay?code=ABC123' }),
    receipt: z
      .string()
      .openapi({ description: 'Bearer token for GET/DELETE of this session only.' }),
  })
  .openapi('SessionCreated');

export const sessionStatusSchema = z
  .object({
    sessionId: z.string(),
    orderRef: z.string(),
    status: z.enum(['pending', 'paid', 'expired', 'canceled', 'error']),
    amount: z.string().openapi({ example: '9.00' }),
    currency: z.string().openapi({ example: 'EUR' }),
    quantity: z.int().openapi({ example: 2 }),
    reference: z.string().optional().openapi({ example: 'cart-2041' }),
  })
  .openapi('SessionStatus');

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: `${PROBLEM_BASE}price-out-of-range` }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const sessionIdParam = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/)
  .openapi({ param: { name: 'id', in: 'path' }, description: 'Session id or orderRef' });

/** The callback body: only `code` is read, everything else is ignored. */
export const webhookBody = z.looseObject({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
});

/** The small HTML page a refused form post (JavaScript off) gets, with the same status. */
export const problemPageSchema = z.string().openapi('ProblemPage', {
  description:
    'A form post (application/x-www-form-urlencoded or multipart/form-data) is refused with a small HTML page for the shopper, with the same status and title as the problem.',
  example: '<!doctype html><html lang="en">…<h1>This button is not sold here</h1>…</html>',
});

/** Response headers the BFF sets on some answers. */
const HEADERS = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 1 },
  },
  'WWW-Authenticate': {
    description: 'The receipt is a Bearer token.',
    schema: { type: 'string', example: 'Bearer error="invalid_token"' },
  },
} as const;
type HeaderName = keyof typeof HEADERS;

/** An `application/problem+json` answer (RFC 9457); undefined `headers` stay out of the document. */
const problem = (description: string, header?: HeaderName) => ({
  description,
  headers: header === undefined ? undefined : { [header]: HEADERS[header] },
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** A refusal of `POST /sessions`: problem+json, or the HTML page when the body was a form. */
const formProblem = (description: string, header?: HeaderName) => {
  const answer = problem(`${description} (a form post gets the HTML page)`, header);
  return { ...answer, content: { ...answer.content, 'text/html': { schema: problemPageSchema } } };
};

/** What any route may answer when something breaks that should not. */
const INTERNAL = 'Internal error: a bug, logged under the X-Request-Id';

/** What every call that reads the upstream may answer when it fails. */
const upstreamFailures = (answer: typeof problem) => ({
  502: answer('The payment API failed, refused the credential, or answered something unreadable'),
  503: answer(
    'The payment API is unavailable (upstream-unavailable), or the shared store is (store-unavailable, with Retry-After)',
    'Retry-After',
  ),
  504: answer('The payment API did not answer in time'),
});

const receiptAuth = [{ receipt: [] }];

/** An operation: public unless it names its `security`; a 500 problem unless it describes its own. */
const route = (config: RouteConfig) =>
  createRoute({
    security: [],
    ...config,
    responses: { 500: problem(INTERNAL), ...config.responses },
  });

/** The script, its map: loadable from any page, cached 5 minutes then revalidated. */
const cacheable = {
  ETag: {
    description: 'Strong tag of this representation: each content coding has its own.',
    schema: { type: 'string' },
    required: true,
  },
  'Cache-Control': { schema: { type: 'string', example: 'public, max-age=300' } },
} as const;

/** A JSON answer; the script's files add their cache headers. */
const json = (description: string, schema: z.ZodType, headers?: typeof cacheable) => ({
  description,
  headers,
  content: { 'application/json': { schema } },
});

/** The script's answers depend on `Accept-Encoding`. */
const varies = {
  Vary: { schema: { type: 'string', const: 'Accept-Encoding' }, required: true },
} as const;

/** What `GET` and `DELETE /sessions/{id}` both may answer; `verb` names the upstream call. */
const receiptCallFailures = (verb: string) => ({
  400: problem(`The payment API refused the ${verb} as invalid`),
  401: problem('Missing, invalid or expired receipt', 'WWW-Authenticate'),
  404: problem('Unknown session'),
  429: problem('Over 60 reads and cancels a minute for this receipt', 'Retry-After'),
  ...upstreamFailures(problem),
});

/** What the source map and the message files answer besides their 200. */
const bundleFileAnswers = (notFound: string) => ({
  304: { description: 'Not modified', headers: cacheable },
  404: problem(notFound),
  503: problem('Bundle not built'),
});

export const ROUTES: Record<string, RouteConfig> = {
  createSession: route({
    method: 'post',
    path: '/sessions',
    operationId: 'createSession',
    summary: 'Start a checkout for a catalog button',
    description:
      'A JSON call gets 201 and the session. A form post (the element without JavaScript) gets 303 to the payment portal, and its refusals as an HTML page.',
    request: {
      headers: z.object({ 'idempotency-key': z.string().max(255).optional() }),
      body: {
        required: true,
        content: {
          'application/json': { schema: createSessionBody },
          'application/x-www-form-urlencoded': { schema: createSessionBody },
        },
      },
    },
    responses: {
      201: json('Created', sessionCreatedSchema),
      303: {
        description: 'Form post: redirect to the payment portal',
        headers: {
          Location: {
            description: 'The payment portal, `PORTAL_URL?code=<conversionCode>`',
            schema: { type: 'string', format: 'uri' },
            required: true,
          },
        },
      },
      400: formProblem('Invalid request, body, price, URL or Idempotency-Key'),
      403: formProblem('Foreign origin, hidden origin, or a form post without Origin or Referer'),
      404: formProblem('Unknown button'),
      409: problem('Same Idempotency-Key still in progress on another instance', 'Retry-After'),
      413: formProblem('Body over 16 KB'),
      415: problem('Neither JSON nor a form'),
      422: problem('Idempotency-Key reused with another request'),
      429: formProblem('Over RATE_LIMIT for this client', 'Retry-After'),
      ...upstreamFailures(formProblem),
      500: formProblem(INTERNAL),
    },
  }),
  getSession: route({
    method: 'get',
    path: '/sessions/{id}',
    operationId: 'getSessionStatus',
    summary: 'Shopper-safe status of a session',
    security: receiptAuth,
    request: { params: z.object({ id: sessionIdParam }) },
    responses: {
      200: json('Status', sessionStatusSchema),
      403: problem('Receipt for another session'),
      ...receiptCallFailures('read'),
    },
  }),
  cancelSession: route({
    method: 'delete',
    path: '/sessions/{id}',
    operationId: 'cancelSession',
    summary: 'Cancel a session (its pending order)',
    security: receiptAuth,
    request: { params: z.object({ id: sessionIdParam }) },
    responses: {
      200: json('Status after cancel', sessionStatusSchema),
      403: problem('Receipt for another session, or foreign origin'),
      413: problem('Body over 16 KB'),
      ...receiptCallFailures('cancel'),
    },
  }),
  paymentWebhook: route({
    method: 'post',
    path: '/webhooks/payment',
    operationId: 'receivePaymentCallback',
    summary: 'Upstream payment callback (re-verified upstream, never trusted)',
    description:
      'The order is read again from the upstream; a final state is recorded as a payment event in the outbox before the 202, then delivered to WEBHOOK_FORWARD_URL at least once.',
    request: { body: { content: { 'application/json': { schema: webhookBody } } } },
    responses: {
      202: json(
        'Acknowledged: the order was read again and any final state recorded',
        z.object({ status: z.literal('accepted') }).openapi('CallbackAccepted'),
      ),
      400: problem('No usable code'),
      413: problem('Body over 16 KB'),
      429: problem('Over CALLBACK_RATE_LIMIT for this client', 'Retry-After'),
      503: problem(
        'The order cannot be read again, or the outbox cannot store the event; send the callback again',
        'Retry-After',
      ),
    },
  }),
  script: route({
    method: 'get',
    path: '/buy-button.js',
    operationId: 'getScript',
    summary: 'The <buy-button> script-tag bundle',
    description:
      'Precompressed per Accept-Encoding (br, then gzip, q-values honoured; identity otherwise), with Vary: Accept-Encoding and an ETag per representation.',
    responses: {
      200: {
        description: 'JavaScript',
        headers: {
          ...cacheable,
          'Content-Encoding': {
            description: 'br or gzip when the client accepts it; absent for the plain script',
            schema: { type: 'string', enum: ['br', 'gzip'] },
          },
          ...varies,
        },
        content: { 'text/javascript': { schema: z.string() } },
      },
      304: {
        description: 'Not modified: If-None-Match names the tag of the representation chosen',
        headers: { ...cacheable, ...varies },
      },
      503: problem('Bundle not built'),
    },
  }),
  scriptMap: route({
    method: 'get',
    path: '/buy-button.js.map',
    operationId: 'getScriptSourceMap',
    summary: 'The source map the bundle names',
    responses: {
      200: json(
        'Source map (revision 3)',
        z.looseObject({ version: z.literal(3), mappings: z.string() }).openapi('SourceMap'),
        cacheable,
      ),
      ...bundleFileAnswers('The bundle came without a map (and names none)'),
    },
  }),
  scriptMessages: route({
    method: 'get',
    path: '/buy-button.{lang}.json',
    operationId: 'getScriptMessages',
    summary: "The element's messages in a language it loads on demand (de, es, it, nl, pt)",
    request: {
      params: z.object({
        lang: z
          .string()
          .regex(/^[a-z]{2}$/)
          .openapi({ param: { name: 'lang', in: 'path' }, example: 'de' }),
      }),
    },
    responses: {
      200: json(
        'Message id → text',
        z.record(z.string(), z.string()).openapi('ElementMessages'),
        cacheable,
      ),
      ...bundleFileAnswers('No such language'),
    },
  }),
  healthz: route({
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    summary: 'Process is up',
    responses: {
      200: json('Up', z.object({ status: z.literal('ok') }).openapi('Health')),
    },
  }),
  readyz: route({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Upstream reachable and a token obtainable; the outbox figures',
    responses: {
      200: json(
        'Ready',
        z
          .object({
            status: z.literal('ready'),
            outbox: z.object({
              pending: z.int().openapi({ description: 'Events not yet delivered' }),
              failed: z.int().openapi({ description: 'Events kept after the retry window' }),
              oldestPendingAgeMs: z.int(),
              ordersWatched: z
                .int()
                .openapi({ description: 'Orders to read again (reconciliation)' }),
            }),
          })
          .openapi('Readiness'),
      ),
      503: problem('Not ready: no token, no upstream, or the shared store does not answer'),
    },
  }),
  openapi: route({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    responses: {
      200: json(
        'OpenAPI 3.1',
        z
          .looseObject({
            openapi: z.string().regex(/^3\.1\.\d+$/),
            info: z.looseObject({ title: z.string(), version: z.string() }),
            paths: z.record(z.string(), z.unknown()),
          })
          .openapi('OpenApiDocument'),
      ),
    },
  }),
};
