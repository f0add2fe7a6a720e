import type { SessionCreated } from '@buy-button/element/wire';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../problems/problem-error.js';
import { MemoryStore } from '../store/memory-store.js';
import { CLAIM_MARGIN_MS, checkoutFingerprint, IdempotencyGuard } from './idempotency.js';

describe('a key claimed by an instance that crashed', () => {
  const answer: SessionCreated = {
    sessionId: 's1',
    orderRef: 'bb-1',
    conversionCode: 'C1',
    redirectUrl: 'https://pay.test/pay?code=C1',
    receipt: 'r',
  };

  it('is released once a checkout could no longer be running, so the retry goes through', async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    const options = { checkoutTimeoutMs: 12_000 };
    const crashed = new IdempotencyGuard(store, options);
    const survivor = new IdempotencyGuard(store, options);
    // The first instance claims the key and never answers.
    void crashed.run('k', 'same request', () => new Promise<SessionCreated>(() => {}));
    await Promise.resolve();

    now = 12_000 + CLAIM_MARGIN_MS - 1;
    const early = await survivor.run('k', 'same request', async () => answer).catch((e) => e);
    expect(early).toBeInstanceOf(ProblemError);
    expect((early as ProblemError).kind).toBe('idempotencyInProgress');

    now = 12_000 + CLAIM_MARGIN_MS;
    await expect(survivor.run('k', 'same request', async () => answer)).resolves.toEqual(answer);
  });
});

describe('checkout fingerprints', () => {
  it('tell apart every field that shapes the answer, and the page origin', () => {
    const base = { button: 'btn_donation', price: '12.50', returnUrl: '/thanks' };
    const prints = [
      checkoutFingerprint(base, 'https://shop.test'),
      checkoutFingerprint(base, 'https://other.test'),
      checkoutFingerprint(base, undefined),
      checkoutFingerprint({ ...base, price: '12.51' }, 'https://shop.test'),
      checkoutFingerprint({ ...base, currency: 'EUR' }, 'https://shop.test'),
      checkoutFingerprint({ ...base, returnUrl: '/thanks2' }, 'https://shop.test'),
      checkoutFingerprint({ ...base, cancelUrl: '/cart' }, 'https://shop.test'),
      checkoutFingerprint({ ...base, buttonName: 'x' }, 'https://shop.test'),
      checkoutFingerprint({ ...base, locale: 'fr' }, 'https://shop.test'),
      checkoutFingerprint({ ...base, button: 'btn_coffee' }, 'https://shop.test'),
    ];
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('are the same for the same request, whatever the order of its fields', () => {
    expect(checkoutFingerprint({ price: '1.00', button: 'b' }, 'https://s.test')).toBe(
      checkoutFingerprint({ button: 'b', price: '1.00' }, 'https://s.test'),
    );
  });
});
