import type { CheckoutErrorCode } from './checkout-status.js';
import type { Language } from './languages.js';
import { LAZY_MESSAGES, loadMessages } from './lazy-messages.js';

/**
 * The id of each text the element shows: `label`, `labelWithPrice` (with the placeholder
 * `{amount}`, the formatted total) and one per error code (`invalid-config` is shown, not
 * announced, under a misconfigured button).
 */
export type MessageId = 'label' | 'labelWithPrice' | CheckoutErrorCode;

/** Everything the element says to a shopper, in one language: message id → text. */
export type Messages = Record<MessageId, string>;

// Several codes share a message: the shopper can do nothing about a merchant's misconfiguration
// (the console says what to fix), and nothing different between two refusals of the same kind.
const enUnavailable = 'This payment button is not available.';
const enRejected = 'This payment could not be started.';
const en: Messages = {
  label: 'Pay with crypto',
  labelWithPrice: 'Pay {amount} with crypto',
  'invalid-config': enUnavailable,
  network: 'No connection to the payment service. Please try again.',
  timeout: 'The payment service did not answer. Please try again.',
  'origin-not-allowed': 'Payments are not set up for this page.',
  'unknown-button': enUnavailable,
  'invalid-price': 'This amount is not accepted. Please enter another amount.',
  'invalid-quantity': 'This quantity is not available. Please choose another quantity.',
  'invalid-reference': enUnavailable,
  'catalog-mismatch': enUnavailable,
  'invalid-redirect-url': enUnavailable,
  'in-progress': 'Your payment is still being prepared. Please try again in a moment.',
  'body-too-large': enRejected,
  'rate-limited': 'Too many attempts. Please wait a minute.',
  rejected: enRejected,
  unavailable: 'Payment is unavailable right now. Please try again.',
};

const frUnavailable = 'Ce bouton de paiement n’est pas disponible.';
const frRejected = 'Ce paiement n’a pas pu être lancé.';
const fr: Messages = {
  label: 'Payer en crypto',
  labelWithPrice: 'Payer {amount} en crypto',
  'invalid-config': frUnavailable,
  network: 'Service de paiement injoignable. Veuillez réessayer.',
  timeout: 'Le service de paiement n’a pas répondu. Veuillez réessayer.',
  'origin-not-allowed': 'Les paiements ne sont pas configurés sur cette page.',
  'unknown-button': frUnavailable,
  'invalid-price': 'Ce montant n’est pas accepté. Veuillez saisir un autre montant.',
  'invalid-quantity': 'Cette quantité n’est pas disponible. Veuillez en choisir une autre.',
  'invalid-reference': frUnavailable,
  'catalog-mismatch': frUnavailable,
  'invalid-redirect-url': frUnavailable,
  'in-progress': 'Votre paiement est encore en préparation. Réessayez dans un instant.',
  'body-too-large': frRejected,
  'rate-limited': 'Trop de tentatives. Patientez une minute.',
  rejected: frRejected,
  unavailable: 'Paiement indisponible pour le moment. Veuillez réessayer.',
};

/**
 * Message tables by primary language subtag; anything else falls back to English. The npm
 * build has all seven languages; the script-tag bundle has `en` and `fr` and loads the others
 * from the BFF (see `languages.ts`).
 */
export const MESSAGES: Readonly<Partial<Record<Language, Messages>>> = {
  en,
  fr,
  ...LAZY_MESSAGES,
};

/**
 * The table for a BCP 47 tag: `fr-CA` → French, `ja` → English. A language the script-tag bundle
 * loads from `endpoint` is English until it has arrived; `onLoad` then runs (once per call).
 */
export function messagesFor(locale: string, endpoint?: string, onLoad?: () => void): Messages {
  const language = locale.toLowerCase().split(/[-_]/)[0] as Language;
  // Own entries only: `lang="constructor"` is no table.
  return (
    (Object.hasOwn(MESSAGES, language) && MESSAGES[language]) ||
    (endpoint && loadMessages(language, endpoint, en, onLoad)) ||
    en
  );
}

/** Whether `quantity` is one the BFF can accept: a whole number from 1. */
export function isQuantity(quantity: unknown): quantity is number {
  return Number.isSafeInteger(quantity) && (quantity as number) > 0;
}

/**
 * `4.50` × 3 in `EUR` and `fr-FR` → `13,50 €`: the unit price is rounded to the currency's minor
 * units (cents), multiplied as a whole number there (no floating-point drift), and formatted with
 * `Intl.NumberFormat`. Returns `undefined` when the amount, quantity, currency or locale is not
 * usable, so the label simply shows no price rather than a wrong one.
 */
export function formatPrice(
  locale: string,
  price: string,
  currency: string,
  quantity = 1,
): string | undefined {
  const amount = Number(price);
  try {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    const scale = 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2);
    return Number.isFinite(amount) && isQuantity(quantity)
      ? format.format((Math.round(amount * scale) * quantity) / scale)
      : undefined;
  } catch {
    // An unknown currency or locale tag must not break the button: no price in the label.
    return undefined;
  }
}
