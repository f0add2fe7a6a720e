/** Makes the ids the sandbox hands out, from the injected clock and randomness. */
export interface IdGenerator {
  /** A 24-hex id shaped like a MongoDB ObjectId: seconds, 5 random bytes, a 3-byte counter. */
  objectId(): string;
  /** A 12-character payment order code (A-Z, 0-9), as shown in `/pay?code=`. */
  conversionCode(): string;
}

const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * The counter makes ids unique even when `random` is a constant (as tests often inject), so a
 * deterministic test never loops on a collision.
 */
export function createIdGenerator(now: () => number, random: () => number): IdGenerator {
  let counter = 0;
  const randomInt = (bound: number): number =>
    Math.min(bound - 1, Math.max(0, Math.floor(random() * bound)));
  const hex = (value: number, width: number): string =>
    value.toString(16).padStart(width, '0').slice(-width);

  return {
    objectId() {
      counter = (counter + 1) % 0x1000000;
      const seconds = Math.floor(now() / 1000);
      let randomPart = '';
      for (let i = 0; i < 5; i += 1) randomPart += hex(randomInt(256), 2);
      return `${hex(seconds, 8)}${randomPart}${hex(counter, 6)}`;
    },
    conversionCode() {
      counter = (counter + 1) % 0x1000000;
      let code = '';
      for (let i = 0; i < 7; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
      return code + counter.toString(36).toUpperCase().padStart(5, '0');
    },
  };
}
