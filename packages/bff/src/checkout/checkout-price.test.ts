import { describe, expect, it } from 'vitest';
import type { CatalogButton } from '../config/button-catalog.js';
import { ProblemError } from '../problems/problem-error.js';
import type { ProblemKind } from '../problems/problem-types.js';
import { formatAmount, parseAmount } from './amount.js';
import { resolveCheckoutPrice } from './checkout-price.js';

const coffee: CatalogButton = {
  kind: 'fixed',
  id: 'btn_coffee',
  name: 'Coffee beans',
  currency: 'EUR',
  price: '4.50',
  priceMinor: 450,
  maxQuantity: 5,
};
const donation: CatalogButton = {
  kind: 'open',
  id: 'btn_donation',
  name: 'Donation',
  currency: 'EUR',
  min: '1.00',
  max: '500.00',
  minMinor: 100,
  maxMinor: 50_000,
  maxQuantity: 1,
};

function kindOf(run: () => unknown): ProblemKind | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (err instanceof ProblemError) return err.kind;
    throw err;
  }
}

describe('amounts', () => {
  it.each([
    ['0', 0],
    ['4.5', 450],
    ['4.50', 450],
    ['500', 50_000],
    ['999999999.99', 99_999_999_999],
  ])('parse %s', (text, minor) => {
    expect(parseAmount(text)).toBe(minor);
  });

  it.each([
    '',
    ' 4.50',
    '4.505',
    '-1',
    '+1',
    '1e2',
    '0x10',
    '04.50',
    '4,50',
    '.5',
    '5.',
    'NaN',
    'Infinity',
    '1000000000',
  ])('refuse %j', (text) => {
    expect(parseAmount(text)).toBeUndefined();
  });

  it('format as two decimals', () => {
    expect(formatAmount(450)).toBe('4.50');
    expect(formatAmount(5)).toBe('0.05');
  });
});

describe('resolveCheckoutPrice', () => {
  it('charges a fixed-price button its catalog price, with or without the same price sent', () => {
    expect(resolveCheckoutPrice(coffee, {})).toEqual({
      amount: '4.50',
      currency: 'EUR',
      quantity: 1,
    });
    expect(resolveCheckoutPrice(coffee, { price: '4.5', currency: 'eur' })).toEqual({
      amount: '4.50',
      currency: 'EUR',
      quantity: 1,
    });
  });

  it('charges an open-price button the amount asked, canonical', () => {
    expect(resolveCheckoutPrice(donation, { price: '12.3' })).toEqual({
      amount: '12.30',
      currency: 'EUR',
      quantity: 1,
    });
    expect(resolveCheckoutPrice(donation, { price: '1' }).amount).toBe('1.00');
    expect(resolveCheckoutPrice(donation, { price: '500.00' }).amount).toBe('500.00');
  });

  it.each<
    [string, CatalogButton, { price?: string; currency?: string; quantity?: number }, ProblemKind]
  >([
    ['a cheaper fixed price', coffee, { price: '0.01' }, 'priceMismatch'],
    ['a zero fixed price', coffee, { price: '0' }, 'priceMismatch'],
    ['a garbage fixed price', coffee, { price: 'free' }, 'invalidPrice'],
    ['another currency', coffee, { currency: 'USD' }, 'currencyMismatch'],
    ['no amount for an open price', donation, {}, 'invalidPrice'],
    ['below the minimum', donation, { price: '0.99' }, 'priceOutOfRange'],
    ['above the maximum', donation, { price: '500.01' }, 'priceOutOfRange'],
    ['three decimals', donation, { price: '10.001' }, 'invalidPrice'],
    ['a negative amount', donation, { price: '-5' }, 'invalidPrice'],
    ['an exponent', donation, { price: '1e2' }, 'invalidPrice'],
    ['a huge amount', donation, { price: '99999999999' }, 'invalidPrice'],
    ['spaces around an amount', donation, { price: ' 12.50 ' }, 'invalidPrice'],
    ['a tab after an amount', donation, { price: '12.50\t' }, 'invalidPrice'],
    ['a BOM before an amount', donation, { price: '\uFEFF12.50' }, 'invalidPrice'],
    ['a non-breaking space', donation, { price: '12.50\u00A0' }, 'invalidPrice'],
    ['a newline', donation, { price: '12.50\n' }, 'invalidPrice'],
    ['a quantity of 0', coffee, { quantity: 0 }, 'invalidQuantity'],
    ['a quantity of 1.5', coffee, { quantity: 1.5 }, 'invalidQuantity'],
    ['a quantity over maxQuantity', coffee, { quantity: 6 }, 'invalidQuantity'],
    ['a quantity of 10^9', coffee, { quantity: 1e9 }, 'invalidQuantity'],
    [
      'a quantity on a button sold one at a time',
      donation,
      { price: '5', quantity: 2 },
      'invalidQuantity',
    ],
  ])('refuses %s', (_name, button, requested, kind) => {
    expect(kindOf(() => resolveCheckoutPrice(button, requested))).toBe(kind);
  });

  it('charges the catalog unit price times the quantity, exactly, whatever price is sent', () => {
    expect(resolveCheckoutPrice(coffee, { quantity: 3 })).toEqual({
      amount: '13.50',
      currency: 'EUR',
      quantity: 3,
    });
    expect(resolveCheckoutPrice(coffee, { quantity: 3, price: '4.50' }).amount).toBe('13.50');
    // A tampered total is refused, never charged.
    expect(kindOf(() => resolveCheckoutPrice(coffee, { quantity: 3, price: '0.01' }))).toBe(
      'priceMismatch',
    );
    // 0.10 × 3 is 0.30 in minor units, not 0.30000000000000004.
    const dime = { ...coffee, price: '0.10', priceMinor: 10 };
    expect(resolveCheckoutPrice(dime, { quantity: 3 }).amount).toBe('0.30');
  });
});
