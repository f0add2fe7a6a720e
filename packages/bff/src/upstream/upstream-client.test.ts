import type { Problem, SessionCreated } from '@buy-button/element/wire';
import { describe, expect, it } from 'vitest';
import { problemType } from '../problems/problem-types.js';
import { checkout, createHarness, SANDBOX_URL } from '../test/harness.js';
import { UpstreamClient } from './upstream-client.js';
import { UPSTREAM_ERROR_CODE, UpstreamError } from './upstream-error.js';
import { orderSchema, sessionSchema } from './upstream-schemas.js';

const isCreate = (request: Request) =>
  request.method === 'POST' && request.url.endsWith('/api/buy-button/sessions');

/** A harness whose upstream calls pass through `intercept` first. */
function harnessWith(
  intercept: (request: Request, forward: () => Promise<Response>) => Promise<Response>,
  env: Record<string, string> = {},
) {
  const harness = createHarness({
    env,
    deps: {
      fetch: async (input, init) => {
        const request = new Request(input, init);
        harness.calls.push({ method: request.method, url: request.url });
        return intercept(request, async () => harness.sandbox.app.fetch(request));
      },
    },
  });
  return harness;
}

async function problemOf(response: Response): Promise<Problem> {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as Problem;
}

describe('upstream outcomes as client errors', () => {
  it('maps an upstream that answers 503 to a 503 problem, after the allowed retries', async () => {
    const harness = createHarness();
    await checkout(harness, { button: 'btn_coffee' });
    const before = harness.sandbox.stats().apiRequests;
    harness.sandbox.setFaults({ faultRate: 1 });
    const response = await checkout(harness, { button: 'btn_coffee' });
    expect(response.status).toBe(503);
    expect((await problemOf(response)).type).toBe(problemType('upstreamUnavailable'));
    // UPSTREAM_RETRIES defaults to 2: three attempts in all.
    expect(harness.sandbox.stats().apiRequests - before).toBe(3);
  });

  it('rides out one transient 503 on create', async () => {
    let failed = false;
    const harness = harnessWith(async (request, forward) => {
      if (isCreate(request) && !failed) {
        failed = true;
        return Response.json({ success: false, status: 503, message: 'busy' }, { status: 503 });
      }
      return forward();
    });
    expect((await checkout(harness, { button: 'btn_coffee' })).status).toBe(201);
    expect(harness.sandbox.stats().sessionsCreated).toBe(1);
  });

  it('keeps the orderRef when a create is retried after a lost answer, and reads the session back', async () => {
    let lost = false;
    const harness = harnessWith(async (request, forward) => {
      if (isCreate(request) && !lost) {
        lost = true;
        await forward();
        throw new TypeError('fetch failed: socket hang up');
      }
      return forward();
    });
    const response = await checkout(harness, { button: 'btn_coffee' });
    expect(response.status).toBe(201);
    const session = (await response.json()) as SessionCreated;
    expect(harness.sandbox.stats().sessionsCreated).toBe(1);
    const creates = harness.calls.filter(
      (call) => call.method === 'POST' && call.url.endsWith('/sessions'),
    );
    expect(creates).toHaveLength(2);
    expect(
      harness.calls.some((call) => call.url.includes(`/status/order/${session.orderRef}`)),
    ).toBe(true);
    const read = await harness.bff.request(`/sessions/${session.sessionId}`, {
      headers: { authorization: `Bearer ${session.receipt}` },
    });
    expect(read.status).toBe(200);
  });

  it('maps a timeout to 504', async () => {
    const harness = harnessWith(async (request, forward) => {
      if (isCreate(request)) throw new DOMException('The operation timed out.', 'TimeoutError');
      return forward();
    });
    const response = await checkout(harness, { button: 'btn_coffee' });
    expect(response.status).toBe(504);
    expect((await problemOf(response)).type).toBe(problemType('upstreamTimeout'));
  });

  it('maps an unreachable upstream to 503', async () => {
    const harness = harnessWith(async () => {
      throw new TypeError('fetch failed: ECONNREFUSED');
    });
    const response = await checkout(harness, { button: 'btn_coffee' });
    expect(response.status).toBe(503);
  });

  it('maps an upstream validation error to 400, without its text', async () => {
    const harness = createHarness({
      env: {
        BUTTONS: JSON.stringify({ btn_coffee: { name: 'Coffee', price: '5.00', currency: 'EUR' } }),
      },
    });
    const response = await checkout(harness, { button: 'btn_coffee' });
    expect(response.status).toBe(400);
    const body = JSON.stringify(await problemOf(response));
    expect(body).toContain(problemType('upstreamRejected'));
    expect(body).not.toContain('4.50');
    expect(harness.logs.some((entry) => JSON.stringify(entry).includes('Validation error'))).toBe(
      true,
    );
  });

  it('maps a button the upstream does not know to 502', async () => {
    const harness = createHarness({
      env: {
        BUTTONS: JSON.stringify({ btn_tea: { name: 'Tea', price: '3.00', currency: 'EUR' } }),
      },
    });
    const response = await checkout(harness, { button: 'btn_tea' });
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain('btn_tea');
  });

  it('maps a 2xx that is not the envelope to 502', async () => {
    const harness = harnessWith(async (request, forward) =>
      isCreate(request) ? new Response('<html>proxy page</html>', { status: 200 }) : forward(),
    );
    const response = await checkout(harness, { button: 'btn_coffee' });
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain('proxy page');
  });

  it('puts a time limit on every call', async () => {
    const signals: (AbortSignal | null)[] = [];
    const harness = harnessWith(async (request, forward) => {
      signals.push(request.signal);
      return forward();
    });
    await checkout(harness, { button: 'btn_coffee' });
    expect(signals.length).toBeGreaterThanOrEqual(2);
    expect(signals.every((signal) => signal instanceof AbortSignal)).toBe(true);
  });

  it('retries reads', async () => {
    const harness = createHarness();
    const session = (await (
      await checkout(harness, { button: 'btn_coffee' })
    ).json()) as SessionCreated;
    const before = harness.sandbox.stats().apiRequests;
    harness.sandbox.setFaults({ faultRate: 1 });
    const headers = { authorization: `Bearer ${session.receipt}`, origin: 'https://shop.test' };
    expect((await harness.bff.request(`/sessions/${session.sessionId}`, { headers })).status).toBe(
      503,
    );
    expect(harness.sandbox.stats().apiRequests - before).toBe(3);
  });

  it('never retries a DELETE', async () => {
    const harness = harnessWith(async (request, forward) =>
      request.method === 'DELETE'
        ? Response.json({ success: false, status: 503, message: 'busy' }, { status: 503 })
        : forward(),
    );
    const session = (await (
      await checkout(harness, { button: 'btn_coffee' })
    ).json()) as SessionCreated;
    const del = await harness.bff.request(`/sessions/${session.sessionId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${session.receipt}`, origin: 'https://shop.test' },
    });
    expect(del.status).toBe(503);
    expect(harness.calls.filter((call) => call.method === 'DELETE')).toHaveLength(1);
  });
});

describe('tolerant reading of upstream bodies', () => {
  it('reads `_id` as the session id, numbers as amounts, and ignores extra fields', () => {
    const session = sessionSchema.parse({
      _id: '6650a1f0c0ffee0000000009',
      orderRef: 'shop-1',
      conversionCode: 'ABC',
      price: 4.5,
      currency: 'EUR',
      state: 'state:pending',
      somethingNew: { nested: true },
    });
    expect(session).toEqual({
      id: '6650a1f0c0ffee0000000009',
      orderRef: 'shop-1',
      conversionCode: 'ABC',
      price: '4.50',
      currency: 'EUR',
      state: 'state:pending',
    });
  });

  it('reads an order with its session under `session`', () => {
    expect(
      orderSchema.parse({
        code: 'C',
        state: 'state:executed',
        amount: '10',
        currency: 'EUR',
        orderRef: 'r',
        session: 's',
      }),
    ).toMatchObject({ sessionId: 's', amount: '10.00' });
  });

  it('refuses a session without any id', () => {
    expect(sessionSchema.safeParse({ orderRef: 'r', conversionCode: 'c' }).success).toBe(false);
  });

  it('gives typed errors with a stable code', async () => {
    const client = new UpstreamClient({
      apiUrl: `${SANDBOX_URL}/api`,
      transport: async () => ({
        status: 404,
        body: JSON.stringify({ success: false, status: 404, message: 'Session not found' }),
      }),
      tokens: { getToken: async () => 't', invalidate: async () => {}, renewable: false },
      timeoutMs: 1000,
      retries: 2,
      checkoutDeadlineMs: 5000,
      now: Date.now,
      sleep: async () => {},
      random: () => 0,
      log: () => {},
    });
    const err = await client.getSession('x').catch((error: unknown) => error);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({
      code: UPSTREAM_ERROR_CODE.status,
      status: 404,
      upstreamMessage: 'Session not found',
    });
  });

  it('gives a whole checkout, retries included, at most CHECKOUT_TIMEOUT_MS, then a timeout', async () => {
    let now = 0;
    const limits: number[] = [];
    const client = new UpstreamClient({
      apiUrl: `${SANDBOX_URL}/api`,
      // Every attempt hangs until its own limit.
      transport: async ({ timeoutMs }) => {
        limits.push(timeoutMs);
        now += timeoutMs;
        throw new DOMException('The operation timed out.', 'TimeoutError');
      },
      tokens: { getToken: async () => 't', invalidate: async () => {}, renewable: false },
      timeoutMs: 5000,
      retries: 5,
      checkoutDeadlineMs: 12_000,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      random: () => 1,
      log: () => {},
    });
    const err = await client
      .createSession({
        button: 'b',
        orderRef: 'test-1',
        price: '1.00',
        currency: 'EUR',
        buttonName: 'B',
        callbackUrl: 'https://bff.test/webhooks/payment',
      })
      .catch((error: unknown) => error);
    expect(err).toMatchObject({ code: UPSTREAM_ERROR_CODE.timeout });
    expect(now).toBeLessThanOrEqual(12_000);
    expect(limits[0]).toBe(5000);
    expect(limits.length).toBeGreaterThan(1);
  });

  it('answers 502 for an upstream answer past the size cap', async () => {
    const harness = createHarness({
      deps: {
        transport: async () => {
          throw Object.assign(new Error('too large'), { name: 'AnswerTooLargeError' });
        },
      },
    });
    const response = await checkout(harness, { button: 'btn_coffee' });
    expect(response.status).toBe(502);
  });
});
