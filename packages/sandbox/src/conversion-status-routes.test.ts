import { describe, expect, it } from 'vitest';
import type { OrderStatusView } from './session-store.js';
import { createHarness, failure, type LoginName, success } from './test/harness.js';

const STATUS = '/api/confirm_conversion/status';

describe('GET /api/confirm_conversion/status', () => {
  it('/:code answers { code, state, amount, currency, orderRef, sessionId }', async () => {
    const h = createHarness();
    const session = await h.createSession({
      button: 'btn_donation',
      price: '25',
      orderRef: 'order-st',
    });
    const res = await h.call<OrderStatusView>('GET', `${STATUS}/${session.conversionCode}`, {
      token: await h.login(),
    });
    expect(res.status).toBe(200);
    expect(success(res.body)).toEqual({
      code: session.conversionCode,
      state: 'state:pending',
      amount: '25.00',
      currency: 'EUR',
      orderRef: 'order-st',
      sessionId: session.id,
    });
  });

  it('/order/:orderRef answers the latest order of that orderRef', async () => {
    const h = createHarness();
    const first = await h.createSession({ orderRef: 'order-latest' });
    await h.sandbox.app.request(`/__sandbox/orders/${first.conversionCode}/cancel`, {
      method: 'POST',
    });
    const second = await h.createSession({ orderRef: 'order-latest' });
    const res = await h.call<OrderStatusView>('GET', `${STATUS}/order/order-latest`, {
      token: await h.login(),
    });
    expect(success(res.body)).toMatchObject({
      code: second.conversionCode,
      state: 'state:pending',
    });
  });

  it('applies expiry before answering', async () => {
    const h = createHarness();
    const session = await h.createSession();
    h.advance(300_000);
    const res = await h.call<OrderStatusView>('GET', `${STATUS}/${session.conversionCode}`, {
      token: await h.login(),
    });
    expect(success(res.body).state).toBe('state:expired');
  });

  it.each([`${STATUS}/NOPE`, `${STATUS}/order/order-none`])('%s answers 404', async (path) => {
    const h = createHarness();
    const res = await h.call('GET', path, { token: await h.login() });
    expect(res.status).toBe(404);
    expect(failure(res.body).message).toBe('Order not found');
  });

  it('answers 401 without a token', async () => {
    const h = createHarness();
    expect((await h.call('GET', `${STATUS}/NOPE`)).status).toBe(401);
  });

  it.each([
    ['service', 200],
    ['manager', 200],
    ['superManager', 200],
    ['superAdmin', 200],
    ['simpleUser', 200],
    ['cashier', 403],
    ['association', 403],
  ] as const)('as %s answers %i', async (role: LoginName, expected) => {
    const h = createHarness();
    const session = await h.createSession();
    const token = await h.login(role);
    expect((await h.call('GET', `${STATUS}/${session.conversionCode}`, { token })).status).toBe(
      expected,
    );
    expect((await h.call('GET', `${STATUS}/order/${session.orderRef}`, { token })).status).toBe(
      expected,
    );
  });
});
