import { z } from 'zod';
import { formatAmount, parseAmount } from '../checkout/amount.js';

/** A button sold at one price, set by the merchant. */
export interface FixedPriceButton {
  kind: 'fixed';
  id: string;
  name: string;
  currency: string;
  /** Canonical two-decimal string, e.g. `"4.50"`. */
  price: string;
  priceMinor: number;
  /** Units one checkout may buy (`maxQuantity`, default 1). */
  maxQuantity: number;
}

/** A button whose amount the shopper chooses inside `[min, max]` (a donation, a top-up). */
export interface OpenPriceButton {
  kind: 'open';
  id: string;
  name: string;
  currency: string;
  min: string;
  max: string;
  minMinor: number;
  maxMinor: number;
  /** Units one checkout may buy (`maxQuantity`, default 1). */
  maxQuantity: number;
}

export type CatalogButton = FixedPriceButton | OpenPriceButton;

/** The buttons this merchant sells, by id. Nothing outside it can be checked out. */
export type ButtonCatalog = ReadonlyMap<string, CatalogButton>;

/** A whole number in `[min, max]`, every failure told as `error`. */
export const wholeNumber = (min: number, max: number, error: string) =>
  z.number({ error }).int({ error }).min(min, { error }).max(max, { error });

const amount = z
  .string({ error: 'must be a decimal string such as "4.50"' })
  .refine((text) => (parseAmount(text) ?? 0) > 0, {
    error: 'must be a positive decimal string with at most 2 decimals, such as "4.50"',
  });
const currency = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter upper-case ISO 4217 code, such as "EUR"' });
const name = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' });

const maxQuantity = wholeNumber(
  1,
  1000,
  'maxQuantity must be a whole number from 1 to 1000',
).default(1);
const fixedEntry = z.strictObject({ name, currency, price: amount, maxQuantity });
const openEntry = z
  .strictObject({ name, currency, min: amount, max: amount, maxQuantity })
  .refine((entry) => (parseAmount(entry.min) ?? 0) <= (parseAmount(entry.max) ?? 0), {
    error: 'min must not be above max',
    path: ['min'],
  });

/** Button ids go into upstream URLs and logs: a conservative charset keeps both clean. */
export const BUTTON_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The `BUTTONS` setting: `{ "<id>": { name, price, currency, maxQuantity? } | { name, currency,
 * min, max, maxQuantity? } }`.
 */
export const buttonCatalogSchema = z
  .record(
    z.string().regex(BUTTON_ID, { error: 'button ids use A-Z, a-z, 0-9, "_" and "-" (1..64)' }),
    z.union([fixedEntry, openEntry], {
      error: 'each button is {name, price, currency} or {name, currency, min, max}',
    }),
    { error: 'must be a JSON object of buttons by id' },
  )
  .refine((record) => Object.keys(record).length > 0, { error: 'must list at least one button' })
  .transform((record): ButtonCatalog => {
    const catalog = new Map<string, CatalogButton>();
    for (const [id, entry] of Object.entries(record)) {
      const { name, currency, maxQuantity } = entry;
      const common = { id, name, currency, maxQuantity };
      if ('price' in entry) {
        const priceMinor = parseAmount(entry.price) ?? 0;
        catalog.set(id, { kind: 'fixed', ...common, price: formatAmount(priceMinor), priceMinor });
      } else {
        const minMinor = parseAmount(entry.min) ?? 0;
        const maxMinor = parseAmount(entry.max) ?? 0;
        const [min, max] = [formatAmount(minMinor), formatAmount(maxMinor)];
        catalog.set(id, { kind: 'open', ...common, min, max, minMinor, maxMinor });
      }
    }
    return catalog;
  });
