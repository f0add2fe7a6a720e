import { describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './test/harness.js';

async function page(h: Harness, code: string) {
  const res = await h.sandbox.app.request(`/pay?code=${encodeURIComponent(code)}`);
  return { status: res.status, type: res.headers.get('content-type'), html: await res.text() };
}

const post = (h: Harness, path: string) => h.sandbox.app.request(path, { method: 'POST' });

async function orderState(h: Harness, code: string): Promise<string> {
  const res = await h.call<{ state: string }>('GET', `/api/confirm_conversion/status/${code}`, {
    token: await h.login(),
  });
  return res.body.success ? res.body.data.state : 'none';
}

describe('GET /pay?code=', () => {
  it('shows the button name, amount, currency and state with Pay and Cancel form posts', async () => {
    const h = createHarness();
    const session = await h.createSession({ button: 'btn_donation', price: '12.5' });
    const { status, type, html } = await page(h, session.conversionCode);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/html/);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Complete your payment</h1>');
    expect(html).toContain('<dd data-testid="button-name">Donation</dd>');
    expect(html).toContain('<dd data-testid="amount">12.50 EUR</dd>');
    expect(html).toContain('data-state="state:pending"');
    expect(html).toContain(
      `<form method="post" action="/pay/${session.conversionCode}/pay"><button type="submit" class="pay">Pay</button></form>`,
    );
    expect(html).toContain(
      `<form method="post" action="/pay/${session.conversionCode}/cancel"><button type="submit">Cancel</button></form>`,
    );
  });

  it('shows the button name exactly once in the page body', async () => {
    const h = createHarness();
    const session = await h.createSession();
    const body = (await page(h, session.conversionCode)).html.split('<body>')[1] ?? '';
    expect(body.split('Coffee beans')).toHaveLength(2);
  });

  it('runs no script', async () => {
    const h = createHarness();
    const session = await h.createSession();
    expect((await page(h, session.conversionCode)).html).not.toMatch(/<script|\son\w+=/i);
  });

  it('escapes what the merchant sent', async () => {
    const h = createHarness();
    const session = await h.createSession({ buttonName: '<script>alert("x")</script>' });
    const { html } = await page(h, session.conversionCode);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('shows the outcome without actions once the order is final', async () => {
    const h = createHarness();
    const session = await h.createSession();
    h.advance(300_000);
    const { html } = await page(h, session.conversionCode);
    expect(html).toContain('<h1>Payment expired</h1>');
    expect(html).toContain('data-state="state:expired"');
    expect(html).not.toContain('<form');
  });

  it.each([
    ['an unknown code', '/pay?code=NOPE', 404, 'Payment not found'],
    ['no code', '/pay', 400, 'Missing payment code'],
  ])('answers %s with an HTML page', async (_label, path, status, heading) => {
    const h = createHarness();
    const res = await h.sandbox.app.request(path);
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(`<h1>${heading}</h1>`);
  });

  it('serves its stylesheet', async () => {
    const h = createHarness();
    const res = await h.sandbox.app.request('/pay/portal.css');
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
  });
});

describe('POST /pay/:code/pay and /pay/:code/cancel', () => {
  it.each([
    ['pay', 'state:executed', 'PAID', 'https://shop.example/thanks'],
    ['cancel', 'state:canceled', 'CANCELED', 'https://shop.example/cart'],
  ])(
    '%s moves the order to %s, sends %s and 303s to the merchant URL',
    async (action, state, status, location) => {
      const h = createHarness();
      const session = await h.createSession({
        returnUrl: 'https://shop.example/thanks',
        cancelUrl: 'https://shop.example/cart',
      });
      const res = await post(h, `/pay/${session.conversionCode}/${action}`);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(location);
      expect(await orderState(h, session.conversionCode)).toBe(state);
      await h.sandbox.whenIdle();
      expect(h.webhooks.map((w) => w.payload.status)).toEqual([status]);
    },
  );

  it.each(['pay', 'cancel'])(
    '%s without a merchant URL 303s to the portal result page',
    async (action) => {
      const h = createHarness();
      const session = await h.createSession();
      const res = await post(h, `/pay/${session.conversionCode}/${action}`);
      expect(res.headers.get('location')).toBe(`/pay?code=${session.conversionCode}`);
    },
  );

  it.each([
    ['paid', 'pay', 'pay'],
    ['canceled', 'cancel', 'pay'],
    ['expired', 'expire', 'pay'],
    ['paid', 'pay', 'cancel'],
  ])(
    'refuses an order already %s (%s then %s) with a 409 page and no state change',
    async (_label, first, then) => {
      const h = createHarness();
      const session = await h.createSession();
      await post(h, `/__sandbox/orders/${session.conversionCode}/${first}`);
      const before = await orderState(h, session.conversionCode);
      const res = await post(h, `/pay/${session.conversionCode}/${then}`);
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('This payment can no longer be');
      expect(await orderState(h, session.conversionCode)).toBe(before);
      await h.sandbox.whenIdle();
      expect(h.webhooks).toHaveLength(1);
    },
  );

  it('refuses to pay an order whose time ran out', async () => {
    const h = createHarness();
    const session = await h.createSession();
    h.advance(300_000);
    const res = await post(h, `/pay/${session.conversionCode}/pay`);
    expect(res.status).toBe(409);
    expect(await orderState(h, session.conversionCode)).toBe('state:expired');
  });

  it.each(['/pay/NOPE/pay', '/pay/NOPE/cancel'])('%s answers a 404 page', async (path) => {
    const h = createHarness();
    const res = await post(h, path);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('<h1>Payment not found</h1>');
  });

  it('answers 404 for an unknown action', async () => {
    const h = createHarness();
    const session = await h.createSession();
    expect((await post(h, `/pay/${session.conversionCode}/refund`)).status).toBe(404);
    expect(await orderState(h, session.conversionCode)).toBe('state:pending');
  });

  it('still shows and cancels nothing for a session deleted through the API', async () => {
    const h = createHarness();
    const session = await h.createSession();
    await h.call('DELETE', `/api/buy-button/sessions/${session.id}`, { token: await h.login() });
    expect((await page(h, session.conversionCode)).html).toContain('data-state="state:canceled"');
    expect((await post(h, `/pay/${session.conversionCode}/pay`)).status).toBe(409);
  });
});
