import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createHarness, failure, LOGINS, type LoginName, START, success } from './test/harness.js';

interface LoginData {
  token: string;
  user: { id: string; role: string };
}

const ROLE_OF: Record<LoginName, string> = {
  service: 'Service',
  manager: 'Manager',
  superManager: 'SuperManager',
  superAdmin: 'SuperAdmin',
  simpleUser: 'SimpleUser',
  cashier: 'Cashier',
  association: 'Association',
};

describe('POST /api/auth/login', () => {
  it.each(Object.keys(LOGINS) as LoginName[])(
    'logs the %s fixture in with its role',
    async (name) => {
      const h = createHarness();
      const res = await h.call<LoginData>('POST', '/api/auth/login', {
        body: { ...LOGINS[name], origin: 'dashboard' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, status: 200 });
      const data = success(res.body);
      expect(data.user.role).toBe(ROLE_OF[name]);
      expect(data.user.id).toMatch(/^[0-9a-f]{24}$/);
    },
  );

  it('issues an HS256 JWT with { userId, role, iat, exp } lasting the token TTL', async () => {
    const h = createHarness({ tokenTtlSeconds: 60 });
    const data = success(
      (await h.call<LoginData>('POST', '/api/auth/login', { body: LOGINS.service })).body,
    );
    expect(decodeProtectedHeader(data.token).alg).toBe('HS256');
    const claims = decodeJwt(data.token);
    expect(claims).toEqual({
      userId: data.user.id,
      role: 'Service',
      iat: START / 1000,
      exp: START / 1000 + 60,
    });
  });

  it('lasts 3600 seconds by default', async () => {
    const h = createHarness();
    const claims = decodeJwt(await h.login('service'));
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
  });

  it.each([
    ['a wrong password', { email: 'service@sandbox.test', password: 'nope' }],
    ['an unknown email', { email: 'nobody@sandbox.test', password: 'sandbox-service' }],
  ])('answers 401 for %s', async (_label, body) => {
    const h = createHarness();
    const res = await h.call('POST', '/api/auth/login', { body });
    expect(res.status).toBe(401);
    expect(failure(res.body)).toEqual({
      success: false,
      status: 401,
      message: 'Invalid credentials',
    });
  });

  it.each([
    ['email missing', { password: 'x' }, 'email'],
    ['password missing', { email: 'service@sandbox.test' }, 'password'],
    ['email not a string', { email: 42, password: 'x' }, 'email'],
    ['origin not dashboard/application', { ...LOGINS.service, origin: 'web' }, 'origin'],
    ['body not an object', [], 'body'],
  ])('answers 400 naming the field when %s', async (_label, body, field) => {
    const h = createHarness();
    const res = await h.call('POST', '/api/auth/login', { body });
    expect(res.status).toBe(400);
    expect(failure(res.body).errors?.map((e) => e.field)).toEqual([field]);
  });

  it('answers 400 for malformed JSON', async () => {
    const h = createHarness();
    const res = await h.call('POST', '/api/auth/login', { rawBody: '{"email":' });
    expect(res.status).toBe(400);
    expect(failure(res.body).message).toBe('Malformed JSON body');
  });

  it('counts successful and refused logins', async () => {
    const h = createHarness();
    await h.login('service');
    await h.login('manager');
    await h.call('POST', '/api/auth/login', { body: { ...LOGINS.service, password: 'bad' } });
    expect(h.sandbox.stats()).toMatchObject({ logins: 2, loginFailures: 1 });
  });
});

describe('POST /api/auth/login/manager', () => {
  it.each([
    ['manager', 200],
    ['superManager', 200],
    ['service', 401],
    ['superAdmin', 401],
    ['simpleUser', 401],
    ['cashier', 401],
  ] as const)('answers the %s account with %i', async (name, status) => {
    const h = createHarness();
    const res = await h.call('POST', '/api/auth/login/manager', { body: LOGINS[name] });
    expect(res.status).toBe(status);
  });
});
