import type { Problem } from '@buy-button/element/wire';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../body-limit.js';
import { problemType } from '../problems/problem-types.js';
import { checkout, createHarness, SHOP } from '../test/harness.js';

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('origin check on state-changing requests', () => {
  it.each([
    ['a JSON call from the shop', { ...json, origin: SHOP }, 201],
    ['a JSON call known only by Referer', { ...json, referer: `${SHOP}/product/1` }, 201],
    ['a server-to-server JSON call (no Origin, no Referer)', json, 201],
    ['a form post from the shop', { ...form, origin: SHOP }, 303],
    ['a JSON call from a foreign page', { ...json, origin: 'https://evil.test' }, 403],
    ['a form post from a foreign page', { ...form, origin: 'https://evil.test' }, 403],
    ['a form post with a foreign Referer', { ...form, referer: 'https://evil.test/x' }, 403],
    ['a form post with no Origin or Referer', form, 403],
    ['Origin: null (sandboxed frame)', { ...json, origin: 'null' }, 403],
    [
      'Origin: null with the shop as Referer',
      { ...json, origin: 'null', referer: `${SHOP}/` },
      403,
    ],
    [
      'a form with Origin: null and the shop as Referer',
      { ...form, origin: 'null', referer: `${SHOP}/p` },
      403,
    ],
    ['a look-alike origin', { ...json, origin: 'https://shop.test.evil.test' }, 403],
  ])('%s → %i', async (_name, headers, expected) => {
    const harness = createHarness();
    const body =
      headers['content-type'] === json['content-type']
        ? JSON.stringify({ button: 'btn_coffee' })
        : 'button=btn_coffee';
    const response = await harness.bff.request('/sessions', { method: 'POST', headers, body });
    expect(response.status).toBe(expected);
    if (expected === 403) expect(harness.sandbox.stats().sessionsCreated).toBe(0);
  });

  it('resolves a relative returnUrl against the checked origin, not the Host', async () => {
    const harness = createHarness({ env: { ALLOWED_ORIGINS: `${SHOP},https://other.test` } });
    const response = await checkout(
      harness,
      { button: 'btn_coffee', returnUrl: '/r' },
      { origin: 'https://other.test' },
    );
    // other.test may call, but returns go only to ALLOWED_REDIRECT_ORIGINS (= ALLOWED_ORIGINS here).
    expect(response.status).toBe(201);
    const server = await harness.bff.request('/sessions', {
      method: 'POST',
      headers: { ...json, host: 'shop.test' },
      body: JSON.stringify({ button: 'btn_coffee', returnUrl: '/r' }),
    });
    expect(server.status).toBe(400);
    expect(((await server.json()) as Problem).type).toBe(problemType('invalidRedirectUrl'));
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin with what the element needs', async () => {
    const harness = createHarness();
    const response = await harness.bff.request('/sessions', {
      method: 'OPTIONS',
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(response.headers.get('access-control-allow-methods')).toMatch(/DELETE/);
  });

  it('lets a foreign page read the refusal of its checkout, and nothing else', async () => {
    const harness = createHarness();
    const evil = 'https://evil.test';
    const preflight = (method: string, path = '/sessions') =>
      harness.bff.request(path, {
        method: 'OPTIONS',
        headers: { origin: evil, 'access-control-request-method': method },
      });
    expect((await preflight('POST')).headers.get('access-control-allow-origin')).toBe(evil);
    const refused = await harness.bff.request('/sessions', {
      method: 'POST',
      headers: { ...json, origin: evil },
      body: JSON.stringify({ button: 'btn_coffee' }),
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe(evil);
    expect(((await refused.json()) as Problem).type).toBe(problemType('forbiddenOrigin'));
    expect(harness.sandbox.stats().sessionsCreated).toBe(0);
    // Reading or canceling a session stays closed to it.
    for (const method of ['GET', 'DELETE']) {
      const answer = await preflight(method, '/sessions/6650a1f0c0ffee0000000009');
      expect(answer.headers.get('access-control-allow-origin'), method).toBeNull();
    }
    const read = await harness.bff.request('/sessions/6650a1f0c0ffee0000000009', {
      headers: { origin: evil, authorization: 'Bearer x' },
    });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets the element read errors and the request id', async () => {
    const harness = createHarness();
    const response = await checkout(harness, { button: 'btn_gold' });
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(response.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/);
    // The answer depends on the page's origin and holds no receipt a cache could hand on.
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('body limit', () => {
  it('refuses a Content-Length that is not a byte count, on runtimes that let one through', async () => {
    const harness = createHarness();
    const response = await harness.bff.request('/sessions', {
      method: 'POST',
      headers: { ...json, origin: SHOP, 'content-length': '12 bytes' },
      body: JSON.stringify({ button: 'btn_coffee', buttonName: 'x'.repeat(BODY_LIMIT_BYTES) }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).type).toBe(problemType('malformedBody'));
    expect(harness.sandbox.stats().sessionsCreated).toBe(0);
  });

  it.each([
    ['an oversize JSON body', json],
    ['an oversize form', form],
  ])('refuses %s with 413', async (_name, headers) => {
    const harness = createHarness();
    const big = 'x'.repeat(BODY_LIMIT_BYTES + 1);
    const body =
      headers === json
        ? JSON.stringify({ button: 'btn_coffee', buttonName: big })
        : `button=${big}`;
    const response = await harness.bff.request('/sessions', {
      method: 'POST',
      headers: { ...headers, origin: SHOP },
      body,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(
      headers === json ? /problem\+json/ : /text\/html/,
    );
    expect(harness.sandbox.stats().sessionsCreated).toBe(0);
  });

  it('refuses an oversize webhook body with 413', async () => {
    const harness = createHarness();
    const response = await harness.bff.request('/webhooks/payment', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ code: 'ABC', pad: 'x'.repeat(BODY_LIMIT_BYTES) }),
    });
    expect(response.status).toBe(413);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past RATE_LIMIT per client IP, and resets with the window', async () => {
    const harness = createHarness({
      env: { RATE_LIMIT: '2/60s' },
      deps: { clientIp: (c) => c.req.header('x-test-peer') },
    });
    const peer = { 'x-test-peer': '203.0.113.7' };
    expect((await checkout(harness, { button: 'btn_coffee' }, peer)).status).toBe(201);
    expect((await checkout(harness, { button: 'btn_coffee' }, peer)).status).toBe(201);
    harness.clock.now += 15_000;
    const limited = await checkout(harness, { button: 'btn_coffee' }, peer);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('45');
    expect(((await limited.json()) as Problem).type).toBe(problemType('rateLimited'));
    expect(
      (await checkout(harness, { button: 'btn_coffee' }, { 'x-test-peer': '203.0.113.8' })).status,
    ).toBe(201);
    harness.clock.now += 45_000;
    expect((await checkout(harness, { button: 'btn_coffee' }, peer)).status).toBe(201);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says a proxy wrote it', async () => {
    const spoofing = createHarness({
      env: { RATE_LIMIT: '1/60s' },
      deps: { clientIp: () => '10.0.0.1' },
    });
    await checkout(spoofing, { button: 'btn_coffee' }, { 'x-forwarded-for': '1.1.1.1' });
    const spoofed = await checkout(
      spoofing,
      { button: 'btn_coffee' },
      { 'x-forwarded-for': '2.2.2.2' },
    );
    expect(spoofed.status).toBe(429);

    const proxied = createHarness({
      env: { RATE_LIMIT: '1/60s', TRUST_PROXY: 'true' },
      deps: { clientIp: () => '10.0.0.1' },
    });
    // The client may prepend anything; the proxy's own entry (rightmost) is what counts.
    await checkout(proxied, { button: 'btn_coffee' }, { 'x-forwarded-for': 'forged, 1.1.1.1' });
    const other = await checkout(
      proxied,
      { button: 'btn_coffee' },
      { 'x-forwarded-for': 'forged, 2.2.2.2' },
    );
    expect(other.status).toBe(201);
    const again = await checkout(
      proxied,
      { button: 'btn_coffee' },
      { 'x-forwarded-for': 'other, 1.1.1.1' },
    );
    expect(again.status).toBe(429);
  });

  it('is off with RATE_LIMIT=0', async () => {
    const harness = createHarness({ env: { RATE_LIMIT: '0' } });
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => checkout(harness, { button: 'btn_coffee' })),
    );
    expect(statuses.every((r) => r.status === 201)).toBe(true);
  });
});

describe('every response', () => {
  it('carries a request id, secure headers, and one log line without secrets or shopper data', async () => {
    const harness = createHarness();
    const response = await checkout(harness, {
      button: 'btn_donation',
      price: '12.00',
      returnUrl: '/return?order={ORDER_REF}&receipt={RECEIPT}',
    });
    const { receipt } = (await response.json()) as { receipt: string };
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[\w-]+$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const lines = harness.logs.filter((entry) => entry.msg === 'request');
    expect(lines).toEqual([
      {
        level: 'info',
        msg: 'request',
        method: 'POST',
        path: '/sessions',
        status: 201,
        durationMs: expect.any(Number),
        requestId: id,
      },
    ]);
    const all = JSON.stringify(harness.logs);
    for (const secret of [receipt, 'sandbox-service', 'whsec_', 'rrrrrrrr', '12.00']) {
      expect(all).not.toContain(secret);
    }
  });

  it('answers unknown routes with a 404 problem', async () => {
    const harness = createHarness();
    const response = await harness.bff.request('/wp-admin');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      type: problemType('notFound'),
      title: 'Not found',
      status: 404,
      detail: 'Not found',
    });
  });

  it('answers a shared-store outage with a 503 problem and Retry-After', async () => {
    const down = Object.assign(new Error('redis down'), { code: 'STORE_UNAVAILABLE' });
    const harness = createHarness({
      deps: {
        store: {
          setIfAbsent: async () => Promise.reject(down),
          get: async () => Promise.reject(down),
          set: async () => Promise.reject(down),
          delete: async () => Promise.reject(down),
          increment: async () => Promise.reject(down),
          close: async () => {},
        },
      },
    });
    const response = await checkout(harness, { button: 'btn_coffee' }, { 'idempotency-key': 'k' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(((await response.json()) as Problem).type).toBe(problemType('storeUnavailable'));
  });

  it('answers an unexpected failure with a 500 problem and no stack trace', async () => {
    const harness = createHarness({
      deps: {
        store: {
          setIfAbsent: async () => {
            throw new Error('store exploded at /srv/secret/path');
          },
          get: async () => undefined,
          set: async () => {},
          delete: async () => {},
          increment: async () => ({ count: 1, resetInMs: 1 }),
          close: async () => {},
        },
      },
    });
    const response = await checkout(harness, { button: 'btn_coffee' }, { 'idempotency-key': 'k' });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/exploded|\/srv|at /);
    expect(JSON.parse(text)).toMatchObject({ type: problemType('internal'), status: 500 });
    expect(harness.logs.some((entry) => entry.msg === 'unexpected error')).toBe(true);
  });
});

describe('routes that call the upstream on the merchant credential are bounded', () => {
  it('limits the payment callback per client: past CALLBACK_RATE_LIMIT a 429, and no upstream read', async () => {
    const harness = createHarness({ env: { CALLBACK_RATE_LIMIT: '3/60s' } });
    const call = () =>
      harness.bff.request('/webhooks/payment', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ code: 'NOSUCHCODE' }),
      });
    for (let i = 0; i < 3; i += 1) expect((await call()).status).toBe(202);
    const reads = harness.sandbox.stats().apiRequests;
    const over = await call();
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(harness.sandbox.stats().apiRequests).toBe(reads);
  });

  it('limits status reads and cancels per receipt: 60 a minute, then a 429 without an upstream call', async () => {
    const harness = createHarness();
    const created = (await (await checkout(harness, { button: 'btn_coffee' })).json()) as {
      sessionId: string;
      receipt: string;
    };
    const read = () =>
      harness.bff.request(`/sessions/${created.sessionId}`, {
        headers: { authorization: `Bearer ${created.receipt}` },
      });
    for (let i = 0; i < 60; i += 1) expect((await read()).status).toBe(200);
    const reads = harness.sandbox.stats().apiRequests;
    expect((await read()).status).toBe(429);
    expect(harness.sandbox.stats().apiRequests).toBe(reads);
    harness.clock.now += 60_000;
    expect((await read()).status).toBe(200);
  });

  it('probes the upstream for /readyz at most once per 5 s', async () => {
    const harness = createHarness();
    expect((await harness.bff.request('/readyz')).status).toBe(200);
    const reads = harness.sandbox.stats().apiRequests;
    for (let i = 0; i < 20; i += 1) await harness.bff.request('/readyz');
    expect(harness.sandbox.stats().apiRequests).toBe(reads);
    harness.clock.now += 5000;
    await harness.bff.request('/readyz');
    expect(harness.sandbox.stats().apiRequests).toBe(reads + 1);
  });
});
