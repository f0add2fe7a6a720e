import { describe, expect, it } from 'vitest';
import type { FaultSettings } from './fault-injection.js';
import type { SandboxStats } from './sandbox-stats.js';
import type { OrderStatusView } from './session-store.js';
import { createHarness, failure, success } from './test/harness.js';

describe('/__sandbox/orders/:code/:helper', () => {
  it.each([
    ['pay', 'state:executed'],
    ['cancel', 'state:canceled'],
    ['expire', 'state:expired'],
    ['fail', 'state:error'],
  ])('%s moves a pending order to %s', async (helper, state) => {
    const h = createHarness();
    const session = await h.createSession();
    const res = await h.call<OrderStatusView>(
      'POST',
      `/__sandbox/orders/${session.conversionCode}/${helper}`,
    );
    expect(res.status).toBe(200);
    expect(success(res.body)).toMatchObject({ code: session.conversionCode, state });
  });

  it('answers 409 for an order that is no longer pending', async () => {
    const h = createHarness();
    const session = await h.createSession();
    await h.call('POST', `/__sandbox/orders/${session.conversionCode}/pay`);
    const res = await h.call('POST', `/__sandbox/orders/${session.conversionCode}/expire`);
    expect(res.status).toBe(409);
    expect(failure(res.body).message).toContain('no longer pending (state:executed)');
  });

  it.each([
    ['an unknown code', '/__sandbox/orders/NOPE/pay'],
    ['an unknown helper', '/__sandbox/orders/NOPE/refund'],
  ])('answers 404 for %s', async (_label, path) => {
    const h = createHarness();
    expect((await h.call('POST', path)).status).toBe(404);
  });
});

describe('/__sandbox/stats', () => {
  it('counts logins, sessions, requests and webhooks', async () => {
    const h = createHarness();
    const session = await h.createSession();
    await h.call('POST', `/__sandbox/orders/${session.conversionCode}/pay`);
    await h.sandbox.whenIdle();
    const res = await h.call<SandboxStats>('GET', '/__sandbox/stats');
    expect(res.body).toMatchObject({ logins: 1, sessionsCreated: 1, webhooksDelivered: 1 });
    expect(success(res.body)).toEqual({
      logins: 1,
      loginFailures: 0,
      sessionsCreated: 1,
      sessionsResumed: 0,
      sessionsDeleted: 0,
      ordersByState: {
        'state:pending': 0,
        'state:executed': 1,
        'state:expired': 0,
        'state:canceled': 0,
        'state:error': 0,
      },
      apiRequests: 2,
      faultsInjected: 0,
      webhooksDelivered: 1,
      webhooksFailed: 0,
      webhookAttempts: 1,
      webhooksPending: 0,
    });
  });
});

describe('fault injection', () => {
  it('answers faultRate of /api requests with a 503 envelope, decided by the injected random', async () => {
    const rolls = [0.1, 0.9, 0.49, 0.5, 0];
    const h = createHarness({ faultRate: 0.5, random: () => rolls.shift() ?? 0.99 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await h.call('GET', '/api/confirm_conversion/status/X')).status);
    expect(statuses).toEqual([503, 401, 503, 401]);
    const res = await h.call('GET', '/api/confirm_conversion/status/X');
    expect(res.body).toEqual({
      success: false,
      status: 503,
      message: 'Service temporarily unavailable (injected fault)',
    });
    expect(h.sandbox.stats()).toMatchObject({ faultsInjected: 3, apiRequests: 5 });
  });

  it.each(['/healthz', '/__sandbox/stats', '/pay?code=NOPE'])('leaves %s alone', async (path) => {
    const h = createHarness({ faultRate: 1 });
    expect((await h.sandbox.app.request(path)).status).not.toBe(503);
  });

  it('delays /api answers by latencyMs on the scheduler', async () => {
    const h = createHarness({ latencyMs: 250 });
    await h.call('GET', '/api/confirm_conversion/status/X');
    expect(h.delays).toEqual([250]);
  });

  it('GET /__sandbox/faults answers the current settings', async () => {
    const h = createHarness({ latencyMs: 5, faultRate: 0.25 });
    const res = await h.call<FaultSettings>('GET', '/__sandbox/faults');
    expect(success(res.body)).toEqual({ latencyMs: 5, faultRate: 0.25 });
  });

  it('POST /__sandbox/faults changes the given settings at runtime and answers all of them', async () => {
    const h = createHarness({ latencyMs: 5 });
    const res = await h.call<FaultSettings>('POST', '/__sandbox/faults', {
      body: { faultRate: 1 },
    });
    expect(success(res.body)).toEqual({ latencyMs: 5, faultRate: 1 });
    expect((await h.call('POST', '/api/auth/login', { body: {} })).status).toBe(503);
    await h.call('POST', '/__sandbox/faults', { body: { faultRate: 0, latencyMs: 0 } });
    expect((await h.call('POST', '/api/auth/login', { body: {} })).status).toBe(400);
  });

  it.each([
    [{ faultRate: 1.5 }, 'faultRate'],
    [{ faultRate: '0.5' }, 'faultRate'],
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ latencyMs: 1.5 }, 'latencyMs'],
    [{ latency: 10 }, 'body'],
  ])('POST /__sandbox/faults rejects %j naming %s', async (body, field) => {
    const h = createHarness();
    const res = await h.call('POST', '/__sandbox/faults', { body });
    expect(res.status).toBe(400);
    expect(failure(res.body).errors?.map((e) => e.field)).toEqual([field]);
    expect(h.sandbox.faults()).toEqual({ latencyMs: 0, faultRate: 0 });
  });

  it('setFaults() validates like the endpoint', () => {
    const h = createHarness();
    expect(() => h.sandbox.setFaults({ faultRate: 2 })).toThrow(
      'faultRate must be a number between 0 and 1',
    );
  });
});

describe('routing', () => {
  it('GET /healthz answers 200', async () => {
    const h = createHarness();
    expect((await h.sandbox.app.request('/healthz')).status).toBe(200);
  });

  it.each([
    ['GET', '/api/nowhere'],
    ['POST', '/api/confirm_conversion/request'],
    ['GET', '/__sandbox/nowhere'],
  ])('%s %s answers a 404 envelope', async (method, path) => {
    const h = createHarness();
    const res = await h.call(method, path);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, status: 404 });
  });
});
