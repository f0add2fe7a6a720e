import { describe, expect, it } from 'vitest';
import { isKnownState, paymentStatusOf } from './payment-status.js';

describe('paymentStatusOf', () => {
  it('maps the upstream states, in any case, to the shopper-facing statuses', () => {
    expect(paymentStatusOf('state:pending')).toBe('pending');
    expect(paymentStatusOf('STATE:EXECUTED')).toBe('paid');
    expect(paymentStatusOf('state:expired')).toBe('expired');
    expect(paymentStatusOf('state:canceled')).toBe('canceled');
    expect(paymentStatusOf('state:cancelled')).toBe('canceled');
    expect(paymentStatusOf('state:error')).toBe('error');
  });

  it('reads an unknown or missing state as pending, even one named like a built-in property', () => {
    for (const state of [undefined, 'state:refunded', 'constructor', '__proto__', 'toString']) {
      expect(paymentStatusOf(state)).toBe('pending');
    }
  });
});

describe('isKnownState', () => {
  it('knows only the upstream states', () => {
    expect(isKnownState('State:Executed')).toBe(true);
    for (const state of ['state:refunded', 'constructor', '__proto__', 'toString']) {
      expect(isKnownState(state)).toBe(false);
    }
  });
});
