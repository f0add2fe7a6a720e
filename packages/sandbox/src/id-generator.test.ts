import { describe, expect, it } from 'vitest';
import { createIdGenerator } from './id-generator.js';

describe('createIdGenerator', () => {
  it('makes ObjectId-shaped ids starting with the clock in seconds', () => {
    const ids = createIdGenerator(() => 0x6650a1f0 * 1000, Math.random);
    expect(ids.objectId()).toMatch(/^6650a1f0[0-9a-f]{16}$/);
  });

  it('stays unique when the injected random is constant', () => {
    const ids = createIdGenerator(
      () => 0,
      () => 0,
    );
    const made = Array.from({ length: 1000 }, () => [ids.objectId(), ids.conversionCode()]).flat();
    expect(new Set(made).size).toBe(made.length);
  });

  it('makes 12-character upper-case codes', () => {
    const ids = createIdGenerator(Date.now, () => 0.999999);
    expect(ids.conversionCode()).toMatch(/^[A-Z0-9]{12}$/);
  });
});
