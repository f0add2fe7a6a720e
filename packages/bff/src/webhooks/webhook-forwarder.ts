import { Webhook } from 'standardwebhooks';
import type { HttpTransport } from '../runtime/http-transport.js';
import { describeError, type Logger } from '../runtime/logger.js';
import { backoffDelay, type Sleep } from '../runtime/timing.js';

export interface WebhookForwarderOptions {
  /** `WEBHOOK_FORWARD_URL`. */
  url: string;
  /** `WEBHOOK_SECRET`, then `WEBHOOK_PREVIOUS_SECRET` while receivers rotate. */
  secrets: readonly string[];
  transport: HttpTransport;
  timeoutMs: number;
  maxAttempts: number;
  now: () => number;
  sleep: Sleep;
  random: () => number;
  log: Logger;
}

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;

/**
 * Delivers events to the merchant signed per Standard Webhooks: `webhook-id` (stable, so the
 * merchant can deduplicate retries), `webhook-timestamp`, and one `v1,` signature per secret
 * (two during a rotation, so receivers holding either secret verify). Each attempt is re-signed
 * with its own timestamp, as receivers refuse stale ones.
 */
export class WebhookForwarder {
  readonly #o: WebhookForwarderOptions;
  readonly #signers: Webhook[];

  constructor(options: WebhookForwarderOptions) {
    this.#o = options;
    this.#signers = options.secrets.map((secret) => new Webhook(secret));
  }

  /** Resolves `true` once the merchant answered 2xx, `false` after the last failed attempt. */
  async send(id: string, payload: string): Promise<boolean> {
    const { url, transport, timeoutMs, maxAttempts, now, sleep, random, log } = this.#o;
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      if (attempt > 0) await sleep(backoffDelay(attempt, BACKOFF_BASE_MS, BACKOFF_CAP_MS, random));
      const timestamp = new Date(now());
      const signature = this.#signers
        .map((signer) => signer.sign(id, timestamp, payload))
        .join(' ');
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
        if (status >= 200 && status < 300) return true;
        log({
          level: 'warn',
          msg: 'webhook forward refused',
          webhookId: id,
          status,
          attempt: attempt + 1,
        });
      } catch (err) {
        log({
          level: 'warn',
          msg: 'webhook forward failed',
          webhookId: id,
          attempt: attempt + 1,
          error: describeError(err),
        });
      }
    }
    return false;
  }
}
