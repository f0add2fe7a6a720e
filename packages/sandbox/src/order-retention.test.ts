import { describe, expect, it } from 'vitest';
import type { SandboxStats } from './sandbox-stats.js';
import type { SessionView } from './session-store.js';
import { createHarness, failure, type Harness, success } from './test/harness.js';

const SESSIONS = '/api/buy-button/sessions';

const pay = (h: Harness, code: string) => h.call('POST', `/__sandbox/orders/${code}/pay`);

/** A sandbox keeping 2 orders, with one paid order evicted by two later creates. */
async function withEvictedOrder() {
  const h = createHarness({ maxOrders: 2 });
  const evicted = await h.createSession({ orderRef: 'order-evicted' });
  await pay(h, evicted.conversionCode);
  const kept = [await h.createSession(), await h.createSession()];
  return { h, evicted, kept };
}

describe('maxOrders over HTTP', () => {
  it('evicts the finished order to make room and keeps the pending ones', async () => {
    const { h, evicted, kept } = await withEvictedOrder();
    const token = await h.login();
    for (const session of kept) {
      const res = await h.call<SessionView>('GET', `${SESSIONS}/${session.id}`, { token });
      expect(success(res.body).state).toBe('state:pending');
    }
    const gone = await h.call('GET', `${SESSIONS}/${evicted.id}`, { token });
    expect(gone.status).toBe(404);
  });

  it.each([
    ['GET the session', 'GET', (s: SessionView) => `${SESSIONS}/${s.id}`, 'Session not found'],
    [
      'GET the session by conversion code',
      'GET',
      (s: SessionView) => `${SESSIONS}/conversion/${s.conversionCode}`,
      'Session not found',
    ],
    [
      'DELETE the session',
      'DELETE',
      (s: SessionView) => `${SESSIONS}/${s.id}`,
      'Session not found',
    ],
    [
      'GET the order status',
      'GET',
      (s: SessionView) => `/api/confirm_conversion/status/${s.conversionCode}`,
      'Order not found',
    ],
    [
      'GET the order status by orderRef',
      'GET',
      (s: SessionView) => `/api/confirm_conversion/status/order/${s.orderRef}`,
      'Order not found',
    ],
    [
      'a /__sandbox order helper',
      'POST',
      (s: SessionView) => `/__sandbox/orders/${s.conversionCode}/expire`,
      'Order not found',
    ],
  ])('answers an evicted order with a 404 envelope: %s', async (_label, method, path, message) => {
    const { h, evicted } = await withEvictedOrder();
    const res = await h.call(method, path(evicted), { token: await h.login() });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ success: false, status: 404, message });
  });

  it('answers a resume with the conversion code of an evicted order with a 404', async () => {
    const { h, evicted } = await withEvictedOrder();
    const res = await h.call('POST', SESSIONS, {
      token: await h.login(),
      body: {
        button: 'btn_coffee',
        orderRef: evicted.orderRef,
        conversionCode: evicted.conversionCode,
      },
    });
    expect(res.status).toBe(404);
    expect(failure(res.body).message).toBe(`Conversion code not found: ${evicted.conversionCode}`);
  });

  it.each([
    ['GET', (code: string) => `/pay?code=${code}`],
    ['POST', (code: string) => `/pay/${code}/pay`],
    ['POST', (code: string) => `/pay/${code}/cancel`],
  ])('answers the portal 404 page for an evicted order: %s', async (method, path) => {
    const { h, evicted } = await withEvictedOrder();
    const res = await h.sandbox.app.request(path(evicted.conversionCode), { method });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('lets the orderRef of an evicted order start a new session', async () => {
    const { h, evicted, kept } = await withEvictedOrder();
    const token = await h.login();
    await pay(h, kept[0]?.conversionCode ?? '');
    const again = await h.createSession({ orderRef: evicted.orderRef });
    const res = await h.call('GET', `/api/confirm_conversion/status/order/${evicted.orderRef}`, {
      token,
    });
    expect(success(res.body)).toMatchObject({
      code: again.conversionCode,
      state: 'state:pending',
    });
  });

  it('counts evictions in GET /__sandbox/stats, and counts only kept orders by state', async () => {
    const h = createHarness({ maxOrders: 3 });
    for (let i = 0; i < 7; i += 1) await pay(h, (await h.createSession()).conversionCode);
    const res = await h.call<SandboxStats>('GET', '/__sandbox/stats');
    expect(res.body).toMatchObject({ ordersEvicted: 4, sessionsCreated: 7 });
    expect(success(res.body)).toMatchObject({
      ordersEvicted: 4,
      ordersByState: { 'state:executed': 3, 'state:pending': 0 },
    });
    expect(h.sandbox.stats().ordersEvicted).toBe(4);
  });

  it('answers 503 "Sandbox full" with Retry-After while every kept order is pending, then makes room once one expires', async () => {
    const h = createHarness({ maxOrders: 2, orderTtlSeconds: 60 });
    const oldest = await h.createSession();
    h.advance(20_000);
    await h.createSession();
    const token = await h.login();
    const body = { button: 'btn_coffee', orderRef: 'order-overflow' };
    const full = await h.call('POST', SESSIONS, { token, body });
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('40');
    expect(full.body).toEqual({
      success: false,
      status: 503,
      message:
        'Sandbox full: it keeps at most 2 orders (maxOrders) and all are pending; retry once one is paid, canceled or expired',
    });
    expect(h.sandbox.stats()).toMatchObject({ sessionsCreated: 2, ordersEvicted: 0 });

    h.advance(40_000);
    const created = await h.call<SessionView>('POST', SESSIONS, { token, body });
    expect(created.status).toBe(200);
    await h.sandbox.whenIdle();
    expect(h.webhooks.map((hook) => [hook.payload.code, hook.payload.status])).toEqual([
      [oldest.conversionCode, 'EXPIRED'],
    ]);
    expect(h.sandbox.stats()).toMatchObject({ sessionsCreated: 3, ordersEvicted: 1 });
  });

  it('stays within maxOrders over many creates through the API', async () => {
    const h = createHarness({ maxOrders: 20 });
    const token = await h.login();
    for (let i = 0; i < 300; i += 1) {
      const res = await h.call<SessionView>('POST', SESSIONS, {
        token,
        body: { button: 'btn_coffee', orderRef: `order-many-${i}` },
      });
      await pay(h, success(res.body).conversionCode);
      const kept = Object.values(h.sandbox.stats().ordersByState).reduce((a, b) => a + b, 0);
      expect(kept).toBeLessThanOrEqual(20);
    }
    expect(h.sandbox.stats()).toMatchObject({ sessionsCreated: 300, ordersEvicted: 280 });
  });
});
