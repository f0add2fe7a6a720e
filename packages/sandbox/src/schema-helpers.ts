import { z } from 'zod';

/** A required string whose messages tell "missing" from "wrong type", as the envelope lists them. */
export function requiredString() {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .min(1, { error: 'is required' });
}

/** An optional string that, when present, must be a string. */
export function optionalString() {
  return z.string({ error: 'must be a string' }).optional();
}
