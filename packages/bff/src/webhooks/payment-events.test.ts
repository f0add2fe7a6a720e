import type { SessionCreated } from '@buy-button/element/wire';
import { describe, expect, it } from 'vitest';
import { problemType } from '../problems/problem-types.js';
import { MemoryStore } from '../store/memory-store.js';
import { StoreUnavailableError } from '../store/redis-store.js';
import type { SharedStore } from '../store/shared-store.js';
import {
  checkout,
  createHarness,
  type Harness,
  verifyWebhook,
  WEBHOOK_SECRET,
} from '../test/harness.js';
import type { PaymentEvent } from './payment-webhook.js';

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

/** A store that rejects every call with `STORE_UNAVAILABLE` while `down`, as Redis away does. */
class OutageStore implements SharedStore {
  down = false;
  readonly #memory = new MemoryStore();

  #reach(): void {
    if (this.down)
      throw new StoreUnavailableError('The shared store is unreachable (reconnecting)');
  }
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.#reach();
    return this.#memory.setIfAbsent(key, value, ttlMs);
  }
  async get(key: string): Promise<string | undefined> {
    this.#reach();
    return this.#memory.get(key);
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#reach();
    return this.#memory.set(key, value, ttlMs);
  }
  async delete(key: string): Promise<void> {
    this.#reach();
    return this.#memory.delete(key);
  }
  async increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    this.#reach();
    return this.#memory.increment(key, windowMs);
  }
  async ping(): Promise<void> {
    this.#reach();
  }
  async close(): Promise<void> {
    await this.#memory.close();
  }
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

  it('answers 202 before the order is re-read', async () => {
    const harness = createHarness();
    const session = await newSession(harness);
    const response = await callback(harness, { code: session.conversionCode, status: 'PAID' });
    expect(response.status).toBe(202);
    await harness.settle();
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
    await harness.settle();
    expect(harness.received).toHaveLength(3);
    expect(new Set(harness.received.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    for (const hook of harness.received) expect(verifyWebhook(hook)).toBeTruthy();
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS and lets a later callback try again', async () => {
    let status = 500;
    const harness = createHarness({
      env: { WEBHOOK_MAX_ATTEMPTS: '2' },
      merchantStatus: () => status,
    });
    const session = await newSession(harness);
    await settleOrder(harness, session.conversionCode, 'pay');
    await harness.settle();
    expect(harness.received).toHaveLength(2);
    expect(
      harness.logs.some((entry) => entry.msg === 'payment event not delivered after every attempt'),
    ).toBe(true);
    status = 204;
    await callback(harness, { code: session.conversionCode });
    await harness.settle();
    expect(harness.received).toHaveLength(3);
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

  it('does not forward when the order cannot be re-read, and logs why', async () => {
    const harness = createHarness();
    const session = await newSession(harness);
    harness.sandbox.setFaults({ faultRate: 1 });
    await callback(harness, { code: session.conversionCode });
    await harness.settle();
    expect(harness.received).toEqual([]);
    expect(harness.logs).toContainEqual(
      expect.objectContaining({ msg: 'callback: order could not be read' }),
    );
  });

  it("hands its background work to the runtime's waitUntil (Workers)", async () => {
    const harness = createHarness();
    const session = await newSession(harness);
    const kept: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (task: Promise<unknown>) => kept.push(task),
      passThroughOnException: () => {},
      props: {},
    };
    const response = await harness.bff.fetch(
      new Request('http://bff.test/webhooks/payment', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: session.conversionCode }),
      }),
      {},
      ctx,
    );
    expect(response.status).toBe(202);
    expect(kept).toHaveLength(1);
    await Promise.all(kept);
  });

  describe('while the shared store is unavailable', () => {
    it('answers a 503 problem, so the callback is sent again, and handles it once the store is back', async () => {
      const store = new OutageStore();
      const harness = createHarness({ deps: { store } });
      const session = await newSession(harness);
      await settleOrder(harness, session.conversionCode, 'pay');
      await harness.settle();
      expect(harness.received).toHaveLength(1);

      const canceled = await newSession(harness);
      store.down = true;
      const refused = await callback(harness, { code: canceled.conversionCode });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { type: string }).type).toBe(
        problemType('storeUnavailable'),
      );
      await harness.settle();
      expect(harness.received).toHaveLength(1);

      store.down = false;
      await harness.sandbox.app.request(`/__sandbox/orders/${canceled.conversionCode}/cancel`, {
        method: 'POST',
      });
      await harness.settle();
      expect(harness.received.map((hook) => (verifyWebhook(hook) as PaymentEvent).type)).toEqual([
        'payment.paid',
        'payment.canceled',
      ]);
    });

    it("is delivered by the upstream's retry after the outage", async () => {
      const store = new OutageStore();
      const held: (() => void)[] = [];
      let onHeld = () => {};
      const harness = createHarness({
        deps: { store },
        sandbox: {
          // Retries wait for the test; first attempts run at once.
          schedule: (task, delayMs) => {
            if (delayMs > 0) {
              held.push(task);
              onHeld();
            } else {
              queueMicrotask(task);
            }
            return () => {};
          },
        },
      });
      const session = await newSession(harness);
      store.down = true;
      const retrying = new Promise<void>((resolve) => {
        onHeld = resolve;
      });
      await settleOrder(harness, session.conversionCode, 'pay');
      await retrying;
      expect(harness.received).toEqual([]);
      expect(harness.sandbox.stats().webhooksDelivered).toBe(0);

      store.down = false;
      for (const task of held.splice(0)) task();
      await harness.settle();
      expect(harness.received.map((hook) => (verifyWebhook(hook) as PaymentEvent).type)).toEqual([
        'payment.paid',
      ]);
      expect(harness.sandbox.stats().webhooksDelivered).toBe(1);
    });
  });
});
