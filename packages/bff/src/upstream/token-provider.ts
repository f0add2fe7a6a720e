import { decodeJwt } from 'jose';
import type { UpstreamCredential } from '../config/load-config.js';
import type { HttpTransport } from '../runtime/http-transport.js';
import { describeError, type Logger } from '../runtime/logger.js';
import type { Sleep } from '../runtime/timing.js';
import type { SharedStore } from '../store/shared-store.js';
import { UPSTREAM_ERROR_CODE, UpstreamError } from './upstream-error.js';
import { exchange, failureError, succeeded } from './upstream-exchange.js';
import { envelopeSchema, loginDataSchema } from './upstream-schemas.js';

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

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { credential } = options;
  if (credential.kind === 'token') {
    const token = credential.token;
    return { getToken: async () => token, invalidate: async () => {}, renewable: false };
  }
  // Only what the gateway's login takes: the credential's `kind` is ours.
  return new LoginTokenProvider(options, {
    email: credential.email,
    password: credential.password,
  });
}

/**
 * Logs in with email + password, caches the JWT until shortly before its `exp` (60 s or 10 % of
 * its life, whichever is shorter), and refreshes it in the background while the old one is still
 * valid, so no checkout waits for a login except the very first.
 */
class LoginTokenProvider implements TokenProvider {
  readonly renewable = true;
  readonly #options: TokenProviderOptions;
  readonly #login: { email: string; password: string };
  #cached: CachedToken | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(options: TokenProviderOptions, login: { email: string; password: string }) {
    this.#options = options;
    this.#login = login;
  }

  async getToken(): Promise<string> {
    const now = this.#options.now();
    const cached = this.#cached;
    if (cached !== undefined && now < cached.refreshAt) return cached.token;
    if (cached !== undefined && now < cached.expiresAt) {
      const refresh = this.#refresh();
      this.#options.background(
        refresh.catch((err: unknown) =>
          this.#options.log({
            level: 'warn',
            msg: 'upstream token refresh failed; the current token is used until it expires',
            error: describeError(err),
          }),
        ),
      );
      return cached.token;
    }
    return this.#refresh();
  }

  async invalidate(token: string): Promise<void> {
    if (this.#cached?.token === token) this.#cached = undefined;
    const shared = sharedToken(await this.#options.store.get(TOKEN_STORE_KEY));
    if (shared === token) await this.#options.store.delete(TOKEN_STORE_KEY);
  }

  /** Single flight: every caller arriving during a refresh shares its outcome. */
  #refresh(): Promise<string> {
    this.#inFlight ??= this.#obtain().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #obtain(): Promise<string> {
    const { store, sleep, timeoutMs } = this.#options;
    const shared = await this.#freshShared();
    if (shared !== undefined) return shared;

    const lockId = crypto.randomUUID();
    if (await store.setIfAbsent(TOKEN_LOCK_KEY, lockId, timeoutMs + 1000)) {
      try {
        // Another instance may have logged in and released the lock since our first look.
        return (await this.#freshShared()) ?? (await this.#loginAndShare());
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
      const landed = await this.#freshShared();
      if (landed !== undefined) return landed;
    }
    return this.#loginAndShare();
  }

  async #loginAndShare(): Promise<string> {
    const token = await this.#loginOnce();
    const cached = this.#describe(token);
    const ttl = cached.expiresAt - this.#options.now();
    if (ttl > 0) {
      await this.#options.store.set(TOKEN_STORE_KEY, JSON.stringify({ token }), ttl);
    }
    return this.#keep(cached);
  }

  async #loginOnce(): Promise<string> {
    const { apiUrl, transport, timeoutMs, log } = this.#options;
    const call = 'POST /auth/login';
    const answer = await exchange(
      transport,
      {
        method: 'POST',
        url: `${apiUrl}/auth/login`,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ...this.#login, origin: 'application' }),
        timeoutMs,
      },
      call,
    );
    if (!succeeded(answer)) {
      const refused = answer.status === 401 || answer.status === 403;
      throw failureError(
        refused ? UPSTREAM_ERROR_CODE.login : UPSTREAM_ERROR_CODE.status,
        call,
        answer,
      );
    }
    const data = loginDataSchema.safeParse(envelopeSchema.safeParse(answer.json).data?.data);
    if (!data.success) throw new UpstreamError(UPSTREAM_ERROR_CODE.invalidResponse, call);
    if (data.data.token === null) {
      throw new UpstreamError(UPSTREAM_ERROR_CODE.login, call, {
        upstreamMessage: 'the account has two-factor login on; use a service account without it',
      });
    }
    log({ level: 'info', msg: 'logged in upstream' });
    return data.data.token;
  }

  /** The shared token, kept and returned while it needs no refresh yet. */
  async #freshShared(): Promise<string | undefined> {
    const shared = sharedToken(await this.#options.store.get(TOKEN_STORE_KEY));
    if (shared === undefined) return undefined;
    const cached = this.#describe(shared);
    return this.#options.now() < cached.refreshAt ? this.#keep(cached) : undefined;
  }

  #describe(token: string): CachedToken {
    const now = this.#options.now();
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

  #keep(cached: CachedToken): string {
    this.#cached = cached;
    return cached.token;
  }
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
