/** States of a payment order, spelled as the real API's `data.state`. */
export const ORDER_STATE = {
  pending: 'state:pending',
  executed: 'state:executed',
  expired: 'state:expired',
  canceled: 'state:canceled',
  error: 'state:error',
} as const;

export type OrderState = (typeof ORDER_STATE)[keyof typeof ORDER_STATE];

/** A state an order leaves `pending` for; every final state is terminal. */
export type FinalOrderState = Exclude<OrderState, typeof ORDER_STATE.pending>;

/** The webhook `status` of each final state, as public merchant plugins expect it. */
export const WEBHOOK_STATUS = {
  [ORDER_STATE.executed]: 'PAID',
  [ORDER_STATE.expired]: 'EXPIRED',
  [ORDER_STATE.canceled]: 'CANCELED',
  [ORDER_STATE.error]: 'ERROR',
} as const satisfies Record<FinalOrderState, string>;

export type WebhookStatus = (typeof WEBHOOK_STATUS)[FinalOrderState];
