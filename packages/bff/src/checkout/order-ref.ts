/** Crockford base32: no I, L, O, U, so a reference read aloud or retyped stays unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

export interface OrderRefOptions {
  /** `ORDER_REF_PREFIX`, e.g. `shop-`. */
  prefix: string;
  now: () => number;
  /** Fills a buffer with random bytes. Default `crypto.getRandomValues`. */
  randomBytes?: (bytes: Uint8Array) => Uint8Array;
}

/**
 * Makes order references as `prefix` + 26 characters: 10 of millisecond time, then 16 of
 * randomness (80 bits), ULID-style. They sort by creation time, collide with negligible
 * probability across instances without coordination, and stay within the upstream's 6..100.
 *
 * @example
 * const next = createOrderRefGenerator({ prefix: 'shop-', now: Date.now })
 * next() // "shop-01JDB4Z7K3QW8M2V6XH0T9RCNE"
 */
export function createOrderRefGenerator(options: OrderRefOptions): () => string {
  const { prefix, now } = options;
  const fill = options.randomBytes ?? ((bytes: Uint8Array) => crypto.getRandomValues(bytes));
  // Randomness is drawn 4 KiB at a time: one call per 409 references instead of one each.
  const pool = new Uint8Array(options.randomBytes === undefined ? 4090 : 10);
  let offset = pool.length;
  // The 26 character codes, rewritten in place: one string per reference, not one per character.
  const codes = new Array<number>(TIME_CHARS + RANDOM_CHARS).fill(0);
  return () => {
    let time = Math.max(0, Math.floor(now()));
    for (let i = TIME_CHARS - 1; i >= 0; i -= 1) {
      codes[i] = ALPHABET.charCodeAt(time % 32);
      time = Math.floor(time / 32);
    }
    if (offset + 10 > pool.length) {
      fill(pool);
      offset = 0;
    }
    // 80 bits as 16 groups of 5: two 40-bit halves keep the arithmetic exact in doubles.
    for (let half = 0; half < 2; half += 1) {
      let bits = 0;
      for (let i = 0; i < 5; i += 1) bits = bits * 256 + (pool[offset + half * 5 + i] ?? 0);
      for (let i = 7; i >= 0; i -= 1) {
        codes[TIME_CHARS + half * 8 + i] = ALPHABET.charCodeAt(bits % 32);
        bits = Math.floor(bits / 32);
      }
    }
    offset += 10;
    return prefix + String.fromCharCode(...codes);
  };
}

/** Tells order references this BFF made (with this prefix) from session ids and foreign refs. */
export function orderRefMatcher(prefix: string): (value: string) => boolean {
  const escaped = prefix.replace(/[-]/g, '\\-');
  const pattern = new RegExp(`^${escaped}[${ALPHABET}]{${TIME_CHARS + RANDOM_CHARS}}$`);
  return (value) => pattern.test(value);
}
