import { describe, expect, inject, it } from 'vitest';
import { fakeBff, labelText, mount, nextEvent, part } from '../test/fixtures.js';
import type { BuyButtonErrorEvent } from './events.js';
import { BUNDLED_LANGUAGES, LANGUAGES, LAZY_LANGUAGES } from './languages.js';
import { formatPrice, MESSAGES, type MessageId, messagesFor } from './messages.js';

const en = MESSAGES.en;
if (!en) throw new Error('no en messages');
const ids = Object.keys(en).sort() as MessageId[];
const placeholders = (text: string | undefined) => (text?.match(/\{[^}]*\}/g) ?? []).sort();
const money = (locale: string, amount: number, currency = 'EUR') =>
  new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);

describe('messages', () => {
  it('come in seven languages: en and fr in the bundle, de, es, it, nl and pt from the BFF', () => {
    expect([...BUNDLED_LANGUAGES]).toEqual(['en', 'fr']);
    expect([...LAZY_LANGUAGES]).toEqual(['de', 'es', 'it', 'nl', 'pt']);
    expect(Object.keys(MESSAGES).sort()).toEqual([...LANGUAGES].sort());
  });

  it.each(LANGUAGES)('%s has every message id, none empty, placeholders intact', (language) => {
    const messages = MESSAGES[language];
    expect(Object.keys(messages ?? {}).sort()).toEqual(ids);
    for (const id of ids) {
      const text = messages?.[id];
      expect(text?.trim(), `${language} ${id}`).toBeTruthy();
      expect(placeholders(text), `${language} ${id}`).toEqual(placeholders(en[id]));
    }
    expect(messages?.labelWithPrice).toContain('{amount}');
    // Translated, not copied: only the shared brand word may stay.
    if (language !== 'en') expect(messages?.label).not.toBe(en.label);
  });

  it.each([
    ['fr-CA', 'fr'],
    ['pt-BR', 'pt'],
    ['pt_PT', 'pt'],
    ['de-AT', 'de'],
    ['ES', 'es'],
    ['it-CH', 'it'],
    ['nl-BE', 'nl'],
    ['ja', 'en'],
    ['zh-Hant-TW', 'en'],
    ['constructor', 'en'],
    ['', 'en'],
  ] as const)('%j reads the %s table', (locale, language) => {
    expect(messagesFor(locale)).toBe(MESSAGES[language]);
  });

  it.each(LANGUAGES)('a lang="%s" page labels the button in its language', async (language) => {
    const { element } = await mount(
      '<buy-button button="btn_coffee" price="4.50" currency="EUR" quantity="2"></buy-button>',
      { lang: `${language}-XX` },
    );
    const total = money(`${language}-XX`, 9);
    expect(labelText(element)).toBe(MESSAGES[language]?.labelWithPrice.replace('{amount}', total));
    element.removeAttribute('price');
    await element.updateComplete;
    expect(labelText(element)).toBe(MESSAGES[language]?.label);
  });

  it.each(LAZY_LANGUAGES)('a lang="%s" page shows errors in its language', async (language) => {
    const bff = fakeBff('problem-503');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
      { lang: language },
    );
    const error = nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error');
    await element.checkout();
    expect((await error).detail.message).toBe(MESSAGES[language]?.unavailable);
    await element.updateComplete;
    expect(part(element, 'error').textContent).toBe(MESSAGES[language]?.unavailable);
  });

  it.each(LAZY_LANGUAGES)(
    'the build writes buy-button.%s.json from these texts, as the BFF serves it',
    async (language) => {
      const response = await fetch(`${inject('fakeBffUrl')}/buy-button.${language}.json`);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toEqual(MESSAGES[language]);
    },
  );
});

describe('formatPrice (the label’s total)', () => {
  it.each([
    // Unit price × quantity in minor units: no floating-point drift.
    { locale: 'en', price: '4.50', currency: 'EUR', quantity: 3, total: 13.5 },
    { locale: 'en', price: '0.10', currency: 'EUR', quantity: 3, total: 0.3 },
    { locale: 'en', price: '19.99', currency: 'USD', quantity: 7, total: 139.93 },
    { locale: 'fr-FR', price: '1.15', currency: 'EUR', quantity: 100, total: 115 },
    { locale: 'de', price: '0.07', currency: 'EUR', quantity: 9, total: 0.63 },
    { locale: 'ja', price: '500', currency: 'JPY', quantity: 3, total: 1500 },
    { locale: 'en', price: '1.234', currency: 'BHD', quantity: 3, total: 3.702 },
  ])(
    '$price $currency × $quantity is $total ($locale)',
    ({ locale, price, currency, quantity, total }) => {
      expect(formatPrice(locale, price, currency, quantity)).toBe(money(locale, total, currency));
    },
  );

  it.each([0, -1, 2.5, Number.NaN, Number.MAX_VALUE])('shows no total for quantity %s', (q) => {
    expect(formatPrice('en', '4.50', 'EUR', q)).toBeUndefined();
  });

  it('shows no total for an amount or currency it cannot read', () => {
    expect(formatPrice('en', 'four', 'EUR')).toBeUndefined();
    expect(formatPrice('en', '4.50', 'EURO')).toBeUndefined();
  });
});
