/** Largest request body accepted: a checkout is a few hundred bytes. */
export const BODY_LIMIT_BYTES = 16 * 1024;
