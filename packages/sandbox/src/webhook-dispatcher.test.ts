import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createSandbox } from './create-sandbox.js';
import type { SandboxStats } from './sandbox-stats.js';
import type { Scheduler } from './scheduler.js';
import type { OrderStatusView } from './session-store.js';
import { CALLBACK_URL, createHarness, success } from './test/harness.js';
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
      random: () => 0.5,
      faults: () => ({ dropRate: 0, delayMs: 0 }),
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

/** A scheduler that only records tasks: nothing runs until the test runs it. */
function manualScheduler() {
  const timers: Array<{ task: () => void; delayMs: number }> = [];
  const schedule: Scheduler = (task, delayMs) => {
    timers.push({ task, delayMs });
    return () => {};
  };
  return {
    schedule,
    timers,
    /** Runs the oldest pending task. */
    runNext() {
      const next = timers.shift();
      if (next === undefined) throw new Error('no task scheduled');
      next.task();
    },
  };
}

describe('webhook faults', () => {
  it('webhookDropRate 1 sends nothing for a paid order, not even a retry, and counts it dropped', async () => {
    const h = createHarness({ webhookDropRate: 1 });
    const session = await h.createSession();
    const paid = await h.call<OrderStatusView>(
      'POST',
      `/__sandbox/orders/${session.conversionCode}/pay`,
    );
    expect(success(paid.body).state).toBe('state:executed');
    await h.sandbox.whenIdle();
    expect(h.webhooks).toEqual([]);
    expect(h.delays).toEqual([]);
    const stats = await h.call<SandboxStats>('GET', '/__sandbox/stats');
    expect(success(stats.body)).toMatchObject({
      webhooksDropped: 1,
      webhooksDelivered: 0,
      webhooksFailed: 0,
      webhookAttempts: 0,
      webhooksPending: 0,
    });
    expect(stats.body).toMatchObject({ webhooksDropped: 1 });
  });

  it('webhookDropRate 0 sends every event as before, without rolling the dice', async () => {
    const rolls: number[] = [];
    const h = createHarness({ webhookDropRate: 0, random: () => rolls.shift() ?? 0 });
    const session = await h.createSession();
    rolls.push(0);
    await h.call('POST', `/__sandbox/orders/${session.conversionCode}/pay`);
    await h.sandbox.whenIdle();
    // Not drawn: ids and the API fault dice see the same random sequence as before.
    expect(rolls).toEqual([0]);
    expect(h.webhooks.map((w) => [w.url, w.payload.status])).toEqual([[CALLBACK_URL, 'PAID']]);
    expect(h.delays).toEqual([0]);
    expect(h.sandbox.stats()).toMatchObject({
      webhooksDropped: 0,
      webhooksDelivered: 1,
      webhookAttempts: 1,
    });
  });

  it('a rate of 0.5 drops exactly the events whose roll of the injected random is below it', async () => {
    const rolls: number[] = [];
    const h = createHarness({ webhookDropRate: 0.5, random: () => rolls.shift() ?? 0.99 });
    const sessions = [];
    for (let i = 0; i < 4; i += 1) sessions.push(await h.createSession());
    // One roll per event, in the order the events happen: drop, keep, drop, keep.
    rolls.push(0.1, 0.9, 0.49, 0.5);
    const helpers = ['pay', 'cancel', 'expire', 'fail'];
    for (const [i, session] of sessions.entries()) {
      await h.call('POST', `/__sandbox/orders/${session.conversionCode}/${helpers[i]}`);
      await h.sandbox.whenIdle();
    }
    expect(rolls).toEqual([]);
    expect(h.webhooks.map((w) => [w.payload.code, w.payload.status])).toEqual([
      [sessions[1]?.conversionCode, 'CANCELED'],
      [sessions[3]?.conversionCode, 'ERROR'],
    ]);
    expect(h.sandbox.stats()).toMatchObject({
      webhooksDropped: 2,
      webhooksDelivered: 2,
      webhookAttempts: 2,
    });
  });

  it('draws once per event: a kept event is retried without new dice', async () => {
    const rolls: number[] = [];
    const h = createHarness({
      webhookDropRate: 0.5,
      webhookBaseDelayMs: 100,
      random: () => rolls.shift() ?? 0,
      webhookStatus: (n) => (n < 3 ? 500 : 200),
    });
    const session = await h.createSession();
    rolls.push(0.9);
    await h.call('POST', `/__sandbox/orders/${session.conversionCode}/pay`);
    await h.sandbox.whenIdle();
    expect(h.webhooks).toHaveLength(3);
    expect(h.sandbox.stats()).toMatchObject({
      webhooksDropped: 0,
      webhooksDelivered: 1,
      webhookAttempts: 3,
    });
  });

  it('webhookDelayMs holds the first attempt until the scheduler runs it', async () => {
    const timer = manualScheduler();
    const h = createHarness({ webhookDelayMs: 30_000, schedule: timer.schedule });
    const session = await h.createSession();
    const res = await h.sandbox.app.request(`/pay/${session.conversionCode}/pay`, {
      method: 'POST',
    });
    expect(res.status).toBe(303);
    expect(timer.timers.map((t) => t.delayMs)).toEqual([30_000]);
    await Promise.resolve();
    expect(h.webhooks).toEqual([]);
    expect(h.sandbox.stats()).toMatchObject({ webhookAttempts: 0, webhooksPending: 1 });
    timer.runNext();
    await h.sandbox.whenIdle();
    expect(h.webhooks.map((w) => w.payload.status)).toEqual(['PAID']);
    expect(h.sandbox.stats()).toMatchObject({
      webhookAttempts: 1,
      webhooksDelivered: 1,
      webhooksPending: 0,
    });
  });

  it('retries keep their own backoff after the delay', async () => {
    const h = createHarness({
      webhookDelayMs: 700,
      webhookBaseDelayMs: 100,
      webhookStatus: (n) => (n < 3 ? 500 : 204),
    });
    const session = await h.createSession();
    await h.call('POST', `/__sandbox/orders/${session.conversionCode}/pay`);
    await h.sandbox.whenIdle();
    expect(h.delays).toEqual([700, 100, 200]);
    expect(h.sandbox.stats()).toMatchObject({ webhooksDelivered: 1, webhookAttempts: 3 });
  });

  it('applies faults set at runtime to the events dispatched after the change', async () => {
    const timer = manualScheduler();
    const h = createHarness({ webhookDelayMs: 1000, schedule: timer.schedule });
    const [first, second, third] = [
      await h.createSession(),
      await h.createSession(),
      await h.createSession(),
    ];
    await h.call('POST', `/__sandbox/orders/${first?.conversionCode}/pay`);
    expect(timer.timers.map((t) => t.delayMs)).toEqual([1000]);

    await h.call('POST', '/__sandbox/faults', { body: { webhookDropRate: 1, webhookDelayMs: 5 } });
    await h.call('POST', `/__sandbox/orders/${second?.conversionCode}/pay`);
    expect(timer.timers.map((t) => t.delayMs)).toEqual([1000]);
    expect(h.sandbox.stats().webhooksDropped).toBe(1);

    // The first event was dispatched before the drop rate changed: it is still delivered.
    timer.runNext();
    await h.sandbox.whenIdle();
    expect(h.webhooks.map((w) => w.payload.code)).toEqual([first?.conversionCode]);

    h.sandbox.setFaults({ webhookDropRate: 0 });
    await h.call('POST', `/__sandbox/orders/${third?.conversionCode}/cancel`);
    expect(timer.timers.map((t) => t.delayMs)).toEqual([5]);
    timer.runNext();
    await h.sandbox.whenIdle();
    expect(h.webhooks.map((w) => w.payload.code)).toEqual([
      first?.conversionCode,
      third?.conversionCode,
    ]);
    expect(h.sandbox.stats()).toMatchObject({ webhooksDropped: 1, webhooksDelivered: 2 });
  });

  it('close() abandons an event still waiting for its delay', async () => {
    const timer = manualScheduler();
    const h = createHarness({ webhookDelayMs: 60_000, schedule: timer.schedule });
    const session = await h.createSession();
    await h.call('POST', `/__sandbox/orders/${session.conversionCode}/pay`);
    expect(h.sandbox.stats().webhooksPending).toBe(1);
    h.sandbox.close();
    await h.sandbox.whenIdle();
    expect(h.webhooks).toEqual([]);
    expect(h.sandbox.stats()).toMatchObject({ webhooksPending: 0, webhookAttempts: 0 });
  });
});
