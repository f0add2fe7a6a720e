import { describe, expect, it } from 'vitest';
import { FIXTURE_ACCOUNTS, FIXTURES, formatFixtures } from './fixtures.js';

describe('FIXTURES', () => {
  it('holds the accounts and buttons the contract promises', () => {
    expect(FIXTURES.accounts.service).toMatchObject({
      email: 'service@sandbox.test',
      password: 'sandbox-service',
      role: 'Service',
    });
    expect(FIXTURES.accounts.manager).toMatchObject({
      email: 'manager@sandbox.test',
      password: 'sandbox-manager',
      role: 'Manager',
    });
    expect(FIXTURES.buttons.btn_coffee).toEqual({
      id: 'btn_coffee',
      name: 'Coffee beans',
      currency: 'EUR',
      price: '4.50',
    });
    expect(FIXTURES.buttons.btn_donation).toEqual({
      id: 'btn_donation',
      name: 'Donation',
      currency: 'EUR',
      min: '1.00',
      max: '500.00',
    });
  });

  it('gives every account a distinct ObjectId-shaped id', () => {
    const ids = FIXTURE_ACCOUNTS.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('prints one line per account and button for the start-up banner', () => {
    const table = formatFixtures();
    expect(table).toMatch(/Service account\s+service@sandbox\.test \/ sandbox-service/);
    expect(table).toMatch(/fixed-price button\s+btn_coffee\s+"Coffee beans", 4\.50 EUR/);
    expect(table).toMatch(
      /open-price button\s+btn_donation\s+"Donation", any amount 1\.00 \.\. 500\.00 EUR/,
    );
  });
});
