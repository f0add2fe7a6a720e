import { z } from 'zod';
import { formatAmount, parseAmount } from '../checkout/amount.js';

/**
 * How the BFF reads the upstream API: tolerant of what the real one varies (`_id` or `id`,
 * numbers or strings for amounts, extra fields), strict about what the BFF relies on.
 */

/** `4.5`, `"4.5"` and `"4.50"` all read as `"4.50"`; anything else is kept as sent. */
const money = z.union([z.string(), z.number()]).transform((value) => {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const minor = parseAmount(text);
  return minor === undefined ? text : formatAmount(minor);
});

const id = z.union([z.string().min(1), z.number()]).transform(String);

export const envelopeSchema = z.looseObject({
  success: z.boolean().optional(),
  status: z.number().optional(),
  data: z.unknown(),
});

export const failureSchema = z.looseObject({
  message: z.string().optional(),
});

export const loginDataSchema = z.looseObject({
  token: z.string().min(1).nullable(),
});

/** An order's state as upstream spells it, e.g. `state:executed`. */
const state = z.string().min(1);

export const sessionSchema = z
  .object({
    id: id.optional(),
    _id: id.optional(),
    orderRef: z.string().min(1),
    conversionCode: z.string().min(1),
    price: money.optional(),
    currency: z.string().optional(),
    state: state.optional(),
    /** When the pending order expires: ISO 8601 (or epoch ms). Optional: not every API says. */
    expiresAt: z.union([z.string(), z.number()]).optional(),
  })
  .refine((session) => session.id !== undefined || session._id !== undefined, {
    error: 'session without id',
  })
  .transform((session) => ({
    id: session.id ?? session._id ?? '',
    orderRef: session.orderRef,
    conversionCode: session.conversionCode,
    price: session.price,
    currency: session.currency,
    state: session.state,
    expiresAt: epochMs(session.expiresAt),
  }));

/** Epoch ms of a date the upstream sent, `undefined` when absent or unreadable. */
function epochMs(value: string | number | undefined): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : value;
  return ms !== undefined && Number.isFinite(ms) ? ms : undefined;
}

export type UpstreamSession = z.output<typeof sessionSchema>;

export const orderSchema = z
  .object({
    code: z.string().min(1),
    state,
    amount: money,
    currency: z.string(),
    orderRef: z.string().min(1),
    sessionId: id.optional(),
    session: id.optional(),
  })
  .transform(({ session, ...order }) => ({ ...order, sessionId: order.sessionId ?? session }));

export type UpstreamOrder = z.output<typeof orderSchema>;

/** The create body, in the seed's field names. */
export interface UpstreamCreateSession {
  button: string;
  orderRef: string;
  price: string;
  currency: string;
  buttonName: string;
  callbackUrl: string;
  returnUrl?: string;
  cancelUrl?: string;
}
