import { createRoute, z } from '@hono/zod-openapi';
import { PROBLEM_BASE } from '../problems/problem-types.js';

/**
 * The BFF's HTTP schemas: the same objects validate requests in the handlers and describe them
 * in `/openapi.json`, so the document cannot drift from what is enforced.
 */

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
    amount: z.string().openapi({ example: '4.50' }),
    currency: z.string().openapi({ example: 'EUR' }),
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

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

const receiptAuth = [{ receipt: [] }];

export const ROUTES = {
  createSession: createRoute({
    method: 'post',
    path: '/sessions',
    summary: 'Start a checkout for a catalog button',
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
      201: {
        description: 'Created',
        content: { 'application/json': { schema: sessionCreatedSchema } },
      },
      303: { description: 'Form post: redirect to the payment portal' },
      400: problem('Invalid request, price or URL'),
      403: problem('Foreign origin'),
      404: problem('Unknown button'),
      409: problem('Same Idempotency-Key still in progress'),
      413: problem('Body too large'),
      422: problem('Idempotency-Key reused with another body'),
      429: problem('Rate limited'),
      502: problem('Upstream error'),
      503: problem('Upstream unavailable'),
      504: problem('Upstream timeout'),
    },
  }),
  getSession: createRoute({
    method: 'get',
    path: '/sessions/{id}',
    summary: 'Shopper-safe status of a session',
    security: receiptAuth,
    request: { params: z.object({ id: sessionIdParam }) },
    responses: {
      200: {
        description: 'Status',
        content: { 'application/json': { schema: sessionStatusSchema } },
      },
      401: problem('Missing, invalid or expired receipt'),
      403: problem('Receipt for another session'),
      404: problem('Unknown session'),
    },
  }),
  cancelSession: createRoute({
    method: 'delete',
    path: '/sessions/{id}',
    summary: 'Cancel a session (its pending order)',
    security: receiptAuth,
    request: { params: z.object({ id: sessionIdParam }) },
    responses: {
      200: {
        description: 'Status after cancel',
        content: { 'application/json': { schema: sessionStatusSchema } },
      },
      401: problem('Missing, invalid or expired receipt'),
      403: problem('Receipt for another session or foreign origin'),
      404: problem('Unknown session'),
    },
  }),
  paymentWebhook: createRoute({
    method: 'post',
    path: '/webhooks/payment',
    summary: 'Upstream payment callback (re-verified upstream, never trusted)',
    description:
      'The order is read again from the upstream; a final state is recorded as a payment event in the outbox before the 202, then delivered to WEBHOOK_FORWARD_URL at least once.',
    request: { body: { content: { 'application/json': { schema: webhookBody } } } },
    responses: {
      202: {
        description: 'Acknowledged: the order was read again and any final state recorded',
        content: {
          'application/json': {
            schema: z.object({ status: z.literal('accepted') }).openapi('CallbackAccepted'),
          },
        },
      },
      400: problem('No usable code'),
      413: problem('Body too large'),
      503: problem(
        'The order cannot be read again, or the outbox cannot store the event; send the callback again (Retry-After)',
      ),
    },
  }),
  script: createRoute({
    method: 'get',
    path: '/buy-button.js',
    summary: 'The <buy-button> script-tag bundle',
    responses: {
      200: { description: 'JavaScript', content: { 'text/javascript': { schema: z.string() } } },
      304: { description: 'Not modified' },
      503: problem('Bundle not built'),
    },
  }),
  healthz: createRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Process is up',
    responses: { 200: { description: 'Up' } },
  }),
  readyz: createRoute({
    method: 'get',
    path: '/readyz',
    summary: 'Upstream reachable and a token obtainable; the outbox figures',
    responses: {
      200: {
        description: 'Ready',
        content: {
          'application/json': {
            schema: z
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
          },
        },
      },
      503: problem('Not ready: no token, no upstream, or the shared store does not answer'),
    },
  }),
} as const;
