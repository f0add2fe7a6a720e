import type { PaymentStatus, SessionStatus } from '@buy-button/element/wire';
import type { OrderNotes } from '../checkout/order-notes.js';
import { isKnownState, paymentStatusOf } from '../checkout/payment-status.js';
import type {
  EventJob,
  JobHandler,
  JobOutcome,
  OrderCheckJob,
  OutboxQueues,
} from '../outbox/job-queue.js';
import { describeError, type Logger } from '../runtime/logger.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import type { UpstreamOrder } from '../upstream/upstream-schemas.js';
import type { WebhookForwarder } from './webhook-forwarder.js';

/** The event the merchant receives, signed, for each payment outcome. */
export interface PaymentEvent {
  type: `payment.${Exclude<PaymentStatus, 'pending'>}`;
  /** When the BFF observed the change, ISO 8601. */
  timestamp: string;
  /** What the shopper's status read answers (the total, quantity, reference), and the code. */
  data: SessionStatus & { conversionCode: string };
}

/** How the outbox retries a delivery and checks orders again (see the README's settings). */
export interface DeliverySchedule {
  /** `WEBHOOK_RETRY_BASE_MS`: the first retry's delay; each later one doubles, with jitter. */
  baseMs: number;
  /** `WEBHOOK_RETRY_MAX_DELAY_MS`: the longest gap between two attempts. */
  maxDelayMs: number;
  /** `WEBHOOK_RETRY_WINDOW`: how long an event is retried before it is kept as failed. */
  windowMs: number;
  /** `RECONCILE_MARGIN_MS`: how long after an order's expiry it is first read again. */
  reconcileMarginMs: number;
}

/** Where an observed order came from, for the logs. */
export type ObservedVia = 'callback' | 'status' | 'cancel' | 'reconciliation';

/**
 * One (order, final status) is recorded once within this time, however often it is seen: longer
 * than the gateway retries a callback and than a receipt lets a shopper read a status (24 h).
 */
const EVENT_DEDUPE_MS = 7 * 24 * 60 * 60 * 1000;
/** An order still pending this long after its first check is no longer checked. */
const RECONCILE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** The longest gap between two checks of a pending order. */
const RECONCILE_MAX_DELAY_MS = 60 * 60 * 1000;
/** The order lifetime assumed when the upstream does not say (its orders expire after ~5 min). */
const DEFAULT_ORDER_LIFETIME_MS = 5 * 60 * 1000;
/** Events and checks worked on at once per instance. */
const CONCURRENCY = 8;
/** Pending events looked at to find the oldest. */
const OLDEST_SCAN_LIMIT = 1000;

export interface PaymentEventsOptions {
  queues: OutboxQueues;
  upstream: UpstreamClient;
  /** Quantity and reference of each order, for the event. */
  notes: OrderNotes;
  /** Undefined when `WEBHOOK_FORWARD_URL` is unset: events are only logged. */
  forwarder: WebhookForwarder | undefined;
  /** Only orders this BFF created (its orderRef format) produce events. */
  isOrderRef: (value: string) => boolean;
  schedule: DeliverySchedule;
  now: () => number;
  random: () => number;
  log: Logger;
}

/** What the outbox holds right now, for `/readyz` and the logs. */
export interface OutboxStatus {
  /** Events recorded and not yet delivered (waiting for an attempt or a retry). */
  pending: number;
  /** Events given up after the retry window, kept for inspection and redelivery. */
  failed: number;
  /** Age of the oldest pending event in ms (among the first 1,000 due), 0 when none. */
  oldestPendingAgeMs: number;
  /** Orders waiting to be checked again. */
  ordersWatched: number;
}

/** Queue ids may not hold `:`; an id made of plain characters is kept as it is. */
export const eventJobId = (webhookId: string) => encodeURIComponent(webhookId);
const checkJobId = (orderRef: string) => `chk_${encodeURIComponent(orderRef)}`;

/**
 * The payment events of the shop, at least once. A final order state, however it was seen (the
 * gateway's callback, a status read, a cancel, or the reconciliation of an order whose callback
 * never came), is recorded as an event in the outbox before anything acknowledges it; the outbox
 * then delivers it with retries for the whole retry window, and keeps it as failed after that.
 */
export class PaymentEvents {
  readonly #o: PaymentEventsOptions;

  constructor(options: PaymentEventsOptions) {
    this.#o = options;
  }

  /** Starts delivering events and checking orders on this instance. */
  start(): void {
    this.#o.queues.events.work(this.#deliver, CONCURRENCY);
    this.#o.queues.orderChecks.work(this.#check, CONCURRENCY);
  }

  /**
   * The upstream's callback for `code`. Its body is never believed: the order is read again and
   * the state read there is what counts, so a forged "PAID" for a pending order does nothing.
   * Resolves once a final state is recorded; rejects (the caller answers 503, and the gateway
   * sends the callback again) when the order cannot be read or the event cannot be stored.
   */
  async handleCallback(code: string): Promise<void> {
    const { upstream, log } = this.#o;
    let order: UpstreamOrder;
    try {
      order = await upstream.getOrder(code);
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) {
        log({ level: 'info', msg: 'callback for an unknown order ignored' });
        return;
      }
      log({ level: 'warn', msg: 'callback: order could not be read', error: describeError(err) });
      throw err;
    }
    await this.observe(order, 'callback');
  }

  /**
   * Records the event of a final order once per (order, status); a pending order, or one this
   * BFF did not create, records nothing. The event and its dedupe mark are stored together, and
   * the order is no longer watched for reconciliation.
   */
  async observe(
    order: UpstreamOrder,
    via: ObservedVia,
  ): Promise<'recorded' | 'pending' | 'ignored'> {
    const { queues, notes, isOrderRef, now, log } = this.#o;
    if (!isKnownState(order.state)) {
      log({ level: 'warn', msg: `${via}: unknown order state, ignored`, state: order.state });
      return 'ignored';
    }
    const status = paymentStatusOf(order.state);
    if (status === 'pending') return 'pending';
    if (!isOrderRef(order.orderRef)) {
      log({ level: 'warn', msg: `${via}: order was not created by this BFF, ignored` });
      return 'ignored';
    }
    const { quantity, reference } = await notes.read(order.orderRef);
    const event: PaymentEvent = {
      type: `payment.${status}`,
      timestamp: new Date(now()).toISOString(),
      data: {
        sessionId: order.sessionId ?? '',
        orderRef: order.orderRef,
        status,
        amount: order.amount,
        currency: order.currency,
        quantity,
        ...(reference === undefined ? {} : { reference }),
        conversionCode: order.code,
      },
    };
    // The Standard Webhooks id of an order's final status: what the shop deduplicates by.
    const webhookId = `evt_${order.code}_${status}`;
    await queues.events.add(
      eventJobId(webhookId),
      { webhookId, payload: JSON.stringify(event), windowStart: now() },
      { dedupeMs: EVENT_DEDUPE_MS },
    );
    if (via !== 'reconciliation') {
      // The order is final: no need to read it again later. A failure here costs one read.
      await queues.orderChecks.remove(checkJobId(order.orderRef)).catch((err: unknown) => {
        log({ level: 'warn', msg: 'order check not removed', error: describeError(err) });
      });
    }
    return 'recorded';
  }

  /**
   * Remembers a new session's order until it is seen final: it is read again once expired (plus
   * the margin), then on a backoff, so a lost callback costs minutes, never a payment.
   */
  async watch(orderRef: string, expiresAt: number | undefined): Promise<void> {
    const { queues, now, schedule } = this.#o;
    const firstDueAt =
      (expiresAt ?? now() + DEFAULT_ORDER_LIFETIME_MS) + schedule.reconcileMarginMs;
    await queues.orderChecks.add(
      checkJobId(orderRef),
      { orderRef, firstDueAt },
      { delayMs: Math.max(0, firstDueAt - now()) },
    );
  }

  /** Counts of the outbox; rejects when its store does not answer. */
  async status(): Promise<OutboxStatus> {
    const { queues, now } = this.#o;
    const [events, checks, due] = await Promise.all([
      queues.events.counts(),
      queues.orderChecks.counts(),
      queues.events.list('pending', OLDEST_SCAN_LIMIT),
    ]);
    const oldest = Math.min(...due.map((job) => job.data.windowStart));
    return {
      pending: events.pending,
      failed: events.failed,
      oldestPendingAgeMs: oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, now() - oldest),
      ordersWatched: checks.pending,
    };
  }

  /** One delivery attempt of an event, and what comes after it. */
  readonly #deliver: JobHandler<EventJob> = async (job, note) => {
    const { forwarder, schedule, now, random, log } = this.#o;
    const { webhookId, payload, windowStart } = job.data;
    if (forwarder === undefined) {
      const event = JSON.parse(payload) as PaymentEvent;
      log({
        level: 'info',
        msg: 'payment event (WEBHOOK_FORWARD_URL unset, not forwarded)',
        type: event.type,
        orderRef: event.data.orderRef,
        webhookId,
      });
      return { kind: 'done' };
    }
    const attempt = job.attempts + 1;
    const result = await forwarder.send(webhookId, payload);
    const at = new Date(now()).toISOString();
    if (result.ok) {
      await note(`${at} attempt ${attempt}: delivered (${result.status})`);
      log({ level: 'info', msg: 'payment event delivered', webhookId, attempt });
      return { kind: 'done' };
    }
    const reason =
      'status' in result ? `the shop answered ${result.status}` : `no answer: ${result.error}`;
    await note(`${at} attempt ${attempt}: ${reason}`);
    const left = windowStart + schedule.windowMs - now();
    if (left <= 0) {
      log({
        level: 'error',
        msg: 'payment event failed: not delivered within WEBHOOK_RETRY_WINDOW; kept for redelivery',
        webhookId,
        attempts: attempt,
        reason,
      });
      return { kind: 'fail', reason: `${reason} (after ${attempt} attempts)` };
    }
    const delayMs = Math.min(left, jittered(attempt, schedule.baseMs, schedule.maxDelayMs, random));
    log({
      level: 'warn',
      msg: 'payment event not delivered, will retry',
      webhookId,
      attempt,
      reason,
      retryInMs: delayMs,
    });
    return { kind: 'retry', delayMs, reason };
  };

  /** Reads a watched order again; records its event once it is final. */
  readonly #check: JobHandler<OrderCheckJob> = async (job) => {
    const { upstream, schedule, now, random, log } = this.#o;
    const { orderRef, firstDueAt } = job.data;
    const later = (reason: string): JobOutcome => {
      if (now() - firstDueAt > RECONCILE_WINDOW_MS) {
        log({ level: 'error', msg: 'reconciliation: order no longer checked', orderRef, reason });
        return { kind: 'fail', reason };
      }
      const base = Math.max(1000, schedule.reconcileMarginMs);
      const delayMs = jittered(job.attempts + 1, base, RECONCILE_MAX_DELAY_MS, random);
      return { kind: 'retry', delayMs, reason };
    };
    let order: UpstreamOrder;
    try {
      order = await upstream.getOrderByRef(orderRef);
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) {
        log({ level: 'warn', msg: 'reconciliation: order unknown upstream', orderRef });
        return { kind: 'fail', reason: 'the upstream does not know this order' };
      }
      log({ level: 'warn', msg: 'reconciliation: order could not be read', orderRef });
      return later(`could not be read: ${describeError(err).message}`);
    }
    const outcome = await this.observe(order, 'reconciliation');
    if (outcome === 'recorded') {
      log({
        level: 'info',
        msg: 'reconciliation: order is final, event recorded',
        orderRef,
        status: paymentStatusOf(order.state),
      });
      return { kind: 'done' };
    }
    return later(`still ${outcome === 'pending' ? 'pending' : order.state}`);
  };
}

/** `base * 2^(n-1)` capped at `max`, then a uniform pick in its upper half. */
function jittered(n: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(n - 1, 40));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
