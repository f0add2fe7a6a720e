import { describe, expect, it } from 'vitest';
import { formatMinorUnits, toMinorUnits } from './money.js';

describe('money', () => {
  it.each([
    ['4.50', 450],
    ['4.5', 450],
    [4.5, 450],
    [' 12 ', 1200],
    [0.1, 10],
    ['500.00', 50_000],
  ] as const)('reads %j as %i minor units', (input, minor) => {
    expect(toMinorUnits(input)).toBe(minor);
  });

  it.each(['4,50', '1.005', '-1', '', 'abc', '1e3', Number.NaN, Number.POSITIVE_INFINITY, -2])(
    'refuses %j',
    (input) => {
      expect(toMinorUnits(input)).toBeUndefined();
    },
  );

  it.each([
    [450, '4.50'],
    [5, '0.05'],
    [50_000, '500.00'],
  ])('formats %i as %s', (minor, text) => {
    expect(formatMinorUnits(minor)).toBe(text);
  });
});
