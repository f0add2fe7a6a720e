import type { SessionCreated } from '@buy-button/element/wire';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { checkout, createHarness, testEnv } from '../test/harness.js';
import { TOKEN_LOCK_KEY, TOKEN_STORE_KEY } from './token-provider.js';

describe('upstream token', () => {
  it('200 concurrent checkouts: unique orderRefs and exactly one login', async () => {
    const harness = createHarness();
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => checkout(harness, { button: 'btn_coffee' })),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as SessionCreated[];
    expect(responses.every((r) => r.status === 201)).toBe(true);
    expect(new Set(bodies.map((b) => b.orderRef)).size).toBe(200);
    expect(harness.sandbox.stats().logins).toBe(1);
    expect(harness.sandbox.stats().sessionsCreated).toBe(200);
  });

  it('logs in with the body the gateway documents: email, password and origin, nothing else', async () => {
    const harness = createHarness();
    expect((await checkout(harness, { button: 'btn_coffee' })).status).toBe(201);
    const login = harness.calls.find((call) => call.url.endsWith('/auth/login'));
    expect(JSON.parse(login?.body ?? 'null')).toStrictEqual({
      email: testEnv().UPSTREAM_EMAIL,
      password: testEnv().UPSTREAM_PASSWORD,
      origin: 'application',
    });
  });

  it('logs in once more when the token has expired, however many checkouts wait', async () => {
    const harness = createHarness({ sandbox: { tokenTtlSeconds: 120 } });
    await checkout(harness, { button: 'btn_coffee' });
    harness.clock.now += 121_000;
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => checkout(harness, { button: 'btn_coffee' })),
    );
    expect(responses.every((r) => r.status === 201)).toBe(true);
    expect(harness.sandbox.stats().logins).toBe(2);
  });

  it('refreshes ahead of expiry in the background, without making a checkout wait', async () => {
    const harness = createHarness({ sandbox: { tokenTtlSeconds: 600 } });
    await checkout(harness, { button: 'btn_coffee' });
    // Inside the last 60 s: still valid, due for refresh.
    harness.clock.now += 550_000;
    expect((await checkout(harness, { button: 'btn_coffee' })).status).toBe(201);
    await harness.bff.whenIdle();
    expect(harness.sandbox.stats().logins).toBe(2);
    harness.clock.now += 100_000;
    expect((await checkout(harness, { button: 'btn_coffee' })).status).toBe(201);
    expect(harness.sandbox.stats().logins).toBe(2);
  });

  it('on a 401 logs in once and retries, for every request that met it', async () => {
    let upstreamSkew = 0;
    const harness = createHarness({
      sandbox: { tokenTtlSeconds: 120, now: () => harness.clock.now + upstreamSkew },
    });
    await checkout(harness, { button: 'btn_coffee' });
    // The upstream now sees the BFF's token as expired; the BFF's own clock does not.
    upstreamSkew = 130_000;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => checkout(harness, { button: 'btn_coffee' })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(harness.sandbox.stats().logins).toBe(2);
  });

  it('keeps the token in the SharedStore, so an instance sharing it does not log in', async () => {
    const harness = createHarness();
    await checkout(harness, { button: 'btn_coffee' });
    expect(await harness.store.get(TOKEN_STORE_KEY)).toBeDefined();
    const twin = createApp(harness.config, {
      fetch: async (input, init) => harness.sandbox.app.fetch(new Request(input, init)),
      store: harness.store,
      now: () => harness.clock.now,
      log: () => {},
    });
    const response = await twin.request('/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://shop.test' },
      body: JSON.stringify({ button: 'btn_coffee' }),
    });
    expect(response.status).toBe(201);
    expect(harness.sandbox.stats().logins).toBe(1);
  });

  it('waits for the instance holding the login lock instead of logging in too', async () => {
    const harness = createHarness({
      deps: {
        // The other instance's login lands while this one waits.
        sleep: async () => {
          const response = await harness.sandbox.app.request('/api/auth/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: 'service@sandbox.test', password: 'sandbox-service' }),
          });
          const { data } = (await response.json()) as { data: { token: string } };
          await harness.store.set(TOKEN_STORE_KEY, JSON.stringify({ token: data.token }), 3600_000);
        },
      },
    });
    await harness.store.set(TOKEN_LOCK_KEY, 'other-instance', 60_000);
    expect((await checkout(harness, { button: 'btn_coffee' })).status).toBe(201);
    expect(harness.calls.filter((call) => call.url.endsWith('/auth/login'))).toHaveLength(0);
    expect(harness.sandbox.stats().logins).toBe(1);
  });

  it('takes a token that landed between its first look and taking the lock', async () => {
    const harness = createHarness();
    const login = await harness.sandbox.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'service@sandbox.test', password: 'sandbox-service' }),
    });
    const { data } = (await login.json()) as { data: { token: string } };
    // The other instance's token lands exactly when this one takes the lock.
    const setIfAbsent = harness.store.setIfAbsent.bind(harness.store);
    harness.store.setIfAbsent = async (key, value, ttl) => {
      if (key === TOKEN_LOCK_KEY) {
        await harness.store.set(TOKEN_STORE_KEY, JSON.stringify({ token: data.token }), 3600_000);
      }
      return setIfAbsent(key, value, ttl);
    };
    expect((await checkout(harness, { button: 'btn_coffee' })).status).toBe(201);
    expect(harness.calls.filter((call) => call.url.endsWith('/auth/login'))).toHaveLength(0);
    expect(await harness.store.get(TOKEN_LOCK_KEY)).toBeUndefined();
  });

  it('sends the static UPSTREAM_TOKEN and never logs in; a refused one is a 502', async () => {
    const harness = createHarness({
      env: { UPSTREAM_EMAIL: '', UPSTREAM_PASSWORD: '', UPSTREAM_TOKEN: 'not-a-valid-token' },
    });
    const response = await checkout(harness, { button: 'btn_coffee' });
    expect(response.status).toBe(502);
    expect(harness.sandbox.stats().logins).toBe(0);
  });

  it('answers 502 when the credential is refused, without leaking why', async () => {
    const harness = createHarness({ env: { UPSTREAM_PASSWORD: 'wrong' } });
    const response = await checkout(harness, { button: 'btn_coffee' });
    expect(response.status).toBe(502);
    expect(await response.text()).not.toMatch(/credential|password/i);
  });

  it('never logs or sends the token', async () => {
    const harness = createHarness();
    const response = await checkout(harness, { button: 'btn_coffee' });
    const raw = await harness.store.get(TOKEN_STORE_KEY);
    const { token } = JSON.parse(raw ?? '{}') as { token: string };
    expect(token.length).toBeGreaterThan(20);
    expect(JSON.stringify(harness.logs)).not.toContain(token);
    expect(await response.text()).not.toContain(token);
  });

  it('works from config alone: loadConfig + createApp', () => {
    expect(() => createApp(loadConfig(testEnv()), { log: () => {} })).not.toThrow();
  });
});
