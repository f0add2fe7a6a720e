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

// Several codes share a message: the shopper can do nothing about a merchant's misconfiguration
// (the console says what to fix), and nothing different between two refusals of the same kind.
const enUnavailable = 'This payment button is not available.';
const enRejected = 'This payment could not be started.';
const en: Messages = {
  label: 'Pay with crypto',
  labelWithPrice: (price) => `Pay ${price} with crypto`,
  errors: {
    'invalid-config': enUnavailable,
    network: 'No connection to the payment service. Please try again.',
    timeout: 'The payment service did not answer. Please try again.',
    'origin-not-allowed': 'Payments are not set up for this page.',
    'unknown-button': enUnavailable,
    'invalid-price': 'This amount is not accepted. Please enter another amount.',
    'catalog-mismatch': enUnavailable,
    'invalid-redirect-url': enUnavailable,
    'in-progress': 'Your payment is still being prepared. Please try again in a moment.',
    'body-too-large': enRejected,
    'rate-limited': 'Too many attempts. Please wait a minute.',
    rejected: enRejected,
    unavailable: 'Payment is unavailable right now. Please try again.',
  },
};

const frUnavailable = 'Ce bouton de paiement n’est pas disponible.';
const frRejected = 'Ce paiement n’a pas pu être lancé.';
const fr: Messages = {
  label: 'Payer en crypto',
  labelWithPrice: (price) => `Payer ${price} en crypto`,
  errors: {
    'invalid-config': frUnavailable,
    network: 'Service de paiement injoignable. Veuillez réessayer.',
    timeout: 'Le service de paiement n’a pas répondu. Veuillez réessayer.',
    'origin-not-allowed': 'Les paiements ne sont pas configurés sur cette page.',
    'unknown-button': frUnavailable,
    'invalid-price': 'Ce montant n’est pas accepté. Veuillez saisir un autre montant.',
    'catalog-mismatch': frUnavailable,
    'invalid-redirect-url': frUnavailable,
    'in-progress': 'Votre paiement est encore en préparation. Réessayez dans un instant.',
    'body-too-large': frRejected,
    'rate-limited': 'Trop de tentatives. Patientez une minute.',
    rejected: frRejected,
    unavailable: 'Paiement indisponible pour le moment. Veuillez réessayer.',
  },
};

/** Message tables by primary language subtag; anything else falls back to English. */
export const MESSAGES: Readonly<Record<string, Messages>> = { en, fr };

/** The table for a BCP 47 tag: `fr-CA` → French, `de` → English. */
export function messagesFor(locale: string): Messages {
  const language = locale.toLowerCase().split(/[-_]/)[0] as string;
  // Own entries only: `lang="constructor"` is no table.
  return (Object.hasOwn(MESSAGES, language) && MESSAGES[language]) || en;
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
