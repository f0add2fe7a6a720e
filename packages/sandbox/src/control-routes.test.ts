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
      ordersEvicted: 0,
      apiRequests: 2,
      faultsInjected: 0,
      webhooksDelivered: 1,
      webhooksFailed: 0,
      webhooksDropped: 0,
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
    const h = createHarness({
      latencyMs: 5,
      faultRate: 0.25,
      webhookDropRate: 0.1,
      webhookDelayMs: 2000,
    });
    const res = await h.call<FaultSettings>('GET', '/__sandbox/faults');
    expect(success(res.body)).toEqual({
      latencyMs: 5,
      faultRate: 0.25,
      webhookDropRate: 0.1,
      webhookDelayMs: 2000,
    });
  });

  it('GET /__sandbox/faults answers 0 for the webhook faults by default', async () => {
    const h = createHarness();
    const res = await h.call<FaultSettings>('GET', '/__sandbox/faults');
    expect(success(res.body)).toEqual({
      latencyMs: 0,
      faultRate: 0,
      webhookDropRate: 0,
      webhookDelayMs: 0,
    });
  });

  it('POST /__sandbox/faults changes the given settings at runtime and answers all of them', async () => {
    const h = createHarness({ latencyMs: 5 });
    const res = await h.call<FaultSettings>('POST', '/__sandbox/faults', {
      body: { faultRate: 1 },
    });
    expect(success(res.body)).toEqual({
      latencyMs: 5,
      faultRate: 1,
      webhookDropRate: 0,
      webhookDelayMs: 0,
    });
    expect((await h.call('POST', '/api/auth/login', { body: {} })).status).toBe(503);
    await h.call('POST', '/__sandbox/faults', { body: { faultRate: 0, latencyMs: 0 } });
    expect((await h.call('POST', '/api/auth/login', { body: {} })).status).toBe(400);
  });

  it('POST /__sandbox/faults sets the webhook faults, leaving the others as they were', async () => {
    const h = createHarness({ latencyMs: 5, faultRate: 0.25 });
    const res = await h.call<FaultSettings>('POST', '/__sandbox/faults', {
      body: { webhookDropRate: 0.75, webhookDelayMs: 3_600_000 },
    });
    expect(res.status).toBe(200);
    const expected = {
      latencyMs: 5,
      faultRate: 0.25,
      webhookDropRate: 0.75,
      webhookDelayMs: 3_600_000,
    };
    expect(success(res.body)).toEqual(expected);
    expect(success((await h.call<FaultSettings>('GET', '/__sandbox/faults')).body)).toEqual(
      expected,
    );
    await h.call('POST', '/__sandbox/faults', { body: { webhookDropRate: 0 } });
    expect(h.sandbox.faults()).toEqual({ ...expected, webhookDropRate: 0 });
  });

  it.each([
    [{ faultRate: 1.5 }, 'faultRate', 'must be between 0 and 1'],
    [{ faultRate: '0.5' }, 'faultRate', 'must be a number'],
    [{ latencyMs: -1 }, 'latencyMs', 'must be between 0 and 60000'],
    [{ latencyMs: 1.5 }, 'latencyMs', 'must be an integer'],
    [{ webhookDropRate: 1.01 }, 'webhookDropRate', 'must be between 0 and 1'],
    [{ webhookDropRate: -0.5 }, 'webhookDropRate', 'must be between 0 and 1'],
    [{ webhookDropRate: '1' }, 'webhookDropRate', 'must be a number'],
    [{ webhookDropRate: null }, 'webhookDropRate', 'must be a number'],
    [{ webhookDelayMs: -1 }, 'webhookDelayMs', 'must be between 0 and 3600000'],
    [{ webhookDelayMs: 3_600_001 }, 'webhookDelayMs', 'must be between 0 and 3600000'],
    [{ webhookDelayMs: 2.5 }, 'webhookDelayMs', 'must be an integer'],
    [{ webhookDelayMs: '100' }, 'webhookDelayMs', 'must be a number'],
    [{ latency: 10 }, 'body', 'unknown field'],
    [{ webhookDropRate: 0.5, webhookDropped: 1 }, 'body', 'unknown field'],
  ])('POST /__sandbox/faults rejects %j naming %s', async (body, field, message) => {
    const h = createHarness();
    const res = await h.call('POST', '/__sandbox/faults', { body });
    expect(res.status).toBe(400);
    expect(failure(res.body).errors).toEqual([{ field, message }]);
    expect(h.sandbox.faults()).toEqual({
      latencyMs: 0,
      faultRate: 0,
      webhookDropRate: 0,
      webhookDelayMs: 0,
    });
  });

  it('POST /__sandbox/faults names every bad field and changes nothing', async () => {
    const h = createHarness({ webhookDelayMs: 10 });
    const res = await h.call('POST', '/__sandbox/faults', {
      body: { faultRate: 0.5, webhookDropRate: 2, webhookDelayMs: 0.5 },
    });
    expect(res.status).toBe(400);
    expect(failure(res.body)).toMatchObject({
      message: 'Validation error',
      errors: [
        { field: 'webhookDropRate', message: 'must be between 0 and 1' },
        { field: 'webhookDelayMs', message: 'must be an integer' },
      ],
    });
    expect(h.sandbox.faults()).toEqual({
      latencyMs: 0,
      faultRate: 0,
      webhookDropRate: 0,
      webhookDelayMs: 10,
    });
  });

  it.each([
    [{ faultRate: 2 }, 'faultRate must be a number between 0 and 1'],
    [{ webhookDropRate: 1.5 }, 'webhookDropRate must be a number between 0 and 1'],
    [{ webhookDelayMs: 0.5 }, 'webhookDelayMs must be an integer between 0 and 3600000'],
    [{ webhookDelayMs: 3_600_001 }, 'webhookDelayMs must be an integer between 0 and 3600000'],
  ])('setFaults(%j) validates like the endpoint', (patch, message) => {
    const h = createHarness();
    expect(() => h.sandbox.setFaults(patch)).toThrow(message);
    expect(h.sandbox.faults()).toMatchObject({
      faultRate: 0,
      webhookDropRate: 0,
      webhookDelayMs: 0,
    });
  });

  it('setFaults() changes the webhook faults', () => {
    const h = createHarness();
    expect(h.sandbox.setFaults({ webhookDropRate: 1, webhookDelayMs: 250 })).toEqual({
      latencyMs: 0,
      faultRate: 0,
      webhookDropRate: 1,
      webhookDelayMs: 250,
    });
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
