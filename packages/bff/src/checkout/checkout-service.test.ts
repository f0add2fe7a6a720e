import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { ProblemError } from '../problems/problem-error.js';
import { MemoryStore } from '../store/memory-store.js';
import { testEnv } from '../test/harness.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { UPSTREAM_ERROR_CODE, UpstreamError } from '../upstream/upstream-error.js';
import { CheckoutService } from './checkout-service.js';
import { OrderNotes } from './order-notes.js';
import { orderRefMatcher } from './order-ref.js';
import { ReceiptSigner } from './receipt-signer.js';
import { RedirectPolicy } from './redirect-policy.js';

function service(upstream: UpstreamClient, portalUrl = 'https://pay.example/pay') {
  const config = loadConfig(testEnv());
  return new CheckoutService({
    catalog: config.buttons,
    upstream,
    notes: new OrderNotes(new MemoryStore()),
    receipts: new ReceiptSigner({
      secret: 's'.repeat(32),
      ttlSeconds: 60,
      now: () => 1_800_000_000_000,
    }),
    redirects: new RedirectPolicy({ allowedOrigins: config.allowedRedirectOrigins }),
    nextOrderRef: () => 'test-01ABCDEFGHJKMNPQRSTVWXYZ0',
    isOrderRef: orderRefMatcher('test-'),
    portalUrl,
    callbackUrl: 'https://bff.example/webhooks/payment',
    defaultReturnUrl: undefined,
    defaultCancelUrl: undefined,
  });
}

describe('the redirect to the portal', () => {
  it.each([
    ['https://pay.example/pay', 'RKQCZZJ00002', 'https://pay.example/pay?code=RKQCZZJ00002'],
    ['https://pay.example/pay', 'AB CD&x=1', 'https://pay.example/pay?code=AB+CD%26x%3D1'],
    ['https://pay.example/pay?lang=fr', 'C1', 'https://pay.example/pay?lang=fr&code=C1'],
  ])('is PORTAL_URL %s with the code %s as a query parameter', async (portal, code, expected) => {
    const checkout = service(
      {
        createSession: async ({ orderRef }) => ({ id: 'S1', orderRef, conversionCode: code }),
      } as UpstreamClient,
      portal,
    );
    const created = await checkout.createCheckoutSession({ button: 'btn_coffee' }, undefined);
    expect(created.redirectUrl).toBe(expected);
  });
});

describe('an upstream failure reading an order', () => {
  const ORDER_REF = 'test-01ABCDEFGHJKMNPQRSTVWXYZ0';
  const failing = (status: number) =>
    service({
      getOrderByRef: async () => {
        throw new UpstreamError(UPSTREAM_ERROR_CODE.status, 'GET /orders', { status });
      },
    } as unknown as UpstreamClient);

  it.each([
    [404, 'sessionNotFound'],
    [500, 'upstreamError'],
    [503, 'upstreamUnavailable'],
  ])('is told as a problem: %i is %s', async (status, kind) => {
    const read = failing(status).readStatus(ORDER_REF, ORDER_REF);
    await expect(read).rejects.toBeInstanceOf(ProblemError);
    await expect(read).rejects.toMatchObject({ kind });
  });
});
