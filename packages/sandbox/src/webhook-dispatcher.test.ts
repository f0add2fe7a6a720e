import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createSandbox } from './create-sandbox.js';
import { CALLBACK_URL, createHarness } from './test/harness.js';
import type { WebhookPayload } from './webhook-dispatcher.js';
import { createWebhookDispatcher } from './webhook-dispatcher.js';

const PAYLOAD: WebhookPayload = {
  code: 'CODE00000001',
  status: 'PAID',
  state: 'state:executed',
  orderRef: 'order-1',
  sessionId: '000000000000000000000001',
  amount: '4.50',
  currency: 'EUR',
};

describe('webhooks', () => {
  it.each([
    ['pay', 'PAID', 'state:executed'],
    ['cancel', 'CANCELED', 'state:canceled'],
    ['expire', 'EXPIRED', 'state:expired'],
    ['fail', 'ERROR', 'state:error'],
  ])('POSTs the full order status to callbackUrl on %s', async (helper, status, state) => {
    const h = createHarness();
    const session = await h.createSession({
      button: 'btn_donation',
      price: '9.99',
      orderRef: 'order-hook',
    });
    await h.sandbox.app.request(`/__sandbox/orders/${session.conversionCode}/${helper}`, {
      method: 'POST',
    });
    await h.sandbox.whenIdle();
    expect(h.webhooks).toEqual([
      {
        url: CALLBACK_URL,
        payload: {
          code: session.conversionCode,
          status,
          state,
          orderRef: 'order-hook',
          sessionId: session.id,
          amount: '9.99',
          currency: 'EUR',
        },
      },
    ]);
    expect(h.sandbox.stats()).toMatchObject({ webhooksDelivered: 1, webhooksPending: 0 });
  });

  it('sends nothing for a session without callbackUrl', async () => {
    const h = createHarness();
    const session = await h.createSession({ callbackUrl: undefined });
    await h.sandbox.app.request(`/__sandbox/orders/${session.conversionCode}/pay`, {
      method: 'POST',
    });
    await h.sandbox.whenIdle();
    expect(h.webhooks).toEqual([]);
  });

  it('retries with exponential backoff until a 2xx', async () => {
    const h = createHarness({ webhookBaseDelayMs: 100, webhookStatus: (n) => (n < 4 ? 500 : 204) });
    const session = await h.createSession();
    await h.sandbox.app.request(`/__sandbox/orders/${session.conversionCode}/pay`, {
      method: 'POST',
    });
    await h.sandbox.whenIdle();
    expect(h.webhooks).toHaveLength(4);
    expect(h.delays).toEqual([0, 100, 200, 400]);
    expect(h.sandbox.stats()).toMatchObject({
      webhooksDelivered: 1,
      webhooksFailed: 0,
      webhookAttempts: 4,
    });
  });

  it('gives up after webhookMaxAttempts (6 by default, base delay 500 ms)', async () => {
    const h = createHarness({ webhookStatus: () => 503 });
    const session = await h.createSession();
    await h.sandbox.app.request(`/__sandbox/orders/${session.conversionCode}/pay`, {
      method: 'POST',
    });
    await h.sandbox.whenIdle();
    expect(h.delays).toEqual([0, 500, 1000, 2000, 4000, 8000]);
    expect(h.sandbox.stats()).toMatchObject({
      webhooksDelivered: 0,
      webhooksFailed: 1,
      webhookAttempts: 6,
    });
  });

  it('retries when the receiver is unreachable', async () => {
    let calls = 0;
    const sandbox = createSandbox({
      webhookMaxAttempts: 3,
      schedule: (task) => {
        queueMicrotask(task);
        return () => {};
      },
      fetch: async () => {
        calls += 1;
        if (calls < 3) throw new TypeError('fetch failed');
        return new Response('ok');
      },
    });
    const login = await sandbox.app.request('/api/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: 'service@sandbox.test', password: 'sandbox-service' }),
    });
    const { data } = (await login.json()) as { data: { token: string } };
    const created = await sandbox.app.request('/api/buy-button/sessions', {
      method: 'POST',
      headers: { authorization: `Bearer ${data.token}` },
      body: JSON.stringify({
        button: 'btn_coffee',
        orderRef: 'order-net',
        callbackUrl: CALLBACK_URL,
      }),
    });
    const session = (await created.json()) as { data: { conversionCode: string } };
    await sandbox.app.request(`/__sandbox/orders/${session.data.conversionCode}/pay`, {
      method: 'POST',
    });
    await sandbox.whenIdle();
    expect(calls).toBe(3);
    expect(sandbox.stats().webhooksDelivered).toBe(1);
  });

  it('never holds up the response that caused it', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = createHarness({
      fetch: async () => {
        await gate;
        return new Response(null, { status: 200 });
      },
    });
    const session = await h.createSession();
    const res = await h.sandbox.app.request(`/pay/${session.conversionCode}/pay`, {
      method: 'POST',
    });
    expect(res.status).toBe(303);
    expect(h.sandbox.stats().webhooksPending).toBe(1);
    release();
    await h.sandbox.whenIdle();
    expect(h.sandbox.stats()).toMatchObject({ webhooksPending: 0, webhooksDelivered: 1 });
  });

  it('can deliver to another in-process app through the injected fetch', async () => {
    const received: WebhookPayload[] = [];
    const merchant = new Hono().post('/webhooks/payment', async (c) => {
      received.push(await c.req.json<WebhookPayload>());
      return c.body(null, 204);
    });
    const h = createHarness({ fetch: (input, init) => merchant.fetch(new Request(input, init)) });
    const session = await h.createSession();
    await h.sandbox.app.request(`/__sandbox/orders/${session.conversionCode}/cancel`, {
      method: 'POST',
    });
    await h.sandbox.whenIdle();
    expect(received.map((p) => p.status)).toEqual(['CANCELED']);
  });

  it('close() abandons pending retries and cancels their timers', async () => {
    const cancelled: number[] = [];
    const pending: Array<() => void> = [];
    const dispatcher = createWebhookDispatcher({
      fetch: async () => new Response(null, { status: 500 }),
      schedule: (task, delayMs) => {
        if (delayMs === 0) queueMicrotask(task);
        else pending.push(task);
        return () => cancelled.push(delayMs);
      },
      maxAttempts: 5,
      baseDelayMs: 1000,
      timeoutMs: 1000,
      log: () => {},
    });
    dispatcher.dispatch('https://merchant.example/hook', PAYLOAD);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(dispatcher.counters()).toMatchObject({ attempts: 1, pending: 1 });
    dispatcher.close();
    await dispatcher.whenIdle();
    expect(cancelled).toEqual([1000]);
    expect(dispatcher.counters()).toMatchObject({ attempts: 1, pending: 0, delivered: 0 });
  });
});
