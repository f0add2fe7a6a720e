import { describe, expect, it } from 'vitest';
import { sessionSchema } from './upstream-schemas.js';

describe('the session the upstream answers', () => {
  const base = { orderRef: 'test-1', conversionCode: 'CODE1' };

  it.each([
    ['an id', { ...base, id: 'sess_1' }, 'sess_1'],
    ['a MongoDB _id', { ...base, _id: 'sess_2' }, 'sess_2'],
    ['a numeric id', { ...base, id: 42 }, '42'],
  ])('is read with %s', (_name, raw, id) => {
    expect(sessionSchema.parse(raw).id).toBe(id);
  });

  it('reads its expiry as epoch ms, from ISO 8601 or a number, and tolerates none', () => {
    const at = '2026-11-28T10:00:00.000Z';
    expect(sessionSchema.parse({ ...base, id: 's', expiresAt: at }).expiresAt).toBe(Date.parse(at));
    expect(sessionSchema.parse({ ...base, id: 's', expiresAt: 1_800_000_000_000 }).expiresAt).toBe(
      1_800_000_000_000,
    );
    expect(sessionSchema.parse({ ...base, id: 's', expiresAt: 'soon' }).expiresAt).toBeUndefined();
    expect(sessionSchema.parse({ ...base, id: 's' }).expiresAt).toBeUndefined();
  });

  it.each([
    ['no id', base],
    ['an empty orderRef', { ...base, id: 's', orderRef: '' }],
    ['a numeric code', { ...base, id: 's', conversionCode: 3 }],
  ])('is refused with %s', (_name, raw) => {
    expect(sessionSchema.safeParse(raw).success).toBe(false);
  });
});
