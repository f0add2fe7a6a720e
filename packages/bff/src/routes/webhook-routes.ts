import { Hono, type MiddlewareHandler } from 'hono';
import type { BffEnv } from '../app-env.js';
import { ProblemError } from '../problems/problem-error.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import type { PaymentEvents } from '../webhooks/payment-events.js';
import { webhookBody } from './api-schemas.js';

export interface WebhookRoutesOptions {
  events: PaymentEvents;
  /** Run first (the per-client rate limit: each callback costs an upstream read). */
  guards: MiddlewareHandler<BffEnv>[];
}

/**
 * `POST /webhooks/payment`: re-reads the order and records its event in the outbox, then answers
 * 202. The callback is acknowledged only once what it announced is stored: while the order cannot
 * be read or the outbox cannot be written, it is refused with a 503 and `Retry-After`, so the
 * gateway sends it again (and reconciliation reads the order later whatever happens).
 */
export function webhookRoutes({ events, guards }: WebhookRoutesOptions) {
  const app = new Hono<BffEnv>();
  for (const guard of guards) app.post('/webhooks/payment', guard);
  return app.post('/webhooks/payment', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text()) as unknown;
    } catch (cause) {
      throw new ProblemError('invalidWebhook', { detail: 'The body is not JSON.', cause });
    }
    const parsed = webhookBody.safeParse(body);
    if (!parsed.success) throw new ProblemError('invalidWebhook');
    try {
      await events.handleCallback(parsed.data.code);
    } catch (cause) {
      if (cause instanceof UpstreamError) {
        throw new ProblemError('upstreamUnavailable', {
          detail: 'The order cannot be read again right now; send the callback again.',
          cause,
          headers: { 'Retry-After': '5' },
        });
      }
      // A store outage (`STORE_UNAVAILABLE`) becomes a 503 `store-unavailable` at the edge.
      throw cause;
    }
    return c.json({ status: 'accepted' }, 202);
  });
}
