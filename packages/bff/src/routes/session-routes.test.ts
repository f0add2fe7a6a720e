import type { Problem, SessionCreated, SessionStatus } from '@buy-button/element/wire';
import { describe, expect, it } from 'vitest';
import { checkoutFingerprint } from '../checkout/idempotency.js';
import { problemType } from '../problems/problem-types.js';
import { checkout, createHarness, type Harness, SHOP } from '../test/harness.js';

const RETURN = '/return?order={ORDER_REF}&receipt={RECEIPT}';

async function created(harness: Harness, body: Record<string, unknown> = { button: 'btn_coffee' }) {
  const response = await checkout(harness, body);
  expect(response.status).toBe(201);
  return (await response.json()) as SessionCreated;
}

function status(harness: Harness, id: string, receipt?: string, method = 'GET') {
  return harness.bff.request(`/sessions/${id}`, {
    method,
    headers:
      receipt === undefined
        ? { origin: SHOP }
        : { authorization: `Bearer ${receipt}`, origin: SHOP },
  });
}

describe('POST /sessions', () => {
  it('creates an upstream session at the catalog price and answers 201 with the contract fields', async () => {
    const harness = createHarness();
    const session = await created(harness, { button: 'btn_coffee', returnUrl: RETURN });
    expect(Object.keys(session).sort()).toEqual([
      'conversionCode',
      'orderRef',
      'receipt',
      'redirectUrl',
      'sessionId',
    ]);
    expect(session.redirectUrl).toBe(`http://sandbox.test/pay?code=${session.conversionCode}`);
    expect(session.orderRef).toMatch(/^test-[0-9A-Z]{26}$/);
    const data = await upstreamData<{ amount: string; currency: string }>(
      harness,
      `/api/confirm_conversion/status/${session.conversionCode}`,
    );
    expect(data).toMatchObject({ amount: '4.50', currency: 'EUR' });
  });

  it('sends the upstream a callback to its own webhook and the filled return URL', async () => {
    const harness = createHarness();
    const session = await created(harness, {
      button: 'btn_coffee',
      returnUrl: RETURN,
      cancelUrl: '/cancel/{ORDER_REF}',
    });
    const data = await upstreamData<{
      callbackUrl: string;
      returnUrl: string;
      cancelUrl: string;
      buttonName: string;
    }>(harness, `/api/buy-button/sessions/${session.sessionId}`);
    expect(data.callbackUrl).toBe('http://bff.test/webhooks/payment');
    expect(data.returnUrl).toBe(
      `${SHOP}/return?order=${session.orderRef}&receipt=${session.receipt}`,
    );
    expect(data.cancelUrl).toBe(`${SHOP}/cancel/${session.orderRef}`);
    expect(data.buttonName).toBe('Coffee beans');
  });

  it('fills the receipt into a cancel URL too, written percent-encoded as in a parsed path', async () => {
    const harness = createHarness();
    const session = await created(harness, {
      button: 'btn_coffee',
      returnUrl: '/return/{ORDER_REF}',
      cancelUrl: '/cancel/%7BRECEIPT%7D',
    });
    const data = await upstreamData<{ returnUrl: string; cancelUrl: string }>(
      harness,
      `/api/buy-button/sessions/${session.sessionId}`,
    );
    expect(data.returnUrl).toBe(`${SHOP}/return/${session.orderRef}`);
    expect(data.cancelUrl).toBe(`${SHOP}/cancel/${session.receipt}`);
  });

  it('uses DEFAULT_RETURN_URL when the request has none', async () => {
    const harness = createHarness({ env: { DEFAULT_RETURN_URL: `${SHOP}/thanks?o={ORDER_REF}` } });
    const session = await created(harness);
    const data = await upstreamData<{ returnUrl: string }>(
      harness,
      `/api/buy-button/sessions/${session.sessionId}`,
    );
    expect(data.returnUrl).toBe(`${SHOP}/thanks?o=${session.orderRef}`);
  });

  it('takes an open amount from the shopper', async () => {
    const harness = createHarness();
    const session = await created(harness, {
      button: 'btn_donation',
      price: '12.34',
      currency: 'EUR',
    });
    const read = await status(harness, session.sessionId, session.receipt);
    expect(((await read.json()) as SessionStatus).amount).toBe('12.34');
  });

  it('answers a form post with a 303 to the portal', async () => {
    const harness = createHarness();
    const response = await harness.bff.request('/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SHOP },
      body: new URLSearchParams({ button: 'btn_coffee', price: '', returnUrl: RETURN }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(
      /^http:\/\/sandbox\.test\/pay\?code=[A-Z0-9]+$/,
    );
    expect(harness.sandbox.stats().sessionsCreated).toBe(1);
  });

  it('answers a refused form post with an HTML page carrying the status', async () => {
    const harness = createHarness();
    const response = await harness.bff.request('/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SHOP },
      body: 'button=btn_unknown',
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('This button is not sold here');
    expect(page).toContain('404');
  });

  it.each([
    ['an unknown button', { button: 'btn_gold' }, 404, 'unknown-button'],
    ['no button', { price: '1.00' }, 400, 'invalid-request'],
    ['a non-string button', { button: 42 }, 400, 'invalid-request'],
    ['a tampered fixed price', { button: 'btn_coffee', price: '0.01' }, 400, 'price-mismatch'],
    ['a tampered currency', { button: 'btn_coffee', currency: 'USD' }, 400, 'currency-mismatch'],
    [
      'an open amount over the range',
      { button: 'btn_donation', price: '500.01' },
      400,
      'price-out-of-range',
    ],
    [
      'an open amount under the range',
      { button: 'btn_donation', price: '0.50' },
      400,
      'price-out-of-range',
    ],
    ['an open amount as a number', { button: 'btn_donation', price: 12 }, 400, 'invalid-request'],
    [
      'an open amount in exponent form',
      { button: 'btn_donation', price: '1e2' },
      400,
      'invalid-price',
    ],
    [
      'an open redirect',
      { button: 'btn_coffee', returnUrl: 'https://evil.test/' },
      400,
      'invalid-redirect-url',
    ],
    [
      'a javascript: return URL',
      { button: 'btn_coffee', returnUrl: 'javascript:alert(1)' },
      400,
      'invalid-redirect-url',
    ],
    [
      'a scheme-relative cancel URL',
      { button: 'btn_coffee', cancelUrl: '//evil.test/x' },
      400,
      'invalid-redirect-url',
    ],
    [
      'a return URL too long once filled',
      { button: 'btn_coffee', returnUrl: `/${'a'.repeat(150)}?r={RECEIPT}` },
      400,
      'invalid-redirect-url',
    ],
  ])('refuses %s', async (_name, body, code, slug) => {
    const harness = createHarness();
    const response = await checkout(harness, body);
    expect(response.status).toBe(code);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as Problem;
    expect(problem.type).toBe(`https://buy-button.dev/problems/${slug}`);
    expect(problem.status).toBe(code);
    expect(harness.sandbox.stats().sessionsCreated).toBe(0);
  });

  it.each([
    ['malformed JSON', 'application/json', '{"button":', 400, 'malformed-body'],
    ['a JSON array', 'application/json', '[1,2]', 400, 'invalid-request'],
    ['plain text', 'text/plain', 'button=btn_coffee', 415, 'unsupported-media-type'],
  ])('refuses %s', async (_name, contentType, body, code, slug) => {
    const harness = createHarness();
    const response = await harness.bff.request('/sessions', {
      method: 'POST',
      headers: { 'content-type': contentType, origin: SHOP },
      body,
    });
    expect(response.status).toBe(code);
    expect(((await response.json()) as Problem).type).toBe(
      `https://buy-button.dev/problems/${slug}`,
    );
  });
});

describe('Idempotency-Key', () => {
  it('returns the same answer for the same key and body, creating nothing new', async () => {
    const harness = createHarness();
    const headers = { 'idempotency-key': 'key-1' };
    const first = await checkout(harness, { button: 'btn_coffee' }, headers);
    const second = await checkout(harness, { button: 'btn_coffee' }, headers);
    expect(second.status).toBe(201);
    expect(await second.json()).toEqual(await first.json());
    expect(harness.sandbox.stats().sessionsCreated).toBe(1);
  });

  it('replays the first answer exactly, receipt included', async () => {
    const harness = createHarness();
    const headers = { 'idempotency-key': 'key-small' };
    const first = (await (
      await checkout(harness, { button: 'btn_coffee' }, headers)
    ).json()) as SessionCreated;
    harness.clock.now += 60_000;
    const again = (await (
      await checkout(harness, { button: 'btn_coffee' }, headers)
    ).json()) as SessionCreated;
    expect(again).toEqual(first);
    const read = await status(harness, again.sessionId, again.receipt);
    expect(read.status).toBe(200);
  });

  it('still replays after 23 h, not after 24 h', async () => {
    const harness = createHarness();
    const headers = { 'idempotency-key': 'key-day' };
    await checkout(harness, { button: 'btn_coffee' }, headers);
    harness.clock.now += 23 * 3600_000;
    await checkout(harness, { button: 'btn_coffee' }, headers);
    expect(harness.sandbox.stats().sessionsCreated).toBe(1);
    harness.clock.now += 3600_000;
    await checkout(harness, { button: 'btn_coffee' }, headers);
    expect(harness.sandbox.stats().sessionsCreated).toBe(2);
  });

  it('answers 422 for the same key with another body', async () => {
    const harness = createHarness();
    const headers = { 'idempotency-key': 'key-2' };
    await checkout(harness, { button: 'btn_donation', price: '5.00' }, headers);
    const other = await checkout(harness, { button: 'btn_donation', price: '50.00' }, headers);
    expect(other.status).toBe(422);
    expect(((await other.json()) as Problem).type).toBe(problemType('idempotencyKeyReused'));
  });

  it('makes a concurrent duplicate wait for the first and share its answer', async () => {
    const harness = createHarness({ sandbox: { latencyMs: 5 } });
    const headers = { 'idempotency-key': 'key-3' };
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(() => checkout(harness, { button: 'btn_coffee' }, headers)),
    );
    const bodies = await Promise.all([a, b, c].map((r) => r?.json()));
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(harness.sandbox.stats().sessionsCreated).toBe(1);
  });

  it('answers 409 while the first request runs on another instance', async () => {
    const harness = createHarness();
    const fingerprint = checkoutFingerprint({ button: 'btn_coffee' }, SHOP);
    await harness.store.set('idem:key-4', JSON.stringify({ request: fingerprint }), 60_000);
    const dup = await checkout(harness, { button: 'btn_coffee' }, { 'idempotency-key': 'key-4' });
    expect(dup.status).toBe(409);
    expect(dup.headers.get('retry-after')).toBe('1');
    expect(((await dup.json()) as Problem).type).toBe(problemType('idempotencyInProgress'));
    expect(harness.sandbox.stats().sessionsCreated).toBe(0);
  });

  it('does not record failures: the same key may be retried', async () => {
    const harness = createHarness();
    harness.sandbox.setFaults({ faultRate: 1 });
    const headers = { 'idempotency-key': 'key-5' };
    expect((await checkout(harness, { button: 'btn_coffee' }, headers)).status).toBe(503);
    harness.sandbox.setFaults({ faultRate: 0 });
    expect((await checkout(harness, { button: 'btn_coffee' }, headers)).status).toBe(201);
  });

  it('refuses a key that is not visible ASCII', async () => {
    const harness = createHarness();
    const response = await checkout(
      harness,
      { button: 'btn_coffee' },
      { 'idempotency-key': 'a b' },
    );
    expect(response.status).toBe(400);
  });
});

describe('GET and DELETE /sessions/:id', () => {
  it('gives the shopper-safe status by session id and by orderRef', async () => {
    const harness = createHarness();
    const session = await created(harness);
    for (const id of [session.sessionId, session.orderRef]) {
      const response = await status(harness, id, session.receipt);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({
        sessionId: session.sessionId,
        orderRef: session.orderRef,
        status: 'pending',
        amount: '4.50',
        currency: 'EUR',
        quantity: 1,
      });
    }
  });

  it.each([
    ['executed', 'pay', 'paid'],
    ['canceled', 'cancel', 'canceled'],
    ['expired', 'expire', 'expired'],
    ['error', 'fail', 'error'],
  ])('maps the %s state to %s', async (_state, helper, expected) => {
    const harness = createHarness();
    const session = await created(harness);
    await harness.sandbox.app.request(`/__sandbox/orders/${session.conversionCode}/${helper}`, {
      method: 'POST',
    });
    const response = await status(harness, session.sessionId, session.receipt);
    expect(((await response.json()) as SessionStatus).status).toBe(expected);
    await harness.settle();
  });

  it.each([
    ['no receipt', undefined, 401, 'receipt-required'],
    ['a garbage receipt', 'garbage', 401, 'invalid-receipt'],
  ])('answers %s with 401', async (_name, receipt, code, slug) => {
    const harness = createHarness();
    const session = await created(harness);
    const response = await status(harness, session.sessionId, receipt);
    expect(response.status).toBe(code);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await response.json()) as Problem).type).toBe(
      `https://buy-button.dev/problems/${slug}`,
    );
  });

  it('refuses an expired receipt with 401', async () => {
    const harness = createHarness({ env: { RECEIPT_TTL_SECONDS: '60' } });
    const session = await created(harness);
    harness.clock.now += 61_000;
    expect((await status(harness, session.sessionId, session.receipt)).status).toBe(401);
  });

  it('refuses the receipt of another session with 403, by session id and by orderRef', async () => {
    const harness = createHarness();
    const mine = await created(harness);
    const theirs = await created(harness);
    for (const id of [theirs.sessionId, theirs.orderRef]) {
      const response = await status(harness, id, mine.receipt);
      expect(response.status).toBe(403);
      expect(((await response.json()) as Problem).type).toBe(problemType('receiptMismatch'));
      expect((await status(harness, id, mine.receipt, 'DELETE')).status).toBe(403);
    }
    expect(harness.sandbox.stats().sessionsDeleted).toBe(0);
  });

  it('answers 404 for an unknown session', async () => {
    const harness = createHarness();
    const session = await created(harness);
    expect((await status(harness, 'ffffffffffffffffffffffff', session.receipt)).status).toBe(404);
  });

  it('cancels the session on DELETE, and a repeat still reports canceled', async () => {
    const harness = createHarness();
    const session = await created(harness);
    const first = await status(harness, session.sessionId, session.receipt, 'DELETE');
    expect(first.status).toBe(200);
    expect(((await first.json()) as SessionStatus).status).toBe('canceled');
    const again = await status(harness, session.sessionId, session.receipt, 'DELETE');
    expect(((await again.json()) as SessionStatus).status).toBe('canceled');
    const read = await status(harness, session.sessionId, session.receipt);
    expect(((await read.json()) as SessionStatus).status).toBe('canceled');
    await harness.settle();
  });

  it('refuses a DELETE from a foreign page', async () => {
    const harness = createHarness();
    const session = await created(harness);
    const response = await harness.bff.request(`/sessions/${session.sessionId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${session.receipt}`, origin: 'https://evil.test' },
    });
    expect(response.status).toBe(403);
    expect(harness.sandbox.stats().sessionsDeleted).toBe(0);
  });
});

/** The `data` the sandbox's API answers for `path`, read with the merchant's own login. */
async function upstreamData<T>(harness: Harness, path: string): Promise<T> {
  const login = await harness.sandbox.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@sandbox.test', password: 'sandbox-admin' }),
  });
  const { token } = ((await login.json()) as { data: { token: string } }).data;
  const response = await harness.sandbox.app.request(path, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { data: T }).data;
}
