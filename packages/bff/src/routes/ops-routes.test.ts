import { describe, expect, it } from 'vitest';
import { problemType } from '../problems/problem-types.js';
import { MemoryStore } from '../store/memory-store.js';
import { createRedisStore, StoreUnavailableError } from '../store/redis-store.js';
import type { SharedStore } from '../store/shared-store.js';
import { createHarness } from '../test/harness.js';

describe('/healthz and /readyz', () => {
  it('healthz answers 200 without touching the upstream', async () => {
    const harness = createHarness();
    harness.sandbox.setFaults({ faultRate: 1 });
    expect((await harness.bff.request('/healthz')).status).toBe(200);
    expect(harness.sandbox.stats().apiRequests).toBe(0);
  });

  it('readyz answers 200 when the upstream answers and a token is obtainable', async () => {
    const harness = createHarness();
    const response = await harness.bff.request('/readyz');
    expect(response.status).toBe(200);
    expect(harness.sandbox.stats().logins).toBe(1);
  });

  it('readyz shows the outbox: events pending and failed, the oldest pending one, orders watched', async () => {
    const harness = createHarness({ merchantStatus: () => 503 });
    const created = await harness.bff.request('/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://shop.test' },
      body: JSON.stringify({ button: 'btn_coffee' }),
    });
    const { conversionCode } = (await created.json()) as { conversionCode: string };
    await harness.bff.request('/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://shop.test' },
      body: JSON.stringify({ button: 'btn_coffee' }),
    });
    await harness.sandbox.app.request(`/__sandbox/orders/${conversionCode}/pay`, {
      method: 'POST',
    });
    await harness.advance(90_000);
    const response = await harness.bff.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      outbox: { pending: 1, failed: 0, oldestPendingAgeMs: 90_000, ordersWatched: 1 },
    });
  });

  it.each<[string, Record<string, string>, boolean]>([
    ['the upstream is down', {}, true],
    ['the credential is refused', { UPSTREAM_PASSWORD: 'wrong' }, false],
  ])('readyz answers a 503 problem when %s', async (_name, env, down) => {
    const harness = createHarness({ env });
    if (down) harness.sandbox.setFaults({ faultRate: 1 });
    const response = await harness.bff.request('/readyz');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { type: string }).type).toBe(problemType('notReady'));
  });

  it('readyz answers a 503 problem naming the shared store when it does not answer', async () => {
    let down = false;
    class PingedStore extends MemoryStore {
      override async ping(): Promise<void> {
        if (down) throw new StoreUnavailableError('The shared store is unreachable (reconnecting)');
      }
    }
    const harness = createHarness({ deps: { store: new PingedStore() } });
    expect((await harness.bff.request('/readyz')).status).toBe(200);
    down = true;
    const response = await harness.bff.request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      type: problemType('notReady'),
      detail: expect.stringMatching(/shared store/),
    });
  });

  it('readyz reports an unreachable Redis store without its URL or password', async () => {
    const store = createRedisStore('redis://bff:hunter2-redis-password@127.0.0.1:1/0', {
      connectTimeoutMs: 300,
      commandTimeoutMs: 300,
    });
    try {
      const harness = createHarness({ deps: { store } });
      const response = await harness.bff.request('/readyz');
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ type: problemType('notReady') });
      const everything = text + JSON.stringify(harness.logs);
      expect(everything).not.toMatch(/hunter2|redis:\/\//);
      expect(harness.logs).toContainEqual(expect.objectContaining({ problem: 'notReady' }));
    } finally {
      await store.close();
    }
  });

  it('readyz reads a store that has no ping', async () => {
    const reads: string[] = [];
    const memory = new MemoryStore();
    const store: SharedStore = {
      setIfAbsent: (key, value, ttlMs) => memory.setIfAbsent(key, value, ttlMs),
      get: async (key) => {
        reads.push(key);
        return memory.get(key);
      },
      set: (key, value, ttlMs) => memory.set(key, value, ttlMs),
      delete: (key) => memory.delete(key),
      increment: (key, windowMs) => memory.increment(key, windowMs),
      close: () => memory.close(),
    };
    const harness = createHarness({ deps: { store } });
    reads.length = 0;
    expect((await harness.bff.request('/readyz')).status).toBe(200);
    expect(reads).toContain('probe:reachable');
  });
});

describe('/openapi.json', () => {
  it('is OpenAPI 3.1 describing every endpoint, from the validating schemas', async () => {
    const harness = createHarness();
    const response = await harness.bff.request('/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/buy-button.js',
      '/buy-button.js.map',
      '/buy-button.{lang}.json',
      '/healthz',
      '/openapi.json',
      '/readyz',
      '/sessions',
      '/sessions/{id}',
      '/webhooks/payment',
    ]);
    expect(Object.keys(doc.paths['/sessions/{id}'] ?? {}).sort()).toEqual(['delete', 'get']);
    expect(Object.keys(doc.components.schemas.CreateSessionRequest?.properties ?? {})).toEqual([
      'button',
      'price',
      'currency',
      'buttonName',
      'returnUrl',
      'cancelUrl',
      'locale',
      'quantity',
      'reference',
    ]);
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(Object.keys(doc.paths['/webhooks/payment']?.post?.responses ?? {})).toContain('503');
  });
});

describe('/buy-button.js', () => {
  const body = 'customElements.define("buy-button", class extends HTMLElement {});\n';

  it('serves the bundle as JavaScript, loadable from any origin, with a strong ETag', async () => {
    const harness = createHarness({ deps: { scriptBundle: { body } } });
    const response = await harness.bff.request('/buy-button.js', {
      headers: { origin: 'https://any.test' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(body);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{20,}"$/);
  });

  it('answers 304 to a matching If-None-Match, and 200 to a stale one', async () => {
    const harness = createHarness({ deps: { scriptBundle: { body } } });
    const etag = (await harness.bff.request('/buy-button.js')).headers.get('etag') ?? '';
    const cached = await harness.bff.request('/buy-button.js', {
      headers: { 'if-none-match': `"old", ${etag}` },
    });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(await cached.text()).toBe('');
    const stale = await harness.bff.request('/buy-button.js', {
      headers: { 'if-none-match': '"old"' },
    });
    expect(stale.status).toBe(200);
  });

  it('uses the ETag the loader gives, and loads once', async () => {
    let loads = 0;
    const harness = createHarness({
      deps: {
        scriptBundle: async () => {
          loads += 1;
          return { body, etag: '"v1"' };
        },
      },
    });
    await harness.bff.request('/buy-button.js');
    const response = await harness.bff.request('/buy-button.js');
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(loads).toBe(1);
  });

  it('answers a 503 problem and logs how to build it when there is no bundle', async () => {
    const harness = createHarness({ deps: { scriptBundle: async () => undefined } });
    const response = await harness.bff.request('/buy-button.js');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { type: string }).type).toBe(
      problemType('scriptUnavailable'),
    );
    expect(
      harness.logs.some((entry) => entry.msg.includes('pnpm --filter @buy-button/element build')),
    ).toBe(true);
  });
});
