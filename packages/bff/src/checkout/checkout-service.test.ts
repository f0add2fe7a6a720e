import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { testEnv } from '../test/harness.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { CheckoutService } from './checkout-service.js';
import { orderRefMatcher } from './order-ref.js';
import { ReceiptSigner } from './receipt-signer.js';
import { RedirectPolicy } from './redirect-policy.js';

function service(upstream = {} as UpstreamClient) {
  const config = loadConfig(testEnv());
  return new CheckoutService({
    catalog: config.buttons,
    upstream,
    receipts: new ReceiptSigner({
      secret: 's'.repeat(32),
      ttlSeconds: 60,
      now: () => 1_800_000_000_000,
    }),
    redirects: new RedirectPolicy({ allowedOrigins: config.allowedRedirectOrigins }),
    nextOrderRef: () => 'test-01ABCDEFGHJKMNPQRSTVWXYZ0',
    isOrderRef: orderRefMatcher('test-'),
    portalUrl: 'https://pay.example/pay',
    callbackUrl: 'https://bff.example/webhooks/payment',
    defaultReturnUrl: undefined,
    defaultCancelUrl: undefined,
  });
}

describe('the idempotency codec', () => {
  it.each([
    ['plain ids', '6650a1f0c0ffee0000000009', 'RKQCZZJ00002'],
    ['a code with a space', '6650a1f0c0ffee0000000009', 'AB CD'],
    ['an id starting with [', '[weird', 'C1'],
  ])('gives back exactly what it was given, with %s', async (_name, sessionId, conversionCode) => {
    const checkout = service();
    const receipts = new ReceiptSigner({
      secret: 's'.repeat(32),
      ttlSeconds: 60,
      now: () => 1_800_000_000_000,
    });
    const orderRef = 'test-01ABCDEFGHJKMNPQRSTVWXYZ0';
    const created = {
      sessionId,
      orderRef,
      conversionCode,
      redirectUrl: `https://pay.example/pay?code=${encodeURIComponent(conversionCode).replace(/%20/g, '+')}`,
      receipt: await receipts.sign(orderRef),
    };
    const stored = checkout.sessionCodec.encode(created);
    expect(stored.length).toBeLessThan(100);
    expect(await checkout.sessionCodec.decode(stored)).toEqual(created);
  });

  it('keeps the exp the service signed, without reading its receipt back', async () => {
    const checkout = service({
      createSession: async ({ orderRef }) => ({
        id: '6650a1f0c0ffee0000000009',
        orderRef,
        conversionCode: 'RKQCZZJ00002',
      }),
    } as UpstreamClient);
    const created = await checkout.createCheckoutSession({ button: 'btn_coffee' }, undefined);
    const stored = checkout.sessionCodec.encode(created);
    expect(stored).toBe(
      '6650a1f0c0ffee0000000009 test-01ABCDEFGHJKMNPQRSTVWXYZ0 RKQCZZJ00002 1800000060',
    );
    expect(await checkout.sessionCodec.decode(stored)).toEqual(created);
    // An answer made elsewhere (here a copy) has its exp read from its receipt: the same record.
    expect(checkout.sessionCodec.encode({ ...created })).toBe(stored);
    // The answer made here is not re-read: a receipt that cannot be decoded changes nothing.
    expect(checkout.sessionCodec.encode({ ...created, receipt: 'x.y.z' })).toMatch(/ 0$/);
    expect(checkout.sessionCodec.encode(Object.assign(created, { receipt: 'x.y.z' }))).toBe(stored);
  });
});
