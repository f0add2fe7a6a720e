import { describe, expect, it } from 'vitest';
import { createHarness, type Harness, LOGINS, success } from './test/harness.js';

const KIB = 1024;

/** A JSON body of about `bytes` bytes: `fields` plus a padding field the routes ignore. */
const bodyOf = (bytes: number, fields: Record<string, unknown> = {}) =>
  JSON.stringify({ ...fields, padding: 'x'.repeat(bytes) });

const TOO_LARGE = {
  success: false,
  status: 413,
  message: 'Request body too large: the limit is 65536 bytes',
};

/** Sends `body` as is, with or without a Content-Length header (a stream has none). */
async function send(
  h: Harness,
  method: string,
  path: string,
  body: string,
  { token, contentLength }: { token?: string; contentLength: boolean },
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (contentLength) headers['content-length'] = String(new TextEncoder().encode(body).length);
  const res = await h.sandbox.app.request(path, { method, headers, body });
  return { status: res.status, text: await res.text() };
}

describe('request body limit', () => {
  it.each([
    ['with a Content-Length', true],
    ['streamed, without a Content-Length', false],
  ])(
    'answers a 100 KiB body to POST /api/auth/login with a 413 envelope, %s',
    async (_label, contentLength) => {
      const h = createHarness();
      const res = await send(h, 'POST', '/api/auth/login', bodyOf(100 * KIB, LOGINS.service), {
        contentLength,
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text)).toEqual(TOO_LARGE);
      expect(h.sandbox.stats()).toMatchObject({ logins: 0, loginFailures: 0, apiRequests: 1 });
    },
  );

  it.each([
    ['with a Content-Length', true],
    ['streamed, without a Content-Length', false],
  ])(
    'answers a 100 KiB body to POST /api/buy-button/sessions with a 413 envelope, %s',
    async (_label, contentLength) => {
      const h = createHarness();
      const body = bodyOf(100 * KIB, { button: 'btn_coffee', orderRef: 'order-large' });
      const res = await send(h, 'POST', '/api/buy-button/sessions', body, {
        token: await h.login(),
        contentLength,
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text)).toEqual(TOO_LARGE);
      expect(res.text).not.toMatch(/at |Error/);
      expect(h.sandbox.stats().sessionsCreated).toBe(0);
    },
  );

  it('accepts a body just under the limit', async () => {
    const h = createHarness();
    const body = bodyOf(60 * KIB, { button: 'btn_coffee', orderRef: 'order-large' });
    const res = await send(h, 'POST', '/api/buy-button/sessions', body, {
      token: await h.login(),
      contentLength: false,
    });
    expect(res.status).toBe(200);
    expect(h.sandbox.stats().sessionsCreated).toBe(1);
  });

  it.each([
    ['the portal', (code: string) => `/pay/${code}/pay`],
    ['a /__sandbox helper', (code: string) => `/__sandbox/orders/${code}/pay`],
    ['POST /__sandbox/faults', () => '/__sandbox/faults'],
  ])('limits bodies sent to %s too, changing nothing', async (_label, path) => {
    const h = createHarness();
    const session = await h.createSession();
    const res = await send(h, 'POST', path(session.conversionCode), bodyOf(100 * KIB), {
      contentLength: false,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual(TOO_LARGE);
    const status = await h.call('GET', `/api/confirm_conversion/status/${session.conversionCode}`, {
      token: await h.login(),
    });
    expect(success(status.body)).toMatchObject({ state: 'state:pending' });
  });

  it('refuses a body before fault injection decides anything', async () => {
    const h = createHarness({ faultRate: 1 });
    const res = await send(h, 'POST', '/api/auth/login', bodyOf(100 * KIB), {
      contentLength: true,
    });
    expect(res.status).toBe(413);
    expect(h.sandbox.stats().faultsInjected).toBe(0);
  });

  it('follows maxBodyBytes', async () => {
    const h = createHarness({ maxBodyBytes: 2048 });
    const res = await send(h, 'POST', '/api/auth/login', bodyOf(3 * KIB, LOGINS.service), {
      contentLength: false,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({
      message: 'Request body too large: the limit is 2048 bytes',
    });
    expect((await h.call('POST', '/api/auth/login', { body: LOGINS.service })).status).toBe(200);
  });
});
