import { describe, expect, it } from 'vitest';
import { ProblemError } from '../problems/problem-error.js';
import { fillRedirectUrl, RedirectPolicy } from './redirect-policy.js';

const policy = new RedirectPolicy({
  allowedOrigins: ['https://shop.test', 'http://localhost:5173'],
});
const ORIGIN = 'https://shop.test';

function refused(run: () => unknown): boolean {
  try {
    run();
    return false;
  } catch (err) {
    if (err instanceof ProblemError && err.kind === 'invalidRedirectUrl') return true;
    throw err;
  }
}

describe('RedirectPolicy', () => {
  it('resolves relative paths against the checked request origin', () => {
    expect(policy.resolve('returnUrl', '/return?order={ORDER_REF}', ORIGIN)).toBe(
      'https://shop.test/return?order={ORDER_REF}',
    );
  });

  it('accepts absolute URLs on an allowed origin', () => {
    expect(policy.resolve('cancelUrl', 'http://localhost:5173/cancel', undefined)).toBe(
      'http://localhost:5173/cancel',
    );
  });

  it.each([
    ['another site', 'https://evil.test/return'],
    ['a look-alike host', 'https://shop.test.evil.test/return'],
    ['another port', 'https://shop.test:8443/return'],
    ['another scheme', 'http://shop.test/return'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['scheme-relative', '//evil.test/return'],
    ['backslash trick', '/\\evil.test/return'],
    ['credentials', 'https://user:pass@shop.test/return'],
    ['garbage', 'http://'],
    ['a huge URL', `https://shop.test/${'a'.repeat(3000)}`],
  ])('refuses %s', (_name, url) => {
    expect(refused(() => policy.resolve('returnUrl', url, ORIGIN))).toBe(true);
  });

  it('refuses a relative URL when the request has no origin', () => {
    expect(refused(() => policy.resolve('returnUrl', '/return', undefined))).toBe(true);
  });
});

describe('fillRedirectUrl', () => {
  const values = { orderRef: 'shop-01ABC', receipt: 'aaa.bbb.ccc' };

  it('fills raw and percent-encoded placeholders', () => {
    expect(
      fillRedirectUrl('returnUrl', 'https://shop.test/r?o={ORDER_REF}&r={RECEIPT}', values),
    ).toBe('https://shop.test/r?o=shop-01ABC&r=aaa.bbb.ccc');
    const template = policy.resolve('returnUrl', '/orders/{ORDER_REF}/done', ORIGIN);
    expect(template).toContain('%7BORDER_REF%7D');
    expect(fillRedirectUrl('returnUrl', template, values)).toBe(
      'https://shop.test/orders/shop-01ABC/done',
    );
  });

  it('enforces 256 characters after filling, not before', () => {
    const template = `https://shop.test/${'a'.repeat(200)}?r={RECEIPT}`;
    expect(template.length).toBeLessThanOrEqual(256);
    expect(
      refused(() => fillRedirectUrl('returnUrl', template, { ...values, receipt: 'x'.repeat(60) })),
    ).toBe(true);
    expect(
      fillRedirectUrl('returnUrl', `https://shop.test/${'a'.repeat(200)}`, values),
    ).toHaveLength(218);
  });
});
