import type { CatalogButton } from '../config/button-catalog.js';
import { ProblemError } from '../problems/problem-error.js';
import { formatAmount, parseAmount } from './amount.js';

/**
 * The amount and currency a checkout charges: the unit price times the quantity, in minor units
 * (exact), on the server. A fixed price comes from the catalog only: a browser-sent price that
 * differs is refused rather than silently replaced, so a shopper never lands on a portal showing a
 * price other than the one the page showed them (a stale or tampered page fails loudly). An open
 * price must be a plain decimal inside the button's range. The quantity must be a whole number
 * from 1 to the button's `maxQuantity`.
 */
export function resolveCheckoutPrice(
  button: CatalogButton,
  requested: {
    price?: string | undefined;
    currency?: string | undefined;
    quantity?: number | undefined;
  },
): { amount: string; currency: string; quantity: number } {
  const quantity = requested.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > button.maxQuantity) {
    throw new ProblemError('invalidQuantity', {
      detail:
        button.maxQuantity === 1
          ? 'This item is sold one at a time.'
          : `Choose a quantity from 1 to ${button.maxQuantity}.`,
      errors: [
        { field: 'quantity', message: `must be a whole number from 1 to ${button.maxQuantity}` },
      ],
    });
  }
  if (requested.currency !== undefined && requested.currency.toUpperCase() !== button.currency) {
    throw new ProblemError('currencyMismatch', {
      detail: `This button is sold in ${button.currency}.`,
      errors: [{ field: 'currency', message: `must be ${button.currency}` }],
    });
  }
  const minor = requested.price === undefined ? undefined : parseAmount(requested.price);
  if (requested.price !== undefined && minor === undefined) {
    throw new ProblemError('invalidPrice', {
      detail: 'The amount must be a plain decimal number such as 12.50.',
      errors: [{ field: 'price', message: 'must be a decimal with at most 2 decimals' }],
    });
  }
  if (button.kind === 'fixed') {
    if (minor !== undefined && minor !== button.priceMinor) {
      throw new ProblemError('priceMismatch', {
        detail: `This item costs ${button.price} ${button.currency}.`,
        errors: [{ field: 'price', message: `must be ${button.price} or left out` }],
      });
    }
    return {
      amount: formatAmount(button.priceMinor * quantity),
      currency: button.currency,
      quantity,
    };
  }
  if (minor === undefined) {
    throw new ProblemError('invalidPrice', {
      detail: `Enter an amount between ${button.min} and ${button.max} ${button.currency}.`,
      errors: [{ field: 'price', message: 'is required for this button' }],
    });
  }
  if (minor < button.minMinor || minor > button.maxMinor) {
    throw new ProblemError('priceOutOfRange', {
      detail: `Enter an amount between ${button.min} and ${button.max} ${button.currency}.`,
      errors: [{ field: 'price', message: `must be between ${button.min} and ${button.max}` }],
    });
  }
  return { amount: formatAmount(minor * quantity), currency: button.currency, quantity };
}
