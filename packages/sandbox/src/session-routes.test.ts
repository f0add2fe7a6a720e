import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { SessionView } from './session-store.js';
import {
  CALLBACK_URL,
  createHarness,
  failure,
  type LoginName,
  PUBLIC_URL,
  START,
  success,
} from './test/harness.js';

const SESSIONS = '/api/buy-button/sessions';
const SESSION_FIELDS = [
  'id',
  'button',
  'orderRef',
  'conversionCode',
  'price',
  'currency',
  'buttonName',
  'callbackUrl',
  'returnUrl',
  'cancelUrl',
  'paymentUrl',
  'state',
  'createdAt',
  'expiresAt',
].sort();

describe('POST /api/buy-button/sessions', () => {
  it('creates a session and its pending order: 200 "Session created" with the session as data', async () => {
    const h = createHarness();
    const res = await h.call<SessionView>('POST', SESSIONS, {
      token: await h.login(),
      body: {
        button: 'btn_coffee',
        orderRef: 'order-0001',
        callbackUrl: CALLBACK_URL,
        returnUrl: 'https://shop.example/return',
        cancelUrl: 'https://shop.example/cancel',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, status: 200 });
    const session = success(res.body);
    expect(Object.keys(session).sort()).toEqual(SESSION_FIELDS);
    expect(session).toMatchObject({
      button: 'btn_coffee',
      orderRef: 'order-0001',
      price: '4.50',
      currency: 'EUR',
      buttonName: 'Coffee beans',
      callbackUrl: CALLBACK_URL,
      returnUrl: 'https://shop.example/return',
      cancelUrl: 'https://shop.example/cancel',
      paymentUrl: `${PUBLIC_URL}/pay?code=${session.conversionCode}`,
      state: 'state:pending',
      createdAt: new Date(START).toISOString(),
      expiresAt: new Date(START + 300_000).toISOString(),
    });
    expect(session.id).toMatch(/^[0-9a-f]{24}$/);
    expect(session.conversionCode).toMatch(/^[A-Z0-9]{12}$/);
    expect(h.sandbox.stats().sessionsCreated).toBe(1);
  });

  it('reports absent URLs as null', async () => {
    const h = createHarness();
    const session = await h.createSession({ callbackUrl: undefined });
    expect(session).toMatchObject({ callbackUrl: null, returnUrl: null, cancelUrl: null });
  });

  it('builds paymentUrl from the request origin when no publicUrl is configured', async () => {
    const h = createHarness({ publicUrl: undefined });
    const session = await h.createSession();
    expect(session.paymentUrl).toBe(`http://localhost/pay?code=${session.conversionCode}`);
  });

  it('expires orders after orderTtlSeconds', async () => {
    const h = createHarness({ orderTtlSeconds: 60 });
    const session = await h.createSession();
    expect(session.expiresAt).toBe(new Date(START + 60_000).toISOString());
  });

  it.each([
    ['fixed price omitted', { button: 'btn_coffee' }, '4.50'],
    ['fixed price as the same string', { button: 'btn_coffee', price: '4.50' }, '4.50'],
    ['fixed price as a number', { button: 'btn_coffee', price: 4.5 }, '4.50'],
    ['three units of a fixed price', { button: 'btn_coffee', price: '13.50' }, '13.50'],
    ['a hundred units of a fixed price', { button: 'btn_coffee', price: '450.00' }, '450.00'],
    ['open price as a string', { button: 'btn_donation', price: '12.5' }, '12.50'],
    ['open price as a number', { button: 'btn_donation', price: 42 }, '42.00'],
    ['open price at the minimum', { button: 'btn_donation', price: '1.00' }, '1.00'],
    ['open price at the maximum', { button: 'btn_donation', price: '500' }, '500.00'],
  ])('accepts %s', async (_label, body, price) => {
    const h = createHarness();
    expect((await h.createSession(body)).price).toBe(price);
  });

  it('takes the currency of the button and accepts it in any case', async () => {
    const h = createHarness();
    const session = await h.createSession({ button: 'btn_chocolate', currency: 'chf' });
    expect(session).toMatchObject({
      price: '12.00',
      currency: 'CHF',
      buttonName: 'Swiss chocolate',
    });
  });

  it('uses a session-specific buttonName when given', async () => {
    const h = createHarness();
    expect((await h.createSession({ buttonName: 'Espresso roast' })).buttonName).toBe(
      'Espresso roast',
    );
  });

  it.each([
    ['button missing', { button: undefined }, 'button'],
    ['orderRef missing', { orderRef: undefined }, 'orderRef'],
    ['orderRef under 6 characters', { orderRef: 'abcde' }, 'orderRef'],
    ['orderRef over 100 characters', { orderRef: 'x'.repeat(101) }, 'orderRef'],
    [
      'returnUrl over 256 characters',
      { returnUrl: `https://s.example/${'a'.repeat(240)}` },
      'returnUrl',
    ],
    [
      'cancelUrl over 256 characters',
      { cancelUrl: `https://s.example/${'a'.repeat(240)}` },
      'cancelUrl',
    ],
    ['cancelUrl not a URL', { cancelUrl: 'not a url' }, 'cancelUrl'],
    ['callbackUrl not http(s)', { callbackUrl: 'ftp://merchant.example/hook' }, 'callbackUrl'],
    ['price neither string nor number', { price: { amount: 4.5 } }, 'price'],
    ['price not a decimal amount', { price: '4,50' }, 'price'],
    ['price with 3 decimals', { button: 'btn_donation', price: '1.005' }, 'price'],
    ['fixed price different from the button', { price: '5.00' }, 'price'],
    ['fixed price not a whole number of units', { price: '6.75' }, 'price'],
    ['fixed price over a hundred units', { price: '454.50' }, 'price'],
    ['a fixed price of zero', { price: '0' }, 'price'],
    ['open price missing', { button: 'btn_donation' }, 'price'],
    ['open price under the minimum', { button: 'btn_donation', price: '0.99' }, 'price'],
    ['open price over the maximum', { button: 'btn_donation', price: 500.01 }, 'price'],
    ['currency other than the button', { currency: 'USD' }, 'currency'],
    ['buttonName not a string', { buttonName: 7 }, 'buttonName'],
  ])('answers 400 naming the field when %s', async (_label, body, field) => {
    const h = createHarness();
    const res = await h.call('POST', SESSIONS, {
      token: await h.login(),
      body: { button: 'btn_coffee', orderRef: 'order-0001', ...body },
    });
    expect(res.status).toBe(400);
    const error = failure(res.body);
    expect(error.status).toBe(400);
    expect(error.errors?.map((e) => e.field)).toEqual([field]);
    expect(h.sandbox.stats().sessionsCreated).toBe(0);
  });

  it('accepts orderRef of exactly 6 and 100 characters and URLs of exactly 256', async () => {
    const h = createHarness();
    const url = `https://s.example/${'a'.repeat(256 - 'https://s.example/'.length)}`;
    await expect(h.createSession({ orderRef: 'abcdef', returnUrl: url })).resolves.toBeDefined();
    await expect(
      h.createSession({ orderRef: 'y'.repeat(100), cancelUrl: url }),
    ).resolves.toBeDefined();
  });

  it('answers 400 for malformed JSON', async () => {
    const h = createHarness();
    const res = await h.call('POST', SESSIONS, { token: await h.login(), rawBody: '{oops' });
    expect(res.status).toBe(400);
    expect(failure(res.body).message).toBe('Malformed JSON body');
  });

  it('answers 404 for an unknown button', async () => {
    const h = createHarness();
    const res = await h.call('POST', SESSIONS, {
      token: await h.login(),
      body: { button: 'btn_nope', orderRef: 'order-0001' },
    });
    expect(res.status).toBe(404);
    expect(failure(res.body).message).toBe('Button not found: btn_nope');
  });

  it('answers 409 when the orderRef belongs to a pending order', async () => {
    const h = createHarness();
    await h.createSession({ orderRef: 'order-dup' });
    const res = await h.call('POST', SESSIONS, {
      token: await h.login(),
      body: { button: 'btn_donation', orderRef: 'order-dup', price: '3' },
    });
    expect(res.status).toBe(409);
    expect(failure(res.body).errors).toEqual([
      { field: 'orderRef', message: 'is already used by an active order' },
    ]);
  });

  it.each(['cancel', 'expire', 'pay', 'fail'])(
    'lets an orderRef be reused once its order is no longer pending (%s)',
    async (helper) => {
      const h = createHarness();
      const first = await h.createSession({ orderRef: 'order-again' });
      await h.sandbox.app.request(`/__sandbox/orders/${first.conversionCode}/${helper}`, {
        method: 'POST',
      });
      const second = await h.createSession({ orderRef: 'order-again' });
      expect(second.id).not.toBe(first.id);
      expect(second.state).toBe('state:pending');
    },
  );

  it('resumes the session a conversionCode names instead of creating one', async () => {
    const h = createHarness();
    const first = await h.createSession({ orderRef: 'order-resume' });
    const res = await h.call<SessionView>('POST', SESSIONS, {
      token: await h.login(),
      body: {
        button: 'btn_coffee',
        orderRef: 'order-resume',
        conversionCode: first.conversionCode,
      },
    });
    expect(res.status).toBe(200);
    expect(success(res.body)).toEqual(first);
    expect(h.sandbox.stats()).toMatchObject({ sessionsCreated: 1, sessionsResumed: 1 });
  });

  it('answers 404 when resuming an unknown conversionCode', async () => {
    const h = createHarness();
    const res = await h.call('POST', SESSIONS, {
      token: await h.login(),
      body: { button: 'btn_coffee', orderRef: 'order-0001', conversionCode: 'NOPE' },
    });
    expect(res.status).toBe(404);
  });

  it.each([
    ['another orderRef', { button: 'btn_coffee', orderRef: 'order-other' }],
    ['another button', { button: 'btn_chocolate', orderRef: 'order-mine' }],
  ])('answers 400 on conversionCode when resuming with %s', async (_label, body) => {
    const h = createHarness();
    const first = await h.createSession({ orderRef: 'order-mine' });
    const res = await h.call('POST', SESSIONS, {
      token: await h.login(),
      body: { ...body, conversionCode: first.conversionCode },
    });
    expect(res.status).toBe(400);
    expect(failure(res.body).errors?.map((e) => e.field)).toEqual(['conversionCode']);
  });
});

describe('reading and deleting sessions', () => {
  it('GET /:id returns the session with its current state', async () => {
    const h = createHarness();
    const session = await h.createSession();
    const res = await h.call<SessionView>('GET', `${SESSIONS}/${session.id}`, {
      token: await h.login(),
    });
    expect(res.status).toBe(200);
    expect(success(res.body)).toEqual(session);
  });

  it('GET /conversion/:code returns the session of that order', async () => {
    const h = createHarness();
    const session = await h.createSession();
    await h.sandbox.app.request(`/__sandbox/orders/${session.conversionCode}/pay`, {
      method: 'POST',
    });
    const res = await h.call<SessionView>(
      'GET',
      `${SESSIONS}/conversion/${session.conversionCode}`,
      {
        token: await h.login(),
      },
    );
    expect(success(res.body)).toEqual({ ...session, state: 'state:executed' });
  });

  it.each([
    ['GET', `${SESSIONS}/000000000000000000000000`],
    ['DELETE', `${SESSIONS}/000000000000000000000000`],
    ['GET', `${SESSIONS}/conversion/NOPE`],
  ])('%s %s answers 404 "Session not found"', async (method, path) => {
    const h = createHarness();
    const res = await h.call(method, path, { token: await h.login() });
    expect(res.status).toBe(404);
    expect(failure(res.body).message).toBe('Session not found');
  });

  it('DELETE cancels the pending order, sends its webhook, and the session is gone', async () => {
    const h = createHarness();
    const session = await h.createSession();
    const token = await h.login();
    const res = await h.call<SessionView>('DELETE', `${SESSIONS}/${session.id}`, { token });
    expect(res.status).toBe(200);
    expect(success(res.body).state).toBe('state:canceled');
    expect((await h.call('GET', `${SESSIONS}/${session.id}`, { token })).status).toBe(404);
    expect((await h.call('DELETE', `${SESSIONS}/${session.id}`, { token })).status).toBe(404);
    const status = await h.call('GET', `/api/confirm_conversion/status/${session.conversionCode}`, {
      token,
    });
    expect(success(status.body)).toMatchObject({ state: 'state:canceled' });
    await h.sandbox.whenIdle();
    expect(h.webhooks.map((w) => w.payload.status)).toEqual(['CANCELED']);
    expect(h.sandbox.stats().sessionsDeleted).toBe(1);
  });

  it('DELETE of a paid session leaves its order paid', async () => {
    const h = createHarness();
    const session = await h.createSession();
    await h.sandbox.app.request(`/__sandbox/orders/${session.conversionCode}/pay`, {
      method: 'POST',
    });
    const res = await h.call<SessionView>('DELETE', `${SESSIONS}/${session.id}`, {
      token: await h.login(),
    });
    expect(success(res.body).state).toBe('state:executed');
  });
});

describe('order expiry on the injected clock', () => {
  it('stays pending until orderTtlSeconds have passed', async () => {
    const h = createHarness();
    const session = await h.createSession();
    h.advance(299_999);
    const res = await h.call<SessionView>('GET', `${SESSIONS}/${session.id}`, {
      token: await h.login(),
    });
    expect(success(res.body).state).toBe('state:pending');
  });

  it('expires lazily on read and sends the EXPIRED webhook', async () => {
    const h = createHarness();
    const session = await h.createSession();
    h.advance(300_000);
    const res = await h.call<SessionView>('GET', `${SESSIONS}/${session.id}`, {
      token: await h.login(),
    });
    expect(success(res.body).state).toBe('state:expired');
    await h.sandbox.whenIdle();
    expect(h.webhooks.map((w) => w.payload.status)).toEqual(['EXPIRED']);
  });

  it('sweep() expires due orders without any read', async () => {
    const h = createHarness();
    await h.createSession();
    await h.createSession();
    h.advance(300_000);
    await h.createSession();
    expect(h.sandbox.sweep()).toBe(2);
    await h.sandbox.whenIdle();
    expect(h.webhooks.map((w) => w.payload.status)).toEqual(['EXPIRED', 'EXPIRED']);
    expect(h.sandbox.stats().ordersByState).toMatchObject({
      'state:expired': 2,
      'state:pending': 1,
    });
  });
});

describe('authentication and roles', () => {
  it.each([
    ['no Authorization header', () => undefined, 'Missing bearer token'],
    ['a non-Bearer scheme', () => 'Basic c2VydmljZTpzZWNyZXQ=', 'Missing bearer token'],
    ['a malformed token', () => 'Bearer not.a.jwt', 'Invalid token'],
    [
      'a token signed with another key',
      () =>
        new SignJWT({ userId: '6650a1f0c0ffee0000000001', role: 'Service' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuedAt(START / 1000)
          .setExpirationTime(START / 1000 + 3600)
          .sign(new TextEncoder().encode('another-secret-another-secret-!!')),
      'Invalid token',
    ],
  ])('answers 401 for %s', async (_label, header, message) => {
    const h = createHarness();
    const value = await header();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (value !== undefined)
      headers.authorization = value.startsWith('ey') ? `Bearer ${value}` : value;
    const res = await h.sandbox.app.request(`${SESSIONS}/000000000000000000000000`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({ success: false, status: 401, message });
  });

  it('answers 401 once the token has expired on the injected clock', async () => {
    const h = createHarness({ orderTtlSeconds: 7200 });
    const token = await h.login();
    const session = await h.createSession();
    h.advance(3_600_000);
    const res = await h.call('GET', `${SESSIONS}/${session.id}`, { token });
    expect(res.status).toBe(401);
    expect(failure(res.body).message).toBe('Token expired');
  });

  // The seed's role lists, spelled out here so a change in ACCESS cannot pass unnoticed.
  const ROLE_MATRIX: Record<string, readonly LoginName[]> = {
    create: ['superAdmin', 'simpleUser', 'service'],
    get: ['superAdmin', 'manager', 'simpleUser', 'superManager', 'service'],
    delete: ['superAdmin', 'simpleUser', 'service'],
    conversion: ['superAdmin', 'manager', 'simpleUser', 'superManager', 'service'],
  };
  const ALL: readonly LoginName[] = [
    'service',
    'manager',
    'superManager',
    'superAdmin',
    'simpleUser',
    'cashier',
    'association',
  ];
  const cases = Object.entries(ROLE_MATRIX).flatMap(([call, allowed]) =>
    ALL.map((role) => [call, role, allowed.includes(role) ? 200 : 403] as const),
  );

  it.each(cases)('%s as %s answers %i', async (call, role, expected) => {
    const h = createHarness();
    const session = await h.createSession();
    const token = await h.login(role);
    const request = {
      create: () =>
        h.call('POST', SESSIONS, { token, body: { button: 'btn_coffee', orderRef: 'order-role' } }),
      get: () => h.call('GET', `${SESSIONS}/${session.id}`, { token }),
      delete: () => h.call('DELETE', `${SESSIONS}/${session.id}`, { token }),
      conversion: () =>
        h.call('GET', `${SESSIONS}/conversion/${session.conversionCode}`, { token }),
    }[call];
    const res = await request?.();
    expect(res?.status).toBe(expected);
    if (expected === 403) expect(res?.body).toMatchObject({ success: false, status: 403 });
  });
});
