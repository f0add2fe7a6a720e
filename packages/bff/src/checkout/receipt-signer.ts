import { errors, jwtVerify, SignJWT } from 'jose';

export class ReceiptError extends Error {
  readonly code: 'ERR_RECEIPT_INVALID' | 'ERR_RECEIPT_EXPIRED';
  constructor(code: ReceiptError['code'], cause?: unknown) {
    super(code === 'ERR_RECEIPT_EXPIRED' ? 'receipt expired' : 'receipt invalid', { cause });
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
  readonly #keys: readonly [Promise<CryptoKey>, Promise<CryptoKey>?];
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
    const options = {
      algorithms: ['HS256'],
      currentDate: new Date(this.#now()),
      requiredClaims: ['sub', 'exp'],
    };
    const [current, previous] = this.#keys;
    const { payload } = await jwtVerify(receipt, await current, options)
      .catch(async (err: unknown) => {
        // Only a signature made with another key is worth a second try; anything else (expired,
        // malformed, wrong algorithm) would fail the same way with the other secret.
        if (previous === undefined || !(err instanceof errors.JWSSignatureVerificationFailed)) {
          throw err;
        }
        return jwtVerify(receipt, await previous, options);
      })
      .catch((err: unknown) => {
        const expired = err instanceof errors.JWTExpired;
        throw new ReceiptError(expired ? 'ERR_RECEIPT_EXPIRED' : 'ERR_RECEIPT_INVALID', err);
      });
    if (typeof payload.sub !== 'string') throw new ReceiptError('ERR_RECEIPT_INVALID');
    return { orderRef: payload.sub };
  }
}
