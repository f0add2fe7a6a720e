import { describe, expect, it } from 'vitest';
import { checkoutFingerprint } from './idempotency.js';

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
