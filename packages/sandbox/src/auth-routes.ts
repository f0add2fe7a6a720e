import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ok, parseJsonBody } from './envelope.js';
import { SANDBOX_ERROR_CODE, UnauthorizedError } from './errors.js';
import type { FixtureAccount } from './fixtures.js';
import { MANAGER_LOGIN_ROLES, type Role } from './roles.js';
import type { SandboxEnv } from './sandbox-env.js';
import { requiredString } from './schema-helpers.js';
import type { TokenService } from './token-service.js';

const loginBody = z.object({
  email: requiredString(),
  password: requiredString(),
  origin: z
    .enum(['dashboard', 'application'], { error: 'must be "dashboard" or "application"' })
    .optional(),
});

export interface AuthRoutesOptions {
  accounts: readonly FixtureAccount[];
  tokens: TokenService;
  onLogin: (outcome: 'success' | 'failure') => void;
}

/**
 * `POST /login` lets every account in; `POST /login/manager` only Manager and SuperManager
 * accounts. Any refusal is the same 401, so the answer never tells which half was wrong.
 */
export function authRoutes({ accounts, tokens, onLogin }: AuthRoutesOptions) {
  const login = (allowed: readonly Role[] | undefined) => async (c: Context<SandboxEnv>) => {
    const body = await parseJsonBody(c, loginBody);
    const account = accounts.find(
      (candidate) =>
        candidate.email.toLowerCase() === body.email.trim().toLowerCase() &&
        candidate.password === body.password,
    );
    if (account === undefined || (allowed !== undefined && !allowed.includes(account.role))) {
      onLogin('failure');
      throw new UnauthorizedError(SANDBOX_ERROR_CODE.invalidCredentials, 'Invalid credentials');
    }
    const token = await tokens.issue({ userId: account.id, role: account.role });
    onLogin('success');
    return ok(c, { token, user: { id: account.id, role: account.role } });
  };

  return new Hono<SandboxEnv>()
    .post('/login', login(undefined))
    .post('/login/manager', login(MANAGER_LOGIN_ROLES));
}
