import type { Problem, SessionCreated, SessionStatus } from '@buy-button/element/wire';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { problemType } from '../problems/problem-types.js';
import { checkout, createHarness, type Harness, SHOP, verifyWebhook } from '../test/harness.js';
import type { PaymentEvent } from '../webhooks/payment-events.js';

const upstreamCreates = (harness: Harness) =>
  harness.calls.filter(
    (call) => call.method === 'POST' && call.url.endsWith('/buy-button/sessions'),
  );

describe('quantity and the shop’s own reference', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a quantity of 0', { quantity: 0 }, 'invalidRequest'],
    ['a quantity of 1.5', { quantity: 1.5 }, 'invalidRequest'],
    ['a quantity sent as the text "2"', { quantity: '2' }, 'invalidRequest'],
    ['a quantity of 10^9', { quantity: 1e9 }, 'invalidQuantity'],
    ['a quantity over maxQuantity', { quantity: 11 }, 'invalidQuantity'],
    [
      'a quantity on a button sold one at a time',
      { button: 'btn_donation', price: '5', quantity: 2 },
      'invalidQuantity',
    ],
    ['an empty reference', { reference: '' }, 'invalidRequest'],
    ['a reference of 65 characters', { reference: 'r'.repeat(65) }, 'invalidRequest'],
    ['a reference with spaces', { reference: 'cart 12' }, 'invalidRequest'],
    ['a reference with markup', { reference: '<script>' }, 'invalidRequest'],
  ])('refuses %s with a 400 problem, and calls nothing upstream', async (_name, fields, kind) => {
    const harness = createHarness();
    const response = await checkout(harness, { button: 'btn_coffee', ...fields });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).type).toBe(problemType(kind as 'invalidRequest'));
    expect(upstreamCreates(harness)).toEqual([]);
    expect(harness.store.size).toBe(0);
  });

  it('accepts neither, one unit with no reference', async () => {
    const harness = createHarness();
    expect((await checkout(harness, { button: 'btn_coffee' })).status).toBe(201);
  });

  it('buys 3 bags with a reference: the total, the upstream name, the status, the return URL and the event carry them', async () => {
    const harness = createHarness();
    const response = await checkout(harness, {
      button: 'btn_coffee',
      quantity: 3,
      reference: 'cart-2041',
      returnUrl: '/thanks?cart={REFERENCE}&order={ORDER_REF}',
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as SessionCreated;
    const upstream = await harness.sandbox.app.request(
      `/api/buy-button/sessions/conversion/${created.conversionCode}`,
      { headers: { authorization: `Bearer ${await serviceToken(harness)}` } },
    );
    const { data } = (await upstream.json()) as {
      data: { price: string; buttonName: string; returnUrl: string; orderRef: string };
    };
    expect(data).toMatchObject({ price: '13.50', buttonName: '3 × Coffee beans' });
    expect(data.returnUrl).toBe(`${SHOP}/thanks?cart=cart-2041&order=${created.orderRef}`);
    expect(JSON.stringify(data)).not.toContain('"orderRef":"cart-2041"');

    const status = (await (
      await harness.bff.request(`/sessions/${created.sessionId}`, {
        headers: { authorization: `Bearer ${created.receipt}` },
      })
    ).json()) as SessionStatus;
    expect(status).toMatchObject({ amount: '13.50', quantity: 3, reference: 'cart-2041' });

    await harness.sandbox.app.request(`/__sandbox/orders/${created.conversionCode}/pay`, {
      method: 'POST',
    });
    await harness.settle();
    const [hook] = harness.received;
    if (hook === undefined) throw new Error('no event');
    expect((verifyWebhook(hook) as PaymentEvent).data).toMatchObject({
      amount: '13.50',
      quantity: 3,
      reference: 'cart-2041',
      orderRef: created.orderRef,
    });
  });

  it('charges the catalog total whatever amount the page sends with a quantity', async () => {
    const harness = createHarness();
    const tampered = await checkout(harness, { button: 'btn_coffee', quantity: 3, price: '0.01' });
    expect(tampered.status).toBe(400);
    expect(((await tampered.json()) as Problem).type).toBe(problemType('priceMismatch'));
    expect(upstreamCreates(harness)).toEqual([]);
  });

  it('takes the quantity from a form (JavaScript off)', async () => {
    const harness = createHarness();
    const response = await harness.bff.request('/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SHOP },
      body: 'button=btn_coffee&quantity=2&reference=order-7',
    });
    expect(response.status).toBe(303);
    const [create] = upstreamCreates(harness);
    expect(create).toBeDefined();
  });

  it('keeps the reference in the shared store: another instance answers the status with it', async () => {
    const harness = createHarness();
    const created = (await (
      await checkout(harness, { button: 'btn_coffee', quantity: 2, reference: 'cust:42' })
    ).json()) as SessionCreated;
    const other = createApp(harness.config, {
      store: harness.store,
      fetch: async (input, init) => harness.sandbox.app.fetch(new Request(input, init)),
      now: () => harness.clock.now,
      log: () => {},
    });
    const status = (await (
      await other.request(`/sessions/${created.orderRef}`, {
        headers: { authorization: `Bearer ${created.receipt}` },
      })
    ).json()) as SessionStatus;
    expect(status).toMatchObject({ quantity: 2, reference: 'cust:42', amount: '9.00' });
    await other.close();
  });

  it.each([
    ['another quantity', { quantity: 3 }],
    ['another reference', { reference: 'cart-2' }],
  ])('treats the same Idempotency-Key with %s as another request (422)', async (_name, change) => {
    const harness = createHarness();
    const key = { 'idempotency-key': 'key-q' };
    const first = { button: 'btn_coffee', quantity: 2, reference: 'cart-1' };
    expect((await checkout(harness, first, key)).status).toBe(201);
    const second = await checkout(harness, { ...first, ...change }, key);
    expect(second.status).toBe(422);
    expect(upstreamCreates(harness)).toHaveLength(1);
  });
});

async function serviceToken(harness: Harness): Promise<string> {
  const login = await harness.sandbox.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'service@sandbox.test', password: 'sandbox-service' }),
  });
  return ((await login.json()) as { data: { token: string } }).data.token;
}
