import { Hono } from 'hono';
import type { BffEnv } from '../app-env.js';
import { BODY_LIMIT_BYTES } from '../body-limit.js';
import { ProblemError } from '../problems/problem-error.js';
import { type BodyReader, readBodyText } from '../runtime/body-reader.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import type { PaymentEvents } from '../webhooks/payment-events.js';
import { webhookBody } from './api-schemas.js';

export interface WebhookRoutesOptions {
  events: PaymentEvents;
  readBody?: BodyReader | undefined;
}

/**
 * `POST /webhooks/payment`: re-reads the order and records its event in the outbox, then answers
 * 202. The callback is acknowledged only once what it announced is stored: while the order cannot
 * be read or the outbox cannot be written, it is refused with a 503 and `Retry-After`, so the
 * gateway sends it again (and reconciliation reads the order later whatever happens).
 */
export function webhookRoutes({ events, readBody }: WebhookRoutesOptions) {
  return new Hono<BffEnv>().post('/webhooks/payment', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await readBodyText(c, readBody, BODY_LIMIT_BYTES)) as unknown;
    } catch (cause) {
      if (cause instanceof ProblemError) throw cause;
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
