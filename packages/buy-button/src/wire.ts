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
   * requesting page's origin. May hold the placeholders `{ORDER_REF}` and `{RECEIPT}`.
   */
  returnUrl?: string;
  cancelUrl?: string;
  /** BCP 47 language tag of the shopper, e.g. `fr-FR`. */
  locale?: string;
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
  amount: string;
  currency: string;
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
export const URL_PLACEHOLDERS = ['{ORDER_REF}', '{RECEIPT}'] as const;
