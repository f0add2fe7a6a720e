import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** A payment event as the BFF forwards it to the merchant, signed per Standard Webhooks. */
export interface PaymentEvent {
  id: string;
  type: string;
  receivedAt: string;
  data: Record<string, unknown>;
}

/**
 * The shop's side of the BFF's payment webhooks: verifies each delivery's signature with the
 * shared secret and keeps the last events, deduplicated by `webhook-id` (a retried delivery
 * carries the same id), as a real shop would before marking an order paid.
 */
export class MerchantOrders {
  readonly #webhook: Webhook | undefined;
  readonly #events = new Map<string, PaymentEvent>();
  readonly #limit: number;

  constructor(secret: string | undefined, limit = 500) {
    this.#webhook = secret ? new Webhook(secret) : undefined;
    this.#limit = limit;
  }

  /** Verifies and records one delivery. Throws `WebhookVerificationError` when it is not genuine. */
  receive(payload: string, headers: Headers, now = new Date()): PaymentEvent {
    if (!this.#webhook) throw new WebhookVerificationError('No webhook secret configured');
    const parsed = this.#webhook.verify(payload, {
      'webhook-id': headers.get('webhook-id') ?? '',
      'webhook-timestamp': headers.get('webhook-timestamp') ?? '',
      'webhook-signature': headers.get('webhook-signature') ?? '',
    }) as { type?: unknown; data?: unknown };
    const id = headers.get('webhook-id') ?? '';
    const known = this.#events.get(id);
    if (known) return known;
    const event: PaymentEvent = {
      id,
      type: typeof parsed.type === 'string' ? parsed.type : 'unknown',
      receivedAt: now.toISOString(),
      data: isRecord(parsed.data) ? parsed.data : {},
    };
    this.#events.set(id, event);
    if (this.#events.size > this.#limit) {
      const oldest = this.#events.keys().next().value;
      if (oldest !== undefined) this.#events.delete(oldest);
    }
    return event;
  }

  /** Newest first. */
  list(): PaymentEvent[] {
    return [...this.#events.values()].reverse();
  }

  /** The events recorded for one order reference. */
  forOrder(orderRef: string): PaymentEvent[] {
    return this.list().filter((event) => event.data.orderRef === orderRef);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export { WebhookVerificationError };
