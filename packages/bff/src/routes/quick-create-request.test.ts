import { describe, expect, it } from 'vitest';
import { createSessionBody } from './api-schemas.js';
import { quickCreateRequest } from './create-session-handler.js';

const long = (n: number) => 'x'.repeat(n);

describe('quickCreateRequest', () => {
  it('reads what createSessionBody reads, the same way, and leaves the rest to it', () => {
    const bodies: unknown[] = [
      { button: 'btn_coffee' },
      { button: 'btn_coffee', extra: 1, nested: { a: 1 } },
      { button: '' },
      { button: long(64) },
      { button: long(65) },
      { button: 5 },
      { price: '4.50' },
      {
        button: 'btn_donation',
        price: '12.00',
        currency: 'EUR',
        buttonName: 'Gift',
        returnUrl: '/return?order={ORDER_REF}',
        cancelUrl: 'https://shop.test/cancel',
        locale: 'fr-FR',
      },
      { button: 'b', price: null },
      { button: 'b', currency: long(9) },
      { button: 'b', locale: long(35) },
      { button: 'b', returnUrl: long(2049) },
      { button: 'b', price: undefined },
      [],
      null,
      'btn_coffee',
    ];
    for (const body of bodies) {
      const quick = quickCreateRequest(body);
      const parsed = createSessionBody.safeParse(body);
      if (quick !== undefined) expect(quick).toStrictEqual(parsed.data);
      if (!parsed.success) expect(quick).toBeUndefined();
    }
    expect(quickCreateRequest({ button: 'btn_coffee' })).toStrictEqual({ button: 'btn_coffee' });
  });
});
