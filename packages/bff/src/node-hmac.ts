import { createHmac, createSecretKey } from 'node:crypto';
import type { HmacSha256 } from './checkout/receipt-signer.js';

/** Receipt signing on `node:crypto`: synchronous, no Web Crypto job per checkout. */
export const nodeHmacSha256: HmacSha256 = (secret) => {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return (text) => createHmac('sha256', key).update(text).digest('base64url');
};
