import type { PaymentStatus } from '@buy-button/element/wire';
import { isKnownState, paymentStatusOf } from '../checkout/payment-status.js';
import { describeError, type Logger } from '../runtime/logger.js';
import { reachStore, type SharedStore } from '../store/shared-store.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import type { WebhookForwarder } from './webhook-forwarder.js';

/** The event the merchant receives, signed, for each payment outcome. */
export interface PaymentEvent {
  type: `payment.${Exclude<PaymentStatus, 'pending'>}`;
  /** When the BFF observed the change, ISO 8601. */
  timestamp: string;
  data: {
    sessionId: string;
    orderRef: string;
    status: PaymentStatus;
    amount: string;
    currency: string;
    conversionCode: string;
  };
}

/** One (code, state) change is handled once for this long; upstream retries inside it are no-ops. */
const DEDUPE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface PaymentWebhookOptions {
  upstream: UpstreamClient;
  store: SharedStore;
  /** Undefined when `WEBHOOK_FORWARD_URL` is unset: events are only logged. */
  forwarder: WebhookForwarder | undefined;
  /** Only orders this BFF created (its orderRef format) produce events. */
  isOrderRef: (value: string) => boolean;
  now: () => number;
  log: Logger;
}

/**
 * Handles an upstream callback. The body is never believed: only its `code` is used, to re-read
 * the order from the upstream; the state read there is what counts. A forged "PAID" for a
 * pending order therefore reads "pending" and does nothing.
 */
export class PaymentWebhookHandler {
  readonly #o: PaymentWebhookOptions;

  constructor(options: PaymentWebhookOptions) {
    this.#o = options;
  }

  /**
   * Resolves when the store that deduplicates changes answers; rejects otherwise. Checked before
   * a callback is acknowledged: a callback acknowledged while the store is away could not be
   * handled, and the upstream would not send it again.
   */
  async storeReachable(): Promise<void> {
    await reachStore(this.#o.store);
  }

  /** Never rejects: it runs after the answer, so failures are logged, not thrown. */
  async handle(code: string): Promise<void> {
    try {
      await this.#handle(code);
    } catch (err) {
      this.#o.log({ level: 'error', msg: 'callback handling failed', error: describeError(err) });
    }
  }

  async #handle(code: string): Promise<void> {
    const { upstream, store, forwarder, isOrderRef, now, log } = this.#o;
    let order: Awaited<ReturnType<UpstreamClient['getOrder']>>;
    try {
      order = await upstream.getOrder(code);
    } catch (err) {
      const unknown = err instanceof UpstreamError && err.status === 404;
      log({
        level: unknown ? 'info' : 'error',
        msg: unknown
          ? 'callback for an unknown order ignored'
          : 'callback: order could not be read',
        error: describeError(err),
      });
      return;
    }
    if (!isKnownState(order.state)) {
      log({ level: 'warn', msg: 'callback: unknown order state, ignored', state: order.state });
      return;
    }
    const status = paymentStatusOf(order.state);
    if (status === 'pending') {
      log({ level: 'info', msg: 'callback: order still pending, nothing to do' });
      return;
    }
    if (!isOrderRef(order.orderRef)) {
      log({ level: 'warn', msg: 'callback: order was not created by this BFF, ignored' });
      return;
    }
    const dedupeKey = `hook:${code}:${status}`;
    if (!(await store.setIfAbsent(dedupeKey, String(now()), DEDUPE_TTL_MS))) {
      log({ level: 'info', msg: 'callback: change already handled', status });
      return;
    }
    const event: PaymentEvent = {
      type: `payment.${status}`,
      timestamp: new Date(now()).toISOString(),
      data: {
        sessionId: order.sessionId ?? '',
        orderRef: order.orderRef,
        status,
        amount: order.amount,
        currency: order.currency,
        conversionCode: order.code,
      },
    };
    const webhookId = `evt_${code}_${status}`;
    if (forwarder === undefined) {
      log({
        level: 'info',
        msg: 'payment event (WEBHOOK_FORWARD_URL unset, not forwarded)',
        type: event.type,
        orderRef: order.orderRef,
        webhookId,
      });
      return;
    }
    if (await forwarder.send(webhookId, JSON.stringify(event))) {
      log({ level: 'info', msg: 'payment event forwarded', type: event.type, webhookId });
      return;
    }
    // Undelivered: forget the change so a later callback for it can try again.
    await store.delete(dedupeKey);
    log({
      level: 'error',
      msg: 'payment event not delivered after every attempt',
      type: event.type,
      webhookId,
    });
  }
}
