import type { CheckoutErrorCode } from './checkout-status.js';

/** Everything the element says to a shopper, in one language. */
export interface Messages {
  /** Default label without a price. */
  label: string;
  /** Default label with a formatted price. */
  labelWithPrice: (price: string) => string;
  /** By error code; `invalid-config` is shown (not announced) under a misconfigured button. */
  errors: Record<CheckoutErrorCode, string>;
}

const en: Messages = {
  label: 'Pay with crypto',
  labelWithPrice: (price) => `Pay ${price} with crypto`,
  errors: {
    'invalid-config': 'This payment button is not available.',
    network: 'No connection to the payment service. Please try again.',
    timeout: 'The payment service did not answer. Please try again.',
    rejected: 'This payment could not be started.',
    'rate-limited': 'Too many attempts. Please wait a minute.',
    unavailable: 'Payment is unavailable right now. Please try again.',
  },
};

const fr: Messages = {
  label: 'Payer en crypto',
  labelWithPrice: (price) => `Payer ${price} en crypto`,
  errors: {
    'invalid-config': 'Ce bouton de paiement n’est pas disponible.',
    network: 'Service de paiement injoignable. Veuillez réessayer.',
    timeout: 'Le service de paiement n’a pas répondu. Veuillez réessayer.',
    rejected: 'Ce paiement n’a pas pu être lancé.',
    'rate-limited': 'Trop de tentatives. Patientez une minute.',
    unavailable: 'Paiement indisponible pour le moment. Veuillez réessayer.',
  },
};

/** Message tables by primary language subtag; anything else falls back to English. */
export const MESSAGES: Readonly<Record<string, Messages>> = { en, fr };

/** The table for a BCP 47 tag: `fr-CA` → French, `de` → English. */
export function messagesFor(locale: string): Messages {
  return MESSAGES[locale.toLowerCase().split(/[-_]/)[0] ?? ''] ?? en;
}

/**
 * `4.50` + `EUR` in `fr-FR` → `4,50 €`. Returns `undefined` when the amount, currency or locale
 * is not usable, so the label simply shows no price rather than a wrong one.
 */
export function formatPrice(locale: string, price: string, currency: string): string | undefined {
  const amount = Number(price);
  try {
    return Number.isFinite(amount)
      ? new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount)
      : undefined;
  } catch {
    // An unknown currency or locale tag must not break the button: no price in the label.
    return undefined;
  }
}
