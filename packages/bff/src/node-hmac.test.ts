import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webCryptoHmacSha256 } from './checkout/receipt-signer.js';
import { nodeHmacSha256 } from './node-hmac.js';

const KEYS = ['s'.repeat(32), 'k'.repeat(64), 'l'.repeat(65), 'x'.repeat(200), 'clé-秘密-🔑'];
const MESSAGES = ['', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzaG9wIn0', 'm'.repeat(1000), 'café ☕'];

describe('nodeHmacSha256', () => {
  it.each(KEYS)('gives the MAC of createHmac and of Web Crypto with the key %j', async (secret) => {
    const node = nodeHmacSha256(secret);
    const web = webCryptoHmacSha256(secret);
    for (const text of MESSAGES) {
      const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
        .update(text, 'utf8')
        .digest('base64url');
      expect(node(text)).toBe(expected);
      expect(await web(text)).toBe(expected);
    }
  });
});
