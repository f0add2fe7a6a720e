import { ROLE, type Role } from './roles.js';

/** A login the sandbox knows, like a payment provider's test account. */
export interface FixtureAccount {
  /** 24-hex id, shaped like the real API's MongoDB ObjectIds. */
  id: string;
  email: string;
  password: string;
  role: Role;
  /** What the account is for, printed in the start-up table. */
  note: string;
}

/** A buy button: either a fixed `price` or an open range `min`..`max` (decimal strings). */
export type FixtureButton =
  | { id: string; name: string; currency: string; price: string }
  | { id: string; name: string; currency: string; min: string; max: string };

/**
 * The sandbox's test accounts and buttons, like a payment provider's test cards: keyed by name so
 * scripts read `FIXTURES.accounts.service.email` or `FIXTURES.buttons.btn_coffee.price`.
 */
export const FIXTURES = {
  accounts: {
    service: {
      id: '6650a1f0c0ffee0000000001',
      email: 'service@sandbox.test',
      password: 'sandbox-service',
      role: ROLE.service,
      note: 'what the BFF uses: creates, reads and deletes sessions',
    },
    manager: {
      id: '6650a1f0c0ffee0000000002',
      email: 'manager@sandbox.test',
      password: 'sandbox-manager',
      role: ROLE.manager,
      note: 'merchant back office: read-only on sessions (403 on create/delete)',
    },
    superManager: {
      id: '6650a1f0c0ffee0000000003',
      email: 'supermanager@sandbox.test',
      password: 'sandbox-supermanager',
      role: ROLE.superManager,
      note: 'supervises managers: read-only on sessions',
    },
    superAdmin: {
      id: '6650a1f0c0ffee0000000004',
      email: 'admin@sandbox.test',
      password: 'sandbox-admin',
      role: ROLE.superAdmin,
      note: 'every sessions call allowed',
    },
    simpleUser: {
      id: '6650a1f0c0ffee0000000005',
      email: 'user@sandbox.test',
      password: 'sandbox-user',
      role: ROLE.simpleUser,
      note: 'every sessions call allowed',
    },
    cashier: {
      id: '6650a1f0c0ffee0000000006',
      email: 'cashier@sandbox.test',
      password: 'sandbox-cashier',
      role: ROLE.cashier,
      note: 'not listed by the API: 403 on every sessions and status call',
    },
    association: {
      id: '6650a1f0c0ffee0000000007',
      email: 'association@sandbox.test',
      password: 'sandbox-association',
      role: ROLE.association,
      note: 'not listed by the API: 403 on every sessions and status call',
    },
  },
  buttons: {
    btn_coffee: { id: 'btn_coffee', name: 'Coffee beans', currency: 'EUR', price: '4.50' },
    btn_donation: {
      id: 'btn_donation',
      name: 'Donation',
      currency: 'EUR',
      min: '1.00',
      max: '500.00',
    },
    btn_chocolate: {
      id: 'btn_chocolate',
      name: 'Swiss chocolate',
      currency: 'CHF',
      price: '12.00',
    },
  },
} as const satisfies {
  accounts: Record<string, FixtureAccount>;
  buttons: Record<string, FixtureButton>;
};

/** Every fixture account, as `createSandbox` takes them by default. */
export const FIXTURE_ACCOUNTS: readonly FixtureAccount[] = Object.values(FIXTURES.accounts);

/** Every fixture button, as `createSandbox` takes them by default. */
export const FIXTURE_BUTTONS: readonly FixtureButton[] = Object.values(FIXTURES.buttons);

/** The start-up table: one line per fixture, as `main.ts` prints it. */
export function formatFixtures(): string {
  const rows: string[][] = [
    ['kind', 'id / login', 'details'],
    ...FIXTURE_ACCOUNTS.map((a) => [`${a.role} account`, `${a.email} / ${a.password}`, a.note]),
    ...FIXTURE_BUTTONS.map((b) => [
      'price' in b ? 'fixed-price button' : 'open-price button',
      b.id,
      'price' in b
        ? `"${b.name}", ${b.price} ${b.currency}`
        : `"${b.name}", any amount ${b.min} .. ${b.max} ${b.currency}`,
    ]),
  ];
  const widths = [0, 1].map((col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
