import { describe, expect, it } from 'vitest';
import { createOrderRefGenerator, orderRefMatcher } from './order-ref.js';

describe('order references', () => {
  it('are the prefix plus 26 Crockford base32 characters, within 6..100', () => {
    const next = createOrderRefGenerator({ prefix: 'shop-', now: () => Date.UTC(2026, 10, 23) });
    const ref = next();
    expect(ref).toMatch(/^shop-[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ref.length).toBeGreaterThanOrEqual(6);
    expect(
      createOrderRefGenerator({ prefix: 'x'.repeat(40), now: Date.now })().length,
    ).toBeLessThanOrEqual(100);
  });

  it('sort by creation time', () => {
    let now = Date.UTC(2026, 0, 1);
    const next = createOrderRefGenerator({ prefix: '', now: () => now });
    const refs = Array.from({ length: 50 }, () => {
      now += 1;
      return next();
    });
    expect([...refs].sort()).toEqual(refs);
  });

  it('do not repeat, even in the same millisecond', () => {
    const next = createOrderRefGenerator({ prefix: 'p-', now: () => 0 });
    const refs = new Set(Array.from({ length: 10_000 }, next));
    expect(refs.size).toBe(10_000);
  });

  it('encode the injected randomness exactly', () => {
    const next = createOrderRefGenerator({
      prefix: '',
      now: () => 0,
      randomBytes: (bytes) => bytes.fill(0xff),
    });
    expect(next()).toBe(`0000000000${'Z'.repeat(16)}`);
  });

  it('encode the clock and the injected randomness as they always have', () => {
    let round = 0;
    const next = createOrderRefGenerator({
      prefix: 'shop-',
      now: () => Date.UTC(2026, 10, 23, 12, 34, 56, 789) + round,
      randomBytes: (bytes) => {
        round += 1;
        for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 37 + round * 101) & 0xff;
        return bytes;
      },
    });
    expect([next(), next(), next()]).toEqual([
      'shop-01M846DZ4NCP5AZN7S3S1PH3DJ',
      'shop-01M846DZ4PSBQH8EAYGEMCVWGQ',
      'shop-01M846DZ4Q5XA7K7P3X06K4NVW',
    ]);
  });

  it('are told apart from session ids and foreign refs', () => {
    const isOurs = orderRefMatcher('shop-');
    const next = createOrderRefGenerator({ prefix: 'shop-', now: Date.now });
    expect(isOurs(next())).toBe(true);
    expect(isOurs('6650a1f0c0ffee0000000001')).toBe(false);
    expect(isOurs(`other-${next().slice(5)}`)).toBe(false);
  });
});
