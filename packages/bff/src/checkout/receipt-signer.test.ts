import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ReceiptError, ReceiptSigner } from './receipt-signer.js';

const SECRET = 's'.repeat(32);
const ORDER_REF = 'shop-01JDB4Z7K3QW8M2V6XH0T9RCNE';

async function failure(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (err) {
    if (err instanceof ReceiptError) return err.code;
    throw err;
  }
}

describe('ReceiptSigner', () => {
  it('signs a compact receipt bound to the orderRef', async () => {
    const signer = new ReceiptSigner({
      secret: SECRET,
      ttlSeconds: 3600,
      now: () => 1_800_000_000_000,
    });
    const receipt = await signer.sign(ORDER_REF);
    expect(decodeProtectedHeader(receipt)).toEqual({ alg: 'HS256' });
    expect(decodeJwt(receipt)).toEqual({ sub: ORDER_REF, exp: 1_800_003_600 });
    expect(receipt.length).toBeLessThan(160);
    expect(await signer.verify(receipt)).toEqual({ orderRef: ORDER_REF });
  });

  it('refuses an expired receipt', async () => {
    let now = 1_800_000_000_000;
    const signer = new ReceiptSigner({ secret: SECRET, ttlSeconds: 60, now: () => now });
    const receipt = await signer.sign(ORDER_REF);
    now += 61_000;
    expect(await failure(() => signer.verify(receipt))).toBe('ERR_RECEIPT_EXPIRED');
  });

  it.each([
    [
      'another secret',
      async () =>
        new ReceiptSigner({ secret: 'x'.repeat(32), ttlSeconds: 60, now: Date.now }).sign(
          ORDER_REF,
        ),
    ],
    [
      'alg none',
      async () => `${btoa('{"alg":"none"}')}.${btoa(`{"sub":"${ORDER_REF}","exp":9999999999}`)}.`,
    ],
    [
      'no exp',
      async () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(ORDER_REF)
          .sign(new TextEncoder().encode(SECRET)),
    ],
    ['garbage', async () => 'not.a.jwt'],
    ['empty', async () => ''],
  ])('refuses a receipt made with %s', async (_name, make) => {
    const signer = new ReceiptSigner({ secret: SECRET, ttlSeconds: 60, now: Date.now });
    expect(await failure(async () => signer.verify(await make()))).toBe('ERR_RECEIPT_INVALID');
  });

  it.each([
    ['ASCII', ORDER_REF],
    ['Latin-1', 'shop-café'],
    ['outside the BMP', 'shop-☕🛒'],
  ])(
    'signs a minimal HS256 receipt for an orderRef with %s, and verifies it',
    async (_name, orderRef) => {
      const signer = new ReceiptSigner({
        secret: SECRET,
        ttlSeconds: 60,
        now: () => 1_800_000_000_999,
      });
      const receipt = await signer.sign(orderRef);
      expect(decodeProtectedHeader(receipt)).toEqual({ alg: 'HS256' });
      expect(decodeJwt(receipt)).toEqual({ sub: orderRef, exp: 1_800_000_060 });
      expect(await signer.verify(receipt)).toEqual({ orderRef });
    },
  );

  describe('during a rotation (RECEIPT_PREVIOUS_SECRET)', () => {
    const NEW = 'n'.repeat(32);
    const OLD = 'o'.repeat(32);
    let now = 1_800_000_000_000;
    const signer = (secret: string, previousSecret?: string) =>
      new ReceiptSigner({ secret, previousSecret, ttlSeconds: 60, now: () => now });

    it('signs with the current secret and accepts receipts signed with either', async () => {
      const rotating = signer(NEW, OLD);
      const fresh = await rotating.sign(ORDER_REF);
      expect(fresh).toBe(await signer(NEW).sign(ORDER_REF));
      expect(await signer(NEW).verify(fresh)).toEqual({ orderRef: ORDER_REF });
      expect(await failure(() => signer(OLD).verify(fresh))).toBe('ERR_RECEIPT_INVALID');
      const before = await signer(OLD).sign(ORDER_REF);
      expect(await rotating.verify(before)).toEqual({ orderRef: ORDER_REF });
    });

    it('refuses a receipt signed with neither, and an expired one signed with the old secret', async () => {
      const rotating = signer(NEW, OLD);
      const foreign = await signer('f'.repeat(32)).sign(ORDER_REF);
      expect(await failure(() => rotating.verify(foreign))).toBe('ERR_RECEIPT_INVALID');
      const old = await signer(OLD).sign(ORDER_REF);
      now += 61_000;
      expect(await failure(() => rotating.verify(old))).toBe('ERR_RECEIPT_EXPIRED');
    });

    it('no longer accepts the old secret once it is dropped', async () => {
      const old = await signer(OLD).sign(ORDER_REF);
      expect(await failure(() => signer(NEW).verify(old))).toBe('ERR_RECEIPT_INVALID');
    });
  });
});
