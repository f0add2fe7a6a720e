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
    timeout: 'The payment service did not answer in time. Please try again.',
    rejected: 'This payment could not be started. Please check the amount.',
    'rate-limited': 'Too many attempts. Please wait a minute.',
    unavailable: 'Payment is unavailable right now. Please try again soon.',
  },
};

const fr: Messages = {
  label: 'Payer en crypto',
  labelWithPrice: (price) => `Payer ${price} en crypto`,
  errors: {
    'invalid-config': 'Ce bouton de paiement n’est pas disponible.',
    network: 'Service de paiement injoignable. Veuillez réessayer.',
    timeout: 'Le service de paiement n’a pas répondu à temps. Veuillez réessayer.',
    rejected: 'Ce paiement n’a pas pu être lancé. Vérifiez le montant.',
    'rate-limited': 'Trop de tentatives. Patientez une minute.',
    unavailable: 'Paiement indisponible pour le moment. Réessayez bientôt.',
  },
};

/** Message tables by primary language subtag; anything else falls back to English. */
export const MESSAGES: Readonly<Record<string, Messages>> = { en, fr };

/** The table for a BCP 47 tag: `fr-CA` → French, `de` → English. */
export function messagesFor(locale: string): Messages {
  return MESSAGES[locale.toLowerCase().split(/[-_]/)[0] ?? ''] ?? en;
}

/**
 * `4.50` + `EUR` in `fr-FR` → `4,50 €`. Returns `undefined` when the amount or currency is not
 * usable, so the label simply shows no price rather than a wrong one.
 */
export function formatPrice(locale: string, price: string, currency: string): string | undefined {
  const amount = Number(price);
  if (!price.trim() || !Number.isFinite(amount) || !/^[A-Za-z]{3}$/.test(currency))
    return undefined;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
  } catch {
    // An invalid locale tag must not break the button: format in English instead.
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount);
  }
}
