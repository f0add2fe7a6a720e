import { describe, expect, it } from 'vitest';
import { envelopeSchema, quickEnvelope, quickSession, sessionSchema } from './upstream-schemas.js';

const base = { _id: 'sess_1', orderRef: 'test-1', conversionCode: 'CODE1' };
const variants: unknown[] = [
  base,
  { ...base, _id: undefined, id: 'sess_2' },
  { ...base, id: 42 },
  { ...base, id: '' },
  { ...base, id: null },
  { ...base, _id: 7.5 },
  { ...base, _id: '' },
  { orderRef: 'test-1', conversionCode: 'CODE1' },
  { ...base, orderRef: '' },
  { ...base, conversionCode: 3 },
  { ...base, price: '4.5' },
  { ...base, price: ' 4.50 ' },
  { ...base, price: 4.5 },
  { ...base, price: 'abc' },
  { ...base, price: null },
  { ...base, price: Number.POSITIVE_INFINITY },
  { ...base, currency: 'EUR', state: 'state:pending', extra: { nested: true } },
  { ...base, currency: 5 },
  { ...base, state: '' },
  [],
  null,
  'text',
];

describe('quickSession', () => {
  it('reads what sessionSchema reads, the same way, and leaves the rest to it', () => {
    for (const value of variants) {
      const quick = quickSession(value);
      const parsed = sessionSchema.safeParse(value);
      if (quick !== undefined) expect(quick).toStrictEqual(parsed.data);
      // The usual answers must not need zod.
      if (value === base) expect(quick).toBeDefined();
      if (!parsed.success) expect(quick).toBeUndefined();
    }
  });
});

describe('quickEnvelope', () => {
  it('accepts only what envelopeSchema accepts', () => {
    const envelopes: unknown[] = [
      { success: true, data: base },
      { success: 'yes', data: base },
      { status: 201, data: base },
      { status: '201', data: base },
      { data: base, more: 1 },
      [],
      null,
    ];
    for (const value of envelopes) {
      const quick = quickEnvelope(value);
      const parsed = envelopeSchema.safeParse(value);
      if (quick !== undefined) expect(parsed.success).toBe(true);
      if (!parsed.success) expect(quick).toBeUndefined();
      if (quick !== undefined) expect(quick.data).toStrictEqual(parsed.data?.data);
    }
  });
});
