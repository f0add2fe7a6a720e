import { errors, jwtVerify, SignJWT } from 'jose';

export const RECEIPT_ERROR_CODE = {
  invalid: 'ERR_RECEIPT_INVALID',
  expired: 'ERR_RECEIPT_EXPIRED',
} as const;

export type ReceiptErrorCode = (typeof RECEIPT_ERROR_CODE)[keyof typeof RECEIPT_ERROR_CODE];

export class ReceiptError extends Error {
  readonly code: ReceiptErrorCode;
  constructor(code: ReceiptErrorCode, cause?: unknown) {
    super(code === RECEIPT_ERROR_CODE.expired ? 'receipt expired' : 'receipt invalid', { cause });
    this.name = 'ReceiptError';
    this.code = code;
  }
}

export interface ReceiptSignerOptions {
  /** `RECEIPT_SECRET`, shared by every instance of one merchant. */
  secret: string;
  ttlSeconds: number;
  now: () => number;
}

/**
 * Receipts: HS256 JWTs with only `{ sub: orderRef, exp }` and the header `{ alg }`, about 140
 * characters, so a receipt fits a 256-character return URL next to the shop's own path. They are
 * bound to the orderRef rather than the session id because the receipt goes into the return URL
 * sent with the create call, before the upstream has named the session.
 */
export class ReceiptSigner {
  readonly #key: Promise<CryptoKey>;
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  constructor({ secret, ttlSeconds, now }: ReceiptSignerOptions) {
    // Imported once: per-receipt key imports would cost every checkout a Web Crypto round trip.
    this.#key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    this.#ttlSeconds = ttlSeconds;
    this.#now = now;
  }

  async sign(orderRef: string): Promise<string> {
    const exp = Math.floor(this.#now() / 1000) + this.#ttlSeconds;
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(orderRef)
      .setExpirationTime(exp)
      .sign(await this.#key);
  }

  /** The orderRef the receipt was issued for; throws `ReceiptError` when forged or expired. */
  async verify(receipt: string): Promise<{ orderRef: string }> {
    try {
      const { payload } = await jwtVerify(receipt, await this.#key, {
        algorithms: ['HS256'],
        currentDate: new Date(this.#now()),
        requiredClaims: ['sub', 'exp'],
      });
      if (typeof payload.sub !== 'string') throw new ReceiptError(RECEIPT_ERROR_CODE.invalid);
      return { orderRef: payload.sub };
    } catch (err) {
      if (err instanceof ReceiptError) throw err;
      if (err instanceof errors.JWTExpired) throw new ReceiptError(RECEIPT_ERROR_CODE.expired, err);
      throw new ReceiptError(RECEIPT_ERROR_CODE.invalid, err);
    }
  }
}
