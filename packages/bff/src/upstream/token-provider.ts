import { decodeJwt } from 'jose';
import type { UpstreamCredential } from '../config/load-config.js';
import type { HttpTransport } from '../runtime/http-transport.js';
import { describeError, type Logger } from '../runtime/logger.js';
import type { Sleep } from '../runtime/timing.js';
import type { SharedStore } from '../store/shared-store.js';
import { UPSTREAM_ERROR_CODE, UpstreamError } from './upstream-error.js';
import { exchange } from './upstream-exchange.js';
import { loginDataSchema } from './upstream-schemas.js';

/** Gives the upstream Bearer token. It never leaves the BFF and is never logged. */
export interface TokenProvider {
  /** A token valid now; logs in when needed, one login at a time however many callers wait. */
  getToken(): Promise<string>;
  /** The upstream refused `token` (401): forget it, so the next `getToken` logs in afresh. */
  invalidate(token: string): Promise<void>;
  /** Whether `invalidate` can lead to a different token (false for a static token). */
  readonly renewable: boolean;
}

/** Keys in the SharedStore, so several instances share one token and one login at a time. */
export const TOKEN_STORE_KEY = 'token:upstream';
export const TOKEN_LOCK_KEY = 'lock:token:upstream';

export interface TokenProviderOptions {
  credential: UpstreamCredential;
  /** API base, e.g. `https://api.lyzi.fr/api`. */
  apiUrl: string;
  transport: HttpTransport;
  store: SharedStore;
  now: () => number;
  sleep: Sleep;
  timeoutMs: number;
  log: Logger;
  /** Tracks the refresh started ahead of expiry, which no request waits for. */
  background: (task: Promise<unknown>) => void;
}

interface CachedToken {
  token: string;
  /** From here on a new token is fetched in the background while this one is still used. */
  refreshAt: number;
  expiresAt: number;
}

/** Used when a token carries no `exp`: assume a short life rather than forever. */
const DEFAULT_LIFETIME_MS = 5 * 60_000;
const MAX_REFRESH_MARGIN_MS = 60_000;

/**
 * A static token as it is, or logins with email + password: the JWT is cached (and shared through
 * the store) until shortly before its `exp`, then renewed by one login at a time across instances.
 */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { credential, apiUrl, transport, store, now, sleep, timeoutMs, log } = options;
  if (credential.kind === 'token') {
    const token = credential.token;
    return { getToken: async () => token, invalidate: async () => {}, renewable: false };
  }
  // Only what the gateway's login takes: the credential's `kind` is ours.
  const { email, password } = credential;
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;

  const keep = (token: CachedToken): string => {
    cached = token;
    return token.token;
  };

  /** The shared token, kept and returned while it needs no refresh yet. */
  const freshShared = async (): Promise<string | undefined> => {
    const shared = sharedToken(await store.get(TOKEN_STORE_KEY));
    const found = shared === undefined ? undefined : lifetimeOf(shared, now());
    return found !== undefined && now() < found.refreshAt ? keep(found) : undefined;
  };

  const login = async (): Promise<string> => {
    const call = 'POST /auth/login';
    const request = {
      method: 'POST',
      url: `${apiUrl}/auth/login`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ email, password, origin: 'application' }),
      timeoutMs,
    };
    const data = await exchange(transport, call, request, loginDataSchema, (status) =>
      status === 401 || status === 403 ? UPSTREAM_ERROR_CODE.login : UPSTREAM_ERROR_CODE.status,
    );
    if (data.token === null) {
      throw new UpstreamError(UPSTREAM_ERROR_CODE.login, call, {
        upstreamMessage: 'the account has two-factor login on; use a service account without it',
      });
    }
    log({ level: 'info', msg: 'logged in upstream' });
    const token = lifetimeOf(data.token, now());
    const ttl = token.expiresAt - now();
    if (ttl > 0) await store.set(TOKEN_STORE_KEY, JSON.stringify({ token: token.token }), ttl);
    return keep(token);
  };

  const obtain = async (): Promise<string> => {
    const shared = await freshShared();
    if (shared !== undefined) return shared;

    const lockId = crypto.randomUUID();
    if (await store.setIfAbsent(TOKEN_LOCK_KEY, lockId, timeoutMs + 1000)) {
      try {
        // Another instance may have logged in and released the lock since our first look.
        return (await freshShared()) ?? (await login());
      } finally {
        if ((await store.get(TOKEN_LOCK_KEY)) === lockId) await store.delete(TOKEN_LOCK_KEY);
      }
    }
    // Another instance is logging in: take its token when it lands, for about one timeout.
    for (
      let waited = 0, step = 50;
      waited < timeoutMs;
      waited += step, step = Math.min(step * 2, 1000)
    ) {
      await sleep(step);
      const landed = await freshShared();
      if (landed !== undefined) return landed;
    }
    return login();
  };

  /** Single flight: every caller arriving during a refresh shares its outcome. */
  const refresh = (): Promise<string> => {
    inFlight ??= obtain().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    renewable: true,
    async getToken() {
      const at = now();
      if (cached !== undefined && at < cached.refreshAt) return cached.token;
      if (cached !== undefined && at < cached.expiresAt) {
        options.background(
          refresh().catch((err: unknown) =>
            log({
              level: 'warn',
              msg: 'upstream token refresh failed; the current token is used until it expires',
              error: describeError(err),
            }),
          ),
        );
        return cached.token;
      }
      return refresh();
    },
    async invalidate(token) {
      if (cached?.token === token) cached = undefined;
      if (sharedToken(await store.get(TOKEN_STORE_KEY)) === token) {
        await store.delete(TOKEN_STORE_KEY);
      }
    },
  };
}

/**
 * When to refresh `token` and when it expires: shortly before its `exp` (60 s or 10 % of its
 * life, whichever is shorter), so the refresh runs in the background while the old token is
 * still valid and no checkout waits for a login except the very first.
 */
function lifetimeOf(token: string, now: number): CachedToken {
  let expiresAt = now + DEFAULT_LIFETIME_MS;
  let issuedAt = now;
  try {
    const claims = decodeJwt(token);
    if (typeof claims.exp === 'number') expiresAt = claims.exp * 1000;
    if (typeof claims.iat === 'number') issuedAt = claims.iat * 1000;
  } catch {
    // Not a JWT we can read: keep the short default life.
  }
  const margin = Math.min(MAX_REFRESH_MARGIN_MS, Math.max(0, (expiresAt - issuedAt) / 10));
  return { token, expiresAt, refreshAt: expiresAt - margin };
}

function sharedToken(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const { token } = JSON.parse(raw) as { token?: unknown };
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}
