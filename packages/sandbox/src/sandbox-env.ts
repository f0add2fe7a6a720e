import type { TokenUser } from './token-service.js';

/** Hono environment of the sandbox's API routes: `requireRole` sets `user`. */
export interface SandboxEnv {
  Variables: { user: TokenUser };
}
