/** The roles of the real API's accounts. */
export const ROLE = {
  superAdmin: 'SuperAdmin',
  manager: 'Manager',
  superManager: 'SuperManager',
  simpleUser: 'SimpleUser',
  service: 'Service',
  cashier: 'Cashier',
  association: 'Association',
} as const;

export type Role = (typeof ROLE)[keyof typeof ROLE];

export const ALL_ROLES: readonly Role[] = Object.values(ROLE);

/**
 * Who may call what. The session rows are the seed's role lists verbatim; the status rows are the
 * sandbox's choice (the docs do not list them): every role that may read a session may read its
 * order's status.
 */
export const ACCESS = {
  createSession: [ROLE.superAdmin, ROLE.simpleUser, ROLE.service],
  readSession: [ROLE.superAdmin, ROLE.manager, ROLE.simpleUser, ROLE.superManager, ROLE.service],
  deleteSession: [ROLE.superAdmin, ROLE.simpleUser, ROLE.service],
  readOrderStatus: [
    ROLE.superAdmin,
    ROLE.manager,
    ROLE.simpleUser,
    ROLE.superManager,
    ROLE.service,
  ],
} as const satisfies Record<string, readonly Role[]>;

/** Roles that `POST /auth/login/manager` lets in; `POST /auth/login` lets every account in. */
export const MANAGER_LOGIN_ROLES: readonly Role[] = [ROLE.manager, ROLE.superManager];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}
