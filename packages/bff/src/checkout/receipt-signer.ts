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
  /** `RECEIPT_SECRET`, shared by every instance of one merchant: signs and verifies. */
  secret: string;
  /**
   * `RECEIPT_PREVIOUS_SECRET`, the secret being rotated out: receipts it signed are still
   * accepted until they expire; nothing new is signed with it.
   */
  previousSecret?: string | undefined;
  ttlSeconds: number;
  now: () => number;
}

/**
 * Receipts: HS256 JWTs with only `{ sub: orderRef, exp }` and the header `{ alg }`, about 140
 * characters, so a receipt fits a 256-character return URL next to the shop's own path. They are
 * bound to the orderRef rather than the session id because the receipt goes into the return URL
 * sent with the create call, before the upstream has named the session. Signed and verified with
 * jose; verification checks the algorithm, the signature and `exp` on the injected clock.
 */
export class ReceiptSigner {
  /** The current secret first, then the previous one. */
  readonly #keys: readonly [Promise<CryptoKey>, ...Promise<CryptoKey>[]];
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  constructor({ secret, previousSecret, ttlSeconds, now }: ReceiptSignerOptions) {
    // Imported once: given raw bytes, jose would import them again for every receipt.
    const key = (text: string) =>
      crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(text),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign', 'verify'],
      );
    this.#keys =
      previousSecret === undefined || previousSecret === secret
        ? [key(secret)]
        : [key(secret), key(previousSecret)];
    this.#ttlSeconds = ttlSeconds;
    this.#now = now;
  }

  /** Signs a receipt for `orderRef`, valid `ttlSeconds` from now. */
  async sign(orderRef: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(orderRef)
      .setExpirationTime(Math.floor(this.#now() / 1000) + this.#ttlSeconds)
      .sign(await this.#keys[0]);
  }

  /**
   * The orderRef the receipt was issued for; throws `ReceiptError` when forged or expired. A
   * receipt signed with the current secret or the previous one is accepted.
   */
  async verify(receipt: string): Promise<{ orderRef: string }> {
    let failure: unknown;
    for (const key of this.#keys) {
      try {
        const { payload } = await jwtVerify(receipt, await key, {
          algorithms: ['HS256'],
          currentDate: new Date(this.#now()),
          requiredClaims: ['sub', 'exp'],
        });
        if (typeof payload.sub !== 'string') throw new ReceiptError(RECEIPT_ERROR_CODE.invalid);
        return { orderRef: payload.sub };
      } catch (err) {
        failure = err;
        // Only a signature made with another key is worth a second try; anything else (expired,
        // malformed, wrong algorithm) would fail the same way with the other secret.
        if (!(err instanceof errors.JWSSignatureVerificationFailed)) break;
      }
    }
    if (failure instanceof ReceiptError) throw failure;
    if (failure instanceof errors.JWTExpired) {
      throw new ReceiptError(RECEIPT_ERROR_CODE.expired, failure);
    }
    throw new ReceiptError(RECEIPT_ERROR_CODE.invalid, failure);
  }
}
