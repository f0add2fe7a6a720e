/**
 * The HTTP contract between `<buy-button>` (or any shop page) and the BFF. Declared once here,
 * imported by the BFF with `import type`, so both sides change together.
 */

/** Body of `POST /sessions`, as JSON or as the same fields form-encoded. */
export interface CreateSessionRequest {
  /** Buy-button id from the merchant's catalog, e.g. `btn_coffee`. */
  button: string;
  /** Amount for an open-price button, a plain decimal string such as `"12.50"`. Ignored for fixed prices. */
  price?: string;
  /** ISO 4217 code; must match the catalog's currency when given. */
  currency?: string;
  /** Display name; the catalog's name wins for catalog buttons. */
  buttonName?: string;
  /**
   * Where the portal sends the shopper after paying / canceling. Absolute, or relative to the
   * requesting page's origin. May hold the placeholders `{ORDER_REF}`, `{RECEIPT}` and
   * `{REFERENCE}`.
   */
  returnUrl?: string;
  cancelUrl?: string;
  /** BCP 47 language tag of the shopper, e.g. `fr-FR`. */
  locale?: string;
  /** Units bought, a whole number from 1 to the button's `maxQuantity` (default 1). */
  quantity?: number;
  /**
   * The shop's own reference (cart, order or customer id): 1 to 64 of `[A-Za-z0-9._:-]`. Kept by
   * the BFF with the session, returned by the status and in the payment event; never sent to the
   * payment service.
   */
  reference?: string;
}

/** `201` answer of `POST /sessions`. */
export interface SessionCreated {
  sessionId: string;
  orderRef: string;
  conversionCode: string;
  /** The hosted payment portal for this session: `PORTAL_URL?code=<conversionCode>`. */
  redirectUrl: string;
  /**
   * Short-lived token that lets this shopper read or cancel this session only
   * (`Authorization: Bearer <receipt>` on `GET`/`DELETE /sessions/:id`).
   */
  receipt: string;
}

/** Shopper-facing payment status. */
export type PaymentStatus = 'pending' | 'paid' | 'expired' | 'canceled' | 'error';

/** Answer of `GET /sessions/:id` and `DELETE /sessions/:id`. */
export interface SessionStatus {
  sessionId: string;
  orderRef: string;
  status: PaymentStatus;
  /** The total charged: unit price × quantity. */
  amount: string;
  currency: string;
  quantity: number;
  /** The shop's reference, when the checkout carried one. */
  reference?: string;
}

/** RFC 9457 problem details, as every BFF error is sent (`application/problem+json`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}

/** Placeholders the BFF replaces in `returnUrl` / `cancelUrl` (raw or percent-encoded). */
export const URL_PLACEHOLDERS = ['{ORDER_REF}', '{RECEIPT}', '{REFERENCE}'] as const;
