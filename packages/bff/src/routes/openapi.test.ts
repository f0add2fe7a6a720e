import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { SessionCreated } from '@buy-button/element/wire';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../body-limit.js';
import { checkoutFingerprint } from '../checkout/idempotency.js';
import { timeoutError } from '../runtime/http-transport.js';
import { MemoryStore } from '../store/memory-store.js';
import { StoreUnavailableError } from '../store/redis-store.js';
import {
  createHarness,
  type Harness,
  type HarnessOptions,
  SANDBOX_URL,
  SHOP,
} from '../test/harness.js';
import { OpenApiContract, type OpenApiDocument } from '../test/openapi-contract.js';
import { ROUTES } from './api-schemas.js';

const SCRIPT = `${'customElements.define("buy-button", class extends HTMLElement {});\n'.repeat(20)}//# sourceMappingURL=buy-button.js.map`;
const BUNDLE = {
  body: SCRIPT,
  br: brotliCompressSync(SCRIPT),
  gzip: gzipSync(SCRIPT),
  map: JSON.stringify({ version: 3, file: 'buy-button.js', sources: [], names: [], mappings: '' }),
};

async function fetchDocument(): Promise<{ text: string; doc: OpenApiDocument }> {
  const response = await createHarness().bff.request('/openapi.json');
  const text = await response.text();
  return { text, doc: JSON.parse(text) as OpenApiDocument };
}

describe('/openapi.json under Redocly', () => {
  it("passes the `recommended` ruleset with no error; its only warnings are operations that can't answer a 4xx", async () => {
    const { text } = await fetchDocument();
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: text, absoluteRef: 'openapi.json', config });
    const report = problems.map(
      (p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`,
    );
    expect(report.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(report.filter((line) => !/^warn operation-4xx-response /.test(line))).toEqual([]);
    expect(
      problems.map((p) => p.location[0]?.pointer).sort(),
      'operations documented without any 4xx',
    ).toEqual([
      '#/paths/~1buy-button.js/get/responses',
      '#/paths/~1healthz/get/responses',
      '#/paths/~1openapi.json/get/responses',
      '#/paths/~1readyz/get/responses',
    ]);
  });

  it('names its server, an operationId per operation, and who needs a receipt', async () => {
    const { doc } = await fetchDocument();
    const full = doc as OpenApiDocument & { servers: { url: string }[] };
    expect(full.servers).toEqual([expect.objectContaining({ url: 'http://bff.test' })]);
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ method, path, ...op })),
    );
    expect(operations).toHaveLength(Object.keys(ROUTES).length);
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of operations as { method: string; path: string; security?: unknown }[]) {
      const receipt = op.path === '/sessions/{id}';
      expect({ op: `${op.method} ${op.path}`, security: op.security }).toEqual({
        op: `${op.method} ${op.path}`,
        security: receipt ? [{ receipt: [] }] : [],
      });
    }
  });
});

describe('every answer of the BFF is what /openapi.json documents', () => {
  let contract: OpenApiContract;
  beforeAll(async () => {
    contract = new OpenApiContract((await fetchDocument()).doc);
  });

  /** Sends `init` to `path`, expects `status`, and checks the answer against the document. */
  async function answer(
    harness: Harness,
    path: string,
    init: RequestInit & { method?: string },
    status: number,
  ): Promise<Response> {
    const method = init.method ?? 'GET';
    const response = await harness.bff.request(path, init);
    expect(`${method} ${path} → ${response.status}`).toBe(`${method} ${path} → ${status}`);
    await contract.check(method, path, response);
    return response;
  }

  const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP, ...headers },
    body: JSON.stringify(body),
  });
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SHOP, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  const withReceipt = (receipt: string, method = 'GET'): RequestInit => ({
    method,
    headers: { authorization: `Bearer ${receipt}`, origin: SHOP },
  });

  async function session(harness: Harness): Promise<SessionCreated> {
    const response = await answer(harness, '/sessions', json({ button: 'btn_coffee' }), 201);
    return (await response.json()) as SessionCreated;
  }

  /**
   * A harness whose upstream calls go through `upstream.fail` while it is set (a 500, a timeout),
   * to the sandbox otherwise.
   */
  function harnessWithFaultyUpstream(options: HarnessOptions = {}) {
    const upstream: { fail?: () => Promise<Response> } = {};
    const harness: Harness = createHarness({
      ...options,
      deps: {
        ...options.deps,
        fetch: async (input, init) => {
          const request = new Request(input, init);
          if (!request.url.startsWith(SANDBOX_URL)) return new Response(null, { status: 204 });
          if (upstream.fail !== undefined) return upstream.fail();
          return harness.sandbox.app.fetch(request);
        },
      },
    });
    return { harness, upstream };
  }
  const upstream500 = async () => new Response('{"message":"boom"}', { status: 500 });
  const upstreamTimeout = async (): Promise<Response> => {
    throw timeoutError();
  };

  /** A store that answers like Redis gone away, or that fails with a bug. */
  class BrokenStore extends MemoryStore {
    failure: Error | undefined;
    override async setIfAbsent(key: string, value: string, ttlMs: number) {
      if (this.failure !== undefined) throw this.failure;
      return super.setIfAbsent(key, value, ttlMs);
    }
    override async increment(key: string, windowMs: number) {
      if (this.failure !== undefined) throw this.failure;
      return super.increment(key, windowMs);
    }
  }

  describe('POST /sessions', () => {
    it('201 JSON, 303 form', async () => {
      const harness = createHarness();
      await session(harness);
      const redirect = await answer(harness, '/sessions', form({ button: 'btn_coffee' }), 303);
      expect(redirect.headers.get('location')).toMatch(/^http:\/\/sandbox\.test\/pay\?code=/);
    });

    it.each<[string, RequestInit, number, string]>([
      ['an invalid body', json({ button: 42 }), 400, 'application/problem+json'],
      ['an invalid form', form({ button: 'btn_donation', price: 'abc' }), 400, 'text/html'],
      ['malformed JSON', { ...json({}), body: '{' }, 400, 'application/problem+json'],
      [
        'a foreign origin',
        json({ button: 'btn_coffee' }, { origin: 'https://evil.test' }),
        403,
        'application/problem+json',
      ],
      [
        'a form without Origin',
        {
          ...form({ button: 'btn_coffee' }),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        403,
        'text/html',
      ],
      ['an unknown button', json({ button: 'btn_gold' }), 404, 'application/problem+json'],
      ['an unknown button (form)', form({ button: 'btn_gold' }), 404, 'text/html'],
      [
        'a body over 16 KB',
        json({ button: 'btn_coffee', buttonName: 'x'.repeat(BODY_LIMIT_BYTES) }),
        413,
        'application/problem+json',
      ],
      [
        'a form over 16 KB',
        form({ button: 'btn_coffee', buttonName: 'x'.repeat(BODY_LIMIT_BYTES) }),
        413,
        'text/html',
      ],
      [
        'a body neither JSON nor a form',
        { method: 'POST', headers: { 'content-type': 'text/plain', origin: SHOP }, body: 'btn' },
        415,
        'application/problem+json',
      ],
      [
        'an invalid Idempotency-Key',
        json({ button: 'btn_coffee' }, { 'idempotency-key': 'a b' }),
        400,
        'application/problem+json',
      ],
    ])('%s', async (_name, init, status, media) => {
      const response = await answer(createHarness(), '/sessions', init, status);
      expect(response.headers.get('content-type')).toContain(media);
    });

    it('409 and 422 of Idempotency-Key', async () => {
      const harness = createHarness();
      const fingerprint = checkoutFingerprint({ button: 'btn_coffee' }, SHOP);
      await harness.store.set('idem:running', JSON.stringify({ request: fingerprint }), 60_000);
      const running = await answer(
        harness,
        '/sessions',
        json({ button: 'btn_coffee' }, { 'idempotency-key': 'running' }),
        409,
      );
      expect(running.headers.get('retry-after')).toBe('1');
      const key = { 'idempotency-key': 'used' };
      await answer(harness, '/sessions', json({ button: 'btn_coffee' }, key), 201);
      await answer(harness, '/sessions', json({ button: 'btn_donation', price: '5.00' }, key), 422);
    });

    it('429 over RATE_LIMIT, JSON and form', async () => {
      const harness = createHarness({ env: { RATE_LIMIT: '1/60s' } });
      await session(harness);
      const limited = await answer(harness, '/sessions', json({ button: 'btn_coffee' }), 429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      await answer(harness, '/sessions', form({ button: 'btn_coffee' }), 429);
    });

    it('502, 503 and 504 of the upstream, JSON and form', async () => {
      const { harness, upstream } = harnessWithFaultyUpstream();
      harness.sandbox.setFaults({ faultRate: 1 });
      await answer(harness, '/sessions', json({ button: 'btn_coffee' }), 503);
      await answer(harness, '/sessions', form({ button: 'btn_coffee' }), 503);
      harness.sandbox.setFaults({ faultRate: 0 });
      upstream.fail = upstream500;
      await answer(harness, '/sessions', json({ button: 'btn_coffee' }), 502);
      upstream.fail = upstreamTimeout;
      await answer(harness, '/sessions', json({ button: 'btn_coffee' }), 504);
      await answer(harness, '/sessions', form({ button: 'btn_coffee' }), 504);
    });

    it('503 with Retry-After while the store is away, 500 on a bug', async () => {
      const store = new BrokenStore();
      const harness = createHarness({ deps: { store }, env: { RATE_LIMIT: '10/60s' } });
      store.failure = new StoreUnavailableError('The shared store is unreachable');
      const away = await answer(harness, '/sessions', json({ button: 'btn_coffee' }), 503);
      expect(away.headers.get('retry-after')).toBe('1');
      store.failure = new Error('a bug');
      await answer(harness, '/sessions', json({ button: 'btn_coffee' }), 500);
      await answer(harness, '/sessions', form({ button: 'btn_coffee' }), 500);
    });
  });

  describe('GET and DELETE /sessions/{id}', () => {
    it('200, 401, 403, 404 of a read; 200, 401, 403 of a cancel', async () => {
      const harness = createHarness();
      const mine = await session(harness);
      const other = await session(harness);
      const path = `/sessions/${mine.sessionId}`;
      await answer(harness, path, withReceipt(mine.receipt), 200);
      await answer(harness, `/sessions/${mine.orderRef}`, withReceipt(mine.receipt), 200);
      const missing = await answer(harness, path, { headers: { origin: SHOP } }, 401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      await answer(harness, path, withReceipt('forged'), 401);
      await answer(harness, path, withReceipt(other.receipt), 403);
      await answer(harness, '/sessions/6650a1f0c0ffee0000000099', withReceipt(mine.receipt), 404);

      await answer(harness, path, { method: 'DELETE', headers: { origin: SHOP } }, 401);
      await answer(
        harness,
        path,
        {
          method: 'DELETE',
          headers: { authorization: `Bearer ${mine.receipt}`, origin: 'https://evil.test' },
        },
        403,
      );
      await answer(harness, path, withReceipt(mine.receipt, 'DELETE'), 200);
      await answer(harness, path, withReceipt(mine.receipt, 'DELETE'), 200);
    });

    it('413 of a cancel with a body over 16 KB', async () => {
      const harness = createHarness();
      const mine = await session(harness);
      await answer(
        harness,
        `/sessions/${mine.sessionId}`,
        {
          method: 'DELETE',
          headers: {
            authorization: `Bearer ${mine.receipt}`,
            origin: SHOP,
            'content-type': 'text/plain',
          },
          body: 'x'.repeat(BODY_LIMIT_BYTES + 1),
        },
        413,
      );
    });

    it('429 past 60 reads and cancels a minute per receipt', async () => {
      const harness = createHarness();
      const mine = await session(harness);
      const path = `/sessions/${mine.orderRef}`;
      for (let i = 0; i < 60; i += 1) {
        expect((await harness.bff.request(path, withReceipt(mine.receipt))).status).toBe(200);
      }
      const limited = await answer(harness, path, withReceipt(mine.receipt), 429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      await answer(harness, path, withReceipt(mine.receipt, 'DELETE'), 429);
    });

    it('502, 503 and 504 of the upstream', async () => {
      const { harness, upstream } = harnessWithFaultyUpstream();
      const mine = await session(harness);
      const path = `/sessions/${mine.sessionId}`;
      for (const method of ['GET', 'DELETE']) {
        upstream.fail = upstream500;
        await answer(harness, path, withReceipt(mine.receipt, method), 502);
        upstream.fail = upstreamTimeout;
        await answer(harness, path, withReceipt(mine.receipt, method), 504);
        upstream.fail = undefined;
        harness.sandbox.setFaults({ faultRate: 1 });
        await answer(harness, path, withReceipt(mine.receipt, method), 503);
        harness.sandbox.setFaults({ faultRate: 0 });
      }
    });

    it('400 when the upstream refuses the read as invalid', async () => {
      const { harness, upstream } = harnessWithFaultyUpstream();
      const mine = await session(harness);
      upstream.fail = async () => new Response('{"message":"bad"}', { status: 422 });
      await answer(harness, `/sessions/${mine.sessionId}`, withReceipt(mine.receipt), 400);
    });
  });

  describe('POST /webhooks/payment', () => {
    const callback = (body: string) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

    it('202, 400, 413', async () => {
      const harness = createHarness();
      const mine = await session(harness);
      await answer(
        harness,
        '/webhooks/payment',
        callback(JSON.stringify({ code: mine.conversionCode })),
        202,
      );
      await answer(
        harness,
        '/webhooks/payment',
        callback(JSON.stringify({ code: 'NOSUCHCODE' })),
        202,
      );
      await answer(harness, '/webhooks/payment', callback('not json'), 400);
      await answer(harness, '/webhooks/payment', callback(JSON.stringify({})), 400);
      await answer(
        harness,
        '/webhooks/payment',
        callback(JSON.stringify({ code: 'ABC', pad: 'x'.repeat(BODY_LIMIT_BYTES) })),
        413,
      );
      // A form-encoded callback is not a shopper's form: a problem, not a page.
      await answer(
        harness,
        '/webhooks/payment',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'code=ABC',
        },
        400,
      );
    });

    it('429 over CALLBACK_RATE_LIMIT', async () => {
      const harness = createHarness({ env: { CALLBACK_RATE_LIMIT: '1/60s' } });
      await answer(harness, '/webhooks/payment', callback(JSON.stringify({ code: 'A' })), 202);
      const limited = await answer(
        harness,
        '/webhooks/payment',
        callback(JSON.stringify({ code: 'A' })),
        429,
      );
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('503 while the order cannot be read again', async () => {
      const harness = createHarness();
      const mine = await session(harness);
      harness.sandbox.setFaults({ faultRate: 1 });
      const refused = await answer(
        harness,
        '/webhooks/payment',
        callback(JSON.stringify({ code: mine.conversionCode })),
        503,
      );
      expect(refused.headers.get('retry-after')).toBe('5');
    });
  });

  describe('operations', () => {
    it('healthz 200; readyz 200 and 503; openapi.json 200', async () => {
      const harness = createHarness();
      await answer(harness, '/healthz', {}, 200);
      await answer(harness, '/readyz', {}, 200);
      await answer(harness, '/openapi.json', {}, 200);
      const down = createHarness();
      down.sandbox.setFaults({ faultRate: 1 });
      await answer(down, '/readyz', {}, 503);
    });

    it('buy-button.js: 200 plain, br and gzip, 304, 503; its map 200, 304, 404', async () => {
      const harness = createHarness({ deps: { scriptBundle: BUNDLE } });
      for (const acceptEncoding of ['br', 'gzip', 'identity']) {
        const ok = await answer(
          harness,
          '/buy-button.js',
          { headers: { 'accept-encoding': acceptEncoding } },
          200,
        );
        await answer(
          harness,
          '/buy-button.js',
          {
            headers: {
              'accept-encoding': acceptEncoding,
              'if-none-match': ok.headers.get('etag') ?? '',
            },
          },
          304,
        );
      }
      const map = await answer(harness, '/buy-button.js.map', {}, 200);
      await answer(
        harness,
        '/buy-button.js.map',
        { headers: { 'if-none-match': map.headers.get('etag') ?? '' } },
        304,
      );

      const noMap = createHarness({ deps: { scriptBundle: { body: 'void 0;' } } });
      await answer(noMap, '/buy-button.js.map', {}, 404);
      const unbuilt = createHarness({ deps: { scriptBundle: async () => undefined } });
      await answer(unbuilt, '/buy-button.js', {}, 503);
      await answer(unbuilt, '/buy-button.js.map', {}, 503);
      await answer(unbuilt, '/buy-button.de.json', {}, 503);
      const withLocales = createHarness({
        deps: { scriptBundle: { body: 'void 0;', locales: { de: '{"pay":"Bezahlen"}' } } },
      });
      const de = await answer(withLocales, '/buy-button.de.json', {}, 200);
      await answer(
        withLocales,
        '/buy-button.de.json',
        { headers: { 'if-none-match': de.headers.get('etag') ?? '' } },
        304,
      );
      await answer(withLocales, '/buy-button.xx.json', {}, 404);
    });
  });

  it('covered at least the answers the contract promises', () => {
    const required = [
      'POST /sessions 201 application/json',
      'POST /sessions 303',
      ...[400, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503, 504].map(
        (status) => `POST /sessions ${status} application/problem+json`,
      ),
      ...[400, 403, 404, 413, 429, 500, 503, 504].map(
        (status) => `POST /sessions ${status} text/html`,
      ),
      'GET /sessions/{id} 200 application/json',
      ...[400, 401, 403, 404, 429, 502, 503, 504].map(
        (status) => `GET /sessions/{id} ${status} application/problem+json`,
      ),
      'DELETE /sessions/{id} 200 application/json',
      ...[401, 403, 413, 429, 502, 503, 504].map(
        (status) => `DELETE /sessions/{id} ${status} application/problem+json`,
      ),
      'POST /webhooks/payment 202 application/json',
      ...[400, 413, 429, 503].map(
        (status) => `POST /webhooks/payment ${status} application/problem+json`,
      ),
      'GET /healthz 200 application/json',
      'GET /readyz 200 application/json',
      'GET /readyz 503 application/problem+json',
      'GET /openapi.json 200 application/json',
      'GET /buy-button.js 200 text/javascript',
      'GET /buy-button.js 304',
      'GET /buy-button.js 503 application/problem+json',
      'GET /buy-button.js.map 200 application/json',
      'GET /buy-button.js.map 304',
      'GET /buy-button.js.map 404 application/problem+json',
      'GET /buy-button.js.map 503 application/problem+json',
    ];
    expect(required.filter((answer) => !contract.covered.has(answer))).toEqual([]);
  });
});

describe('the contract check itself', () => {
  let contract: OpenApiContract;
  beforeAll(async () => {
    contract = new OpenApiContract((await fetchDocument()).doc);
  });
  const jsonResponse = (body: unknown, status = 200, type = 'application/json') =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

  it.each<[string, string, string, () => Response, RegExp]>([
    [
      'an undocumented status',
      'GET',
      '/healthz',
      () => jsonResponse({ status: 'ok' }, 418),
      /status not documented/,
    ],
    [
      'an undocumented media type',
      'GET',
      '/healthz',
      () => new Response('ok', { headers: { 'content-type': 'text/plain' } }),
      /media type text\/plain not documented/,
    ],
    [
      'a body off its schema',
      'GET',
      '/sessions/abc',
      () => jsonResponse({ status: 'paid' }),
      /must have required property/,
    ],
    [
      'an enum value off its schema',
      'GET',
      '/sessions/abc',
      () =>
        jsonResponse({
          sessionId: 'a',
          orderRef: 'b',
          status: 'refunded',
          amount: '1',
          currency: 'EUR',
        }),
      /must be equal to one of the allowed values/,
    ],
    [
      'a problem that is not one',
      'POST',
      '/sessions',
      () => jsonResponse({ error: 'nope' }, 400, 'application/problem+json'),
      /must have required property 'type'/,
    ],
    [
      'an HTML page where only problem+json is documented',
      'POST',
      '/sessions',
      () => new Response('<p>', { status: 415, headers: { 'content-type': 'text/html' } }),
      /media type text\/html not documented/,
    ],
    [
      'a body where none is documented',
      'POST',
      '/sessions',
      () => new Response('x', { status: 303, headers: { location: 'http://pay.test/' } }),
      /documents no content/,
    ],
    [
      'a 303 without Location',
      'POST',
      '/sessions',
      () => new Response(null, { status: 303 }),
      /required header Location missing/,
    ],
    ['an undocumented path', 'GET', '/admin', () => jsonResponse({}), /no such path/],
    ['an undocumented method', 'PUT', '/healthz', () => jsonResponse({}), /no such operation/],
  ])('rejects %s', async (_name, method, path, response, message) => {
    await expect(contract.check(method, path, response())).rejects.toThrow(message);
  });
});
