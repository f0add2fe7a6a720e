import { Webhook } from 'standardwebhooks';
import type { HttpTransport } from '../runtime/http-transport.js';

export interface WebhookForwarderOptions {
  /** `WEBHOOK_FORWARD_URL`. */
  url: string;
  /** `WEBHOOK_SECRET`, then `WEBHOOK_PREVIOUS_SECRET` while receivers rotate. */
  secrets: readonly string[];
  transport: HttpTransport;
  /** `WEBHOOK_TIMEOUT_MS`: an answer later than this is a failed attempt, whatever it says. */
  timeoutMs: number;
  now: () => number;
}

/** One delivery attempt: the shop's status, or why no answer came (the error's message). */
export type DeliveryResult = { ok: boolean; status: number } | { ok: false; error: string };

/**
 * Sends events to the merchant signed per Standard Webhooks: `webhook-id` (stable, so the
 * merchant can deduplicate retries), `webhook-timestamp`, and one `v1,` signature per secret
 * (two during a rotation, so receivers holding either secret verify). Each attempt is signed
 * with its own timestamp, as receivers refuse stale ones. Only a 2xx counts as delivered; a
 * redirect is not followed (a signed event goes only where it was configured to go).
 */
export class WebhookForwarder {
  readonly #o: WebhookForwarderOptions;
  readonly #signers: Webhook[];

  constructor(options: WebhookForwarderOptions) {
    this.#o = options;
    this.#signers = options.secrets.map((secret) => new Webhook(secret));
  }

  async send(id: string, payload: string): Promise<DeliveryResult> {
    const { url, transport, timeoutMs, now } = this.#o;
    const timestamp = new Date(now());
    const signature = this.#signers.map((signer) => signer.sign(id, timestamp, payload)).join(' ');
    try {
      const { status } = await transport({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'buy-button-bff',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: payload,
        timeoutMs,
      });
      return { ok: status >= 200 && status < 300, status };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }
}
