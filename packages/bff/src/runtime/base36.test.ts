import { describe, expect, it } from 'vitest';
import { base36 } from './base36.js';

describe('base36', () => {
  it('writes the same digits as toString(36), around the split and up to 2^53', () => {
    const values = [0, 1, 35, 36, 36 ** 5 - 1, 36 ** 5, 36 ** 5 + 1, 2 ** 31, Date.now()];
    values.push(Number.MAX_SAFE_INTEGER, 36 ** 10, 36 ** 10 - 1);
    for (let i = 0; i < 2000; i += 1) values.push(Math.floor(Math.random() * 2 ** 53));
    for (const n of values) expect(base36(n), String(n)).toBe(n.toString(36));
  });
});
