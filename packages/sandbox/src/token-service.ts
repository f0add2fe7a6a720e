import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { SANDBOX_ERROR_CODE, UnauthorizedError } from './errors.js';
import { isRole, type Role } from './roles.js';

/** The identity a verified token carries. */
export interface TokenUser {
  userId: string;
  role: Role;
}

export interface TokenService {
  /** An HS256 JWT with claims `{ userId, role, iat, exp }`. */
  issue(user: TokenUser): Promise<string>;
  /** Verifies signature and `exp` on the injected clock; throws `UnauthorizedError` otherwise. */
  verify(token: string): Promise<TokenUser>;
}

export interface TokenServiceOptions {
  secret: Uint8Array;
  ttlSeconds: number;
  now: () => number;
}

export function createTokenService({ secret, ttlSeconds, now }: TokenServiceOptions): TokenService {
  // Imported once: given raw bytes, jose would import them again for every token.
  const key = crypto.subtle.importKey(
    'raw',
    new Uint8Array(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  return {
    async issue({ userId, role }) {
      const iat = Math.floor(now() / 1000);
      return new SignJWT({ userId, role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .sign(await key);
    },

    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, await key, {
          algorithms: ['HS256'],
          currentDate: new Date(now()),
          requiredClaims: ['exp', 'iat'],
        });
        const { userId, role } = payload;
        if (typeof userId !== 'string' || !isRole(role)) {
          throw new UnauthorizedError(SANDBOX_ERROR_CODE.tokenInvalid, 'Invalid token');
        }
        return { userId, role };
      } catch (err) {
        if (err instanceof UnauthorizedError) throw err;
        if (err instanceof joseErrors.JWTExpired) {
          throw new UnauthorizedError(SANDBOX_ERROR_CODE.tokenExpired, 'Token expired', err);
        }
        throw new UnauthorizedError(SANDBOX_ERROR_CODE.tokenInvalid, 'Invalid token', err);
      }
    },
  };
}
