import { describe, expect, it } from 'vitest';
import { checkoutFingerprint, requestFingerprint } from './idempotency.js';

/** The fingerprint as first written: two cyrb53 runs, each number in base 36. */
function referenceFingerprint(parts: unknown): string {
  const text = JSON.stringify(parts);
  const cyrb53 = (seed: number) => {
    let h1 = 0xdeadbeef ^ seed;
    let h2 = 0x41c6ce57 ^ seed;
    for (let i = 0; i < text.length; i += 1) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  };
  return [cyrb53(0x9e3779b9).toString(36), cyrb53(0x85ebca6b).toString(36)].join('');
}

describe('request fingerprints', () => {
  // Records hold fingerprints for 24 h across deploys: a retry must still match after one.
  it('stay what records written before hold', () => {
    expect(checkoutFingerprint({ button: 'btn_coffee' }, 'https://shop.test')).toBe(
      '2cp6rum28e329u3ajwzueq',
    );
    expect(checkoutFingerprint({ button: 'btn_coffee' }, undefined)).toBe('1rkm7zkid6z1j0pb369ru2');
    expect(
      checkoutFingerprint(
        {
          button: 'btn_donation',
          price: '12.50',
          currency: 'EUR',
          buttonName: 'Don ☕',
          returnUrl: '/thanks?ref={ORDER_REF}',
          cancelUrl: '/cart',
          locale: 'fr-FR',
        },
        'https://shop.test',
      ),
    ).toBe('f8bqj8gik71gxe0nyixzt');
  });

  it('equal the two-pass cyrb53 digest for any input', () => {
    let seed = 1;
    const random = () => {
      seed = Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x6d2b79f5;
      return (seed >>> 0) / 4294967296;
    };
    const inputs: unknown[] = ['', 'x'.repeat(5000), ['é', null, '☕🛒', '\ud800']];
    for (let i = 0; i < 2000; i += 1) {
      const length = Math.floor(random() * 40);
      inputs.push(
        Array.from({ length }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join(''),
      );
    }
    for (const input of inputs) expect(requestFingerprint(input)).toBe(referenceFingerprint(input));
  });

  it('tell apart requests that differ in any field', () => {
    const base = { button: 'btn_donation', price: '1.00' };
    const fingerprints = new Set([
      checkoutFingerprint(base, 'https://shop.test'),
      checkoutFingerprint(base, undefined),
      checkoutFingerprint({ ...base, price: '1.0' }, 'https://shop.test'),
      checkoutFingerprint({ ...base, locale: 'fr' }, 'https://shop.test'),
      checkoutFingerprint({ ...base, returnUrl: '/a' }, 'https://shop.test'),
      checkoutFingerprint({ ...base, cancelUrl: '/a' }, 'https://shop.test'),
    ]);
    expect(fingerprints.size).toBe(6);
  });
});
