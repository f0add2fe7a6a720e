import type { SessionCreated } from '@buy-button/element/wire';
import { describe, expect, it } from 'vitest';
import { redeliver } from '../cli/events-cli.js';
import type { JobQueue, OutboxQueues } from '../outbox/job-queue.js';
import { problemType } from '../problems/problem-types.js';
import { StoreUnavailableError } from '../store/redis-store.js';
import {
  checkout,
  createHarness,
  type Harness,
  verifyWebhook,
  WEBHOOK_SECRET,
} from '../test/harness.js';
import type { PaymentEvent } from './payment-events.js';

async function newSession(harness: Harness): Promise<SessionCreated> {
  const response = await checkout(harness, { button: 'btn_coffee' });
  return (await response.json()) as SessionCreated;
}

function callback(harness: Harness, body: unknown) {
  return harness.bff.request('/webhooks/payment', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Queues whose store rejects every call with `STORE_UNAVAILABLE` while `down`, as Redis away. */
function outage(queues: OutboxQueues) {
  const state = { down: false };
  const guard = <T>(queue: JobQueue<T>): JobQueue<T> =>
    new Proxy(queue, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (name === 'work' || name === 'close') return value.bind(target);
        return (...args: unknown[]) => {
          if (state.down) {
            return Promise.reject(new StoreUnavailableError('The shared store is unreachable'));
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return {
    state,
    queues: { events: guard(queues.events), orderChecks: guard(queues.orderChecks) },
  };
}

const settleOrder = (harness: Harness, code: string, helper: string) =>
  harness.sandbox.app.request(`/__sandbox/orders/${code}/${helper}`, { method: 'POST' });

describe('POST /webhooks/payment', () => {
  it('forwards a paid order to the shop, signed per Standard Webhooks', async () => {
    const harness = createHarness();
    const session = await newSession(harness);
    await settleOrder(harness, session.conversionCode, 'pay');
    await harness.settle();
    expect(harness.received).toHaveLength(1);
    const [hook] = harness.received;
    if (hook === undefined) throw new Error('no webhook');
    const event = verifyWebhook(hook) as PaymentEvent;
    expect(event).toEqual({
      type: 'payment.paid',
      timestamp: new Date(harness.clock.now).toISOString(),
      data: {
        sessionId: session.sessionId,
        orderRef: session.orderRef,
        status: 'paid',
        amount: '4.50',
        currency: 'EUR',
        quantity: 1,
        conversionCode: session.conversionCode,
      },
    });
    expect(hook.headers['webhook-id']).toBe(`evt_${session.conversionCode}_paid`);
  });

  it.each([
    ['cancel', 'payment.canceled'],
    ['expire', 'payment.expired'],
    ['fail', 'payment.error'],
  ])('forwards a %s as %s', async (helper, type) => {
    const harness = createHarness();
    const session = await newSession(harness);
    await settleOrder(harness, session.conversionCode, helper);
    await harness.settle();
    expect(harness.received.map((hook) => (verifyWebhook(hook) as PaymentEvent).type)).toEqual([
      type,
    ]);
  });

  it('ignores a forged PAID for a pending order: nothing changes, nothing is forwarded', async () => {
    const harness = createHarness();
    const session = await newSession(harness);
    const forged = {
      code: session.conversionCode,
      status: 'PAID',
      state: 'state:executed',
      orderRef: session.orderRef,
      sessionId: session.sessionId,
      amount: '4.50',
      currency: 'EUR',
    };
    expect((await callback(harness, forged)).status).toBe(202);
    await harness.settle();
    expect(harness.received).toEqual([]);
    const read = await harness.bff.request(`/sessions/${session.sessionId}`, {
      headers: { authorization: `Bearer ${session.receipt}` },
    });
    expect(((await read.json()) as { status: string }).status).toBe('pending');
  });

  it('forwards what upstream says, not what the callback claims', async () => {
    const harness = createHarness();
    const session = await newSession(harness);
    await settleOrder(harness, session.conversionCode, 'cancel');
    await harness.settle();
    await callback(harness, {
      code: session.conversionCode,
      status: 'PAID',
      state: 'state:executed',
    });
    await harness.settle();
    expect(harness.received.map((hook) => (verifyWebhook(hook) as PaymentEvent).type)).toEqual([
      'payment.canceled',
    ]);
  });

  it('handles each (code, state) change once however often it is called back', async () => {
    const harness = createHarness();
    const session = await newSession(harness);
    await settleOrder(harness, session.conversionCode, 'pay');
    await harness.settle();
    await Promise.all([1, 2, 3].map(() => callback(harness, { code: session.conversionCode })));
    await harness.settle();
    await callback(harness, { code: session.conversionCode });
    await harness.settle();
    expect(harness.received).toHaveLength(1);
  });

  it.each([
    ['no code', { status: 'PAID' }],
    ['a code with path characters', { code: '../../admin' }],
    ['a non-JSON body', 'code=ABC'],
  ])('refuses a callback with %s', async (_name, body) => {
    const harness = createHarness();
    const response = await callback(harness, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    await harness.settle();
    expect(harness.received).toEqual([]);
  });

  it('refuses a huge callback with a 413 problem, reading nothing upstream', async () => {
    const harness = createHarness();
    const session = await newSession(harness);
    const reads = harness.calls.length;
    const response = await callback(harness, {
      code: session.conversionCode,
      padding: 'x'.repeat(64 * 1024),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { type: string }).type).toBe(problemType('bodyTooLarge'));
    await harness.settle();
    expect(harness.calls.slice(reads)).toEqual([]);
    expect(await harness.queues.events.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('ignores a code the upstream does not know', async () => {
    const harness = createHarness();
    expect((await callback(harness, { code: 'NOSUCHCODE' })).status).toBe(202);
    await harness.settle();
    expect(harness.received).toEqual([]);
  });

  it('ignores orders this BFF did not create', async () => {
    const harness = createHarness();
    const token = await harness.sandbox.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'service@sandbox.test', password: 'sandbox-service' }),
    });
    const { data } = (await token.json()) as { data: { token: string } };
    const foreign = await harness.sandbox.app.request('/api/buy-button/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${data.token}` },
      body: JSON.stringify({ button: 'btn_coffee', orderRef: 'someone-elses-order' }),
    });
    const session = ((await foreign.json()) as { data: { conversionCode: string } }).data;
    await settleOrder(harness, session.conversionCode, 'pay');
    await callback(harness, { code: session.conversionCode });
    await harness.settle();
    expect(harness.received).toEqual([]);
  });

  it('retries a refused delivery with the same webhook-id and a fresh signature', async () => {
    const statuses = [500, 503, 204];
    const harness = createHarness({ merchantStatus: () => statuses.shift() ?? 204 });
    const session = await newSession(harness);
    await settleOrder(harness, session.conversionCode, 'pay');
    await harness.advance(60_000);
    expect(harness.received).toHaveLength(3);
    expect(new Set(harness.received.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    for (const hook of harness.received) expect(verifyWebhook(hook)).toBeTruthy();
  });

  it('signs with both secrets during a rotation', async () => {
    const previous = `whsec_${btoa('fedcba9876543210fedcba9876543210')}`;
    const harness = createHarness({ env: { WEBHOOK_PREVIOUS_SECRET: previous } });
    const session = await newSession(harness);
    await settleOrder(harness, session.conversionCode, 'pay');
    await harness.settle();
    const [hook] = harness.received;
    if (hook === undefined) throw new Error('no webhook');
    expect(hook.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifyWebhook(hook, WEBHOOK_SECRET)).toBeTruthy();
    expect(verifyWebhook(hook, previous)).toBeTruthy();
  });

  it('only logs the event when WEBHOOK_FORWARD_URL is unset', async () => {
    const harness = createHarness({ env: { WEBHOOK_FORWARD_URL: '' } });
    const session = await newSession(harness);
    await settleOrder(harness, session.conversionCode, 'pay');
    await harness.settle();
    expect(harness.received).toEqual([]);
    expect(harness.logs).toContainEqual(
      expect.objectContaining({ type: 'payment.paid', orderRef: session.orderRef }),
    );
  });

  it('re-reads the order before acknowledging: 503 with Retry-After while the upstream cannot answer, so the gateway calls again', async () => {
    const harness = createHarness();
    const session = await newSession(harness);
    await settleOrder(harness, session.conversionCode, 'pay');
    await harness.settle();
    harness.received.length = 0;
    harness.sandbox.setFaults({ faultRate: 1 });
    const refused = await callback(harness, { code: session.conversionCode });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { type: string }).type).toBe(
      problemType('upstreamUnavailable'),
    );
    expect(harness.logs).toContainEqual(
      expect.objectContaining({ msg: 'callback: order could not be read' }),
    );
  });

  it('answers 202 only once the event is recorded: the outbox holds it before any delivery', async () => {
    const harness = createHarness({ merchantStatus: () => 503 });
    const session = await newSession(harness);
    const order = await harness.sandbox.app.request(
      `/__sandbox/orders/${session.conversionCode}/pay`,
      { method: 'POST' },
    );
    expect(order.ok).toBe(true);
    await harness.settle();
    const id = `evt_${session.conversionCode}_paid`;
    const job = await harness.queues.events.get(id);
    expect(job).toMatchObject({ id, state: 'pending', attempts: 1 });
    expect(JSON.parse(job?.data.payload ?? '{}')).toMatchObject({
      type: 'payment.paid',
      data: { orderRef: session.orderRef },
    });
  });

  describe('while the outbox cannot store events (Redis away)', () => {
    it('refuses the callback with a 503 problem, records nothing, and handles the retry once it is back', async () => {
      let failure: ReturnType<typeof outage> | undefined;
      const harness = createHarness({
        wrapQueues: (queues) => {
          failure = outage(queues);
          return failure.queues;
        },
      });
      const session = await newSession(harness);
      if (failure === undefined) throw new Error('no outage');
      failure.state.down = true;
      await harness.sandbox.app.request(`/__sandbox/orders/${session.conversionCode}/pay`, {
        method: 'POST',
      });
      const refused = await callback(harness, { code: session.conversionCode });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { type: string }).type).toBe(
        problemType('storeUnavailable'),
      );
      await harness.settle();
      expect(harness.received).toEqual([]);
      expect(await harness.queues.events.counts()).toEqual({ pending: 0, failed: 0 });

      failure.state.down = false;
      expect((await callback(harness, { code: session.conversionCode })).status).toBe(202);
      await harness.settle();
      expect(harness.received.map((hook) => (verifyWebhook(hook) as PaymentEvent).type)).toEqual([
        'payment.paid',
      ]);
    });
  });

  describe('delivery from the outbox', () => {
    const HOUR = 60 * 60 * 1000;

    it('delivers once the shop is back after an outage longer than the old retry budget, same webhook-id on every attempt', async () => {
      let shopUp = false;
      const harness = createHarness({ merchantStatus: () => (shopUp ? 204 : 503) });
      const session = await newSession(harness);
      await settleOrder(harness, session.conversionCode, 'pay');
      await harness.advance(2 * HOUR);
      const failedAttempts = harness.received.length;
      expect(failedAttempts).toBeGreaterThan(5);
      shopUp = true;
      await harness.advance(HOUR);
      expect(harness.received.length).toBe(failedAttempts + 1);
      expect(new Set(harness.received.map((hook) => hook.headers['webhook-id']))).toEqual(
        new Set([`evt_${session.conversionCode}_paid`]),
      );
      // Each attempt is signed with its own timestamp and verifies on its own.
      const last = harness.received.at(-1);
      if (last === undefined) throw new Error('no delivery');
      expect((verifyWebhook(last) as PaymentEvent).data.orderRef).toBe(session.orderRef);
      expect(new Set(harness.received.map((hook) => hook.headers['webhook-timestamp'])).size).toBe(
        harness.received.length,
      );
      expect(harness.logs).toContainEqual(
        expect.objectContaining({ msg: 'payment event delivered', attempt: failedAttempts + 1 }),
      );
    });

    it('waits WEBHOOK_RETRY_BASE_MS, then doubles with jitter up to WEBHOOK_RETRY_MAX_DELAY_MS', async () => {
      const harness = createHarness({
        env: { WEBHOOK_RETRY_BASE_MS: '1000', WEBHOOK_RETRY_MAX_DELAY_MS: '4000' },
        merchantStatus: () => 500,
        // The top of each jitter range.
        deps: { random: () => 1 },
      });
      const session = await newSession(harness);
      await settleOrder(harness, session.conversionCode, 'pay');
      await harness.advance(20_000);
      const times = harness.received.map((hook) => Number(hook.headers['webhook-timestamp']));
      const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
      expect(gaps.slice(0, 5)).toEqual([1, 2, 4, 4, 4]);
    });

    it('keeps an event as failed after WEBHOOK_RETRY_WINDOW, with its attempts, and delivers it when redelivered', async () => {
      let status = 500;
      const harness = createHarness({
        env: { WEBHOOK_RETRY_WINDOW: '1h' },
        merchantStatus: () => status,
      });
      const session = await newSession(harness);
      await settleOrder(harness, session.conversionCode, 'pay');
      await harness.advance(3 * HOUR);
      const id = `evt_${session.conversionCode}_paid`;
      const failed = await harness.queues.events.get(id);
      expect(failed?.state).toBe('failed');
      expect(failed?.failedReason).toMatch(/the shop answered 500 \(after \d+ attempts\)/);
      expect(failed?.history).toHaveLength(harness.received.length);
      expect(harness.logs).toContainEqual(
        expect.objectContaining({ level: 'error', webhookId: id }),
      );
      expect(await harness.bff.outboxStatus()).toMatchObject({ pending: 0, failed: 1 });
      const attempts = harness.received.length;
      // Within the window of the last attempt, no more attempts were made.
      await harness.advance(3 * HOUR);
      expect(harness.received).toHaveLength(attempts);

      status = 204;
      expect(await redeliver(harness.queues.events, id, harness.clock.now)).toBe(true);
      await harness.settle();
      expect(harness.received).toHaveLength(attempts + 1);
      expect((await harness.queues.events.get(id))?.state).toBe('completed');
    });

    it('treats a redirect or a slow 2xx as not delivered', async () => {
      const statuses = [302, 301, 204];
      const harness = createHarness({ merchantStatus: () => statuses.shift() ?? 204 });
      const session = await newSession(harness);
      await settleOrder(harness, session.conversionCode, 'pay');
      await harness.advance(HOUR);
      expect(harness.received).toHaveLength(3);
      expect(harness.logs).toContainEqual(
        expect.objectContaining({ reason: 'the shop answered 302', attempt: 1 }),
      );
    });

    it('records why no answer came when the shop cannot be reached', async () => {
      const harness = createHarness({
        merchantStatus: () => {
          throw new TypeError('connection refused');
        },
      });
      const session = await newSession(harness);
      await settleOrder(harness, session.conversionCode, 'pay');
      await harness.settle();
      const reason = 'no answer: connection refused';
      expect(harness.logs).toContainEqual(expect.objectContaining({ reason, attempt: 1 }));
      const job = await harness.queues.events.get(`evt_${session.conversionCode}_paid`);
      expect(job?.history[0]).toMatch(/attempt 1: no answer: connection refused$/);
    });
  });

  describe('reconciliation', () => {
    const expireAfter = (harness: Harness) =>
      harness.advance((harness.config.reconcileMarginMs ?? 0) + 6 * 60 * 1000);

    it('delivers a payment whose gateway callback was lost, after the order expiry plus the margin', async () => {
      const harness = createHarness({ sandbox: { webhookDropRate: 1 } });
      const session = await newSession(harness);
      await settleOrder(harness, session.conversionCode, 'pay');
      await harness.settle();
      expect(harness.sandbox.stats().webhooksDropped).toBe(1);
      expect(harness.received).toEqual([]);
      // The sandbox's orders expire after 300 s; the margin is 60 s.
      await harness.advance(359_000);
      expect(harness.received).toEqual([]);
      await harness.advance(2000);
      expect(harness.received.map((hook) => (verifyWebhook(hook) as PaymentEvent).type)).toEqual([
        'payment.paid',
      ]);
      expect(harness.logs).toContainEqual(
        expect.objectContaining({ msg: 'reconciliation: order is final, event recorded' }),
      );
      expect(await harness.bff.outboxStatus()).toMatchObject({ ordersWatched: 0 });
    });

    it('emits the expiry of an order nobody paid, once', async () => {
      const harness = createHarness({ sandbox: { webhookDropRate: 1 } });
      await newSession(harness);
      await expireAfter(harness);
      await harness.advance(24 * 60 * 60 * 1000);
      expect(harness.received.map((hook) => (verifyWebhook(hook) as PaymentEvent).type)).toEqual([
        'payment.expired',
      ]);
    });

    it('stops watching an order once its callback recorded the final state', async () => {
      const harness = createHarness();
      const session = await newSession(harness);
      expect(await harness.bff.outboxStatus()).toMatchObject({ ordersWatched: 1 });
      await settleOrder(harness, session.conversionCode, 'pay');
      await harness.settle();
      expect(await harness.bff.outboxStatus()).toMatchObject({ ordersWatched: 0 });
      const reads = harness.calls.length;
      await expireAfter(harness);
      expect(harness.calls.slice(reads).filter((call) => call.url.includes('/status/'))).toEqual(
        [],
      );
      expect(harness.received).toHaveLength(1);
    });

    it('keeps checking, on a backoff, an order whose status cannot be read', async () => {
      const harness = createHarness({ sandbox: { webhookDropRate: 1 } });
      const session = await newSession(harness);
      await settleOrder(harness, session.conversionCode, 'pay');
      harness.sandbox.setFaults({ faultRate: 1 });
      await expireAfter(harness);
      await harness.advance(10 * 60 * 1000);
      expect(harness.received).toEqual([]);
      expect(await harness.bff.outboxStatus()).toMatchObject({ ordersWatched: 1 });
      harness.sandbox.setFaults({ faultRate: 0 });
      await harness.advance(2 * 60 * 60 * 1000);
      expect(harness.received.map((hook) => (verifyWebhook(hook) as PaymentEvent).type)).toEqual([
        'payment.paid',
      ]);
    });

    it('records the event when the status route reads a final state, and the shop hears of it once', async () => {
      const harness = createHarness({ sandbox: { webhookDropRate: 1 } });
      const session = await newSession(harness);
      await settleOrder(harness, session.conversionCode, 'pay');
      for (let i = 0; i < 3; i += 1) {
        const read = await harness.bff.request(`/sessions/${session.sessionId}`, {
          headers: { authorization: `Bearer ${session.receipt}` },
        });
        expect(((await read.json()) as { status: string }).status).toBe('paid');
      }
      await harness.settle();
      expect(harness.received).toHaveLength(1);
      await callback(harness, { code: session.conversionCode });
      await expireAfter(harness);
      expect(harness.received).toHaveLength(1);
    });

    it('records the cancel of a session canceled through the BFF', async () => {
      const harness = createHarness({ sandbox: { webhookDropRate: 1 } });
      const session = await newSession(harness);
      const canceled = await harness.bff.request(`/sessions/${session.sessionId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session.receipt}`, origin: 'https://shop.test' },
      });
      expect(canceled.status).toBe(200);
      await harness.settle();
      expect(harness.received.map((hook) => (verifyWebhook(hook) as PaymentEvent).type)).toEqual([
        'payment.canceled',
      ]);
    });
  });
});
