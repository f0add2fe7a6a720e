import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { fakeBff, labelText, mount, nextEvent, part } from '../test/fixtures.js';
import type { BuyButtonElement } from './buy-button-element.js';
import { CheckoutStatus } from './checkout-status.js';
import type { BuyButtonErrorEvent, BuyButtonSessionEvent } from './events.js';
import { fetchSessionStatus, readStoredSession } from './return-page.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function stayOnPage(element: BuyButtonElement) {
  element.addEventListener('buy-button-session', (event) => event.preventDefault());
}

/** One click (once the label shows the latest properties), resolved with the event that ended it. */
async function attempt(element: BuyButtonElement) {
  await element.updateComplete;
  const outcome = Promise.race([
    nextEvent<BuyButtonSessionEvent>(element, 'buy-button-session'),
    nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error'),
  ]);
  await userEvent.click(part(element, 'button'));
  return outcome;
}

describe('quantity', () => {
  it('is 1 by default, and then not sent', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    expect(element.quantity).toBe(1);
    stayOnPage(element);
    await attempt(element);
    expect((await bff.requests())[0]?.body).not.toHaveProperty('quantity');
  });

  it('is sent as a JSON number, and the label shows the total', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" price="4.50" currency="EUR"
         quantity="3" locale="en"></buy-button>`,
    );
    expect(element.quantity).toBe(3);
    expect(labelText(element)).toBe('Pay €13.50 with crypto');
    stayOnPage(element);
    const click = nextEvent<Event & { detail: unknown }>(element, 'buy-button-click');
    await attempt(element);
    expect((await click).detail).toMatchObject({ quantity: 3 });
    expect((await bff.requests())[0]?.body).toEqual({
      button: 'btn_coffee',
      price: '4.50',
      currency: 'EUR',
      quantity: 3,
      locale: 'en',
    });

    element.quantity = 2;
    await element.updateComplete;
    expect(labelText(element)).toBe('Pay €9.00 with crypto');
    element.locale = 'fr';
    await element.updateComplete;
    expect(labelText(element)).toBe(
      `Payer ${new Intl.NumberFormat('fr', { style: 'currency', currency: 'EUR' }).format(9)} en crypto`,
    );
  });

  it('a click handler can set it (a quantity field of the page)', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    stayOnPage(element);
    element.addEventListener('buy-button-click', () => {
      element.quantity = 4;
    });
    await attempt(element);
    expect((await bff.requests())[0]?.body.quantity).toBe(4);
  });

  it('comes from the fallback form’s quantity field when the element has none', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button price="4.50" currency="EUR" locale="en">
         <form method="post" action="${bff.endpoint}/sessions">
           <input type="hidden" name="button" value="btn_coffee">
           <input type="hidden" name="quantity" value="2">
           <input type="hidden" name="reference" value="cart-42">
           <button type="submit">Pay €9.00 with crypto</button>
         </form>
       </buy-button>`,
    );
    expect(labelText(element)).toBe('Pay €9.00 with crypto');
    stayOnPage(element);
    await attempt(element);
    element.quantity = 5;
    await attempt(element);
    const [fromForm, fromProperty] = await bff.requests();
    expect(fromForm?.body).toMatchObject({ quantity: 2, reference: 'cart-42' });
    // The property wins.
    expect(fromProperty?.body).toMatchObject({ quantity: 5 });
  });

  it('a quantity field outside the element, tied to the fallback form by form="…", counts', async () => {
    const bff = fakeBff('ok');
    const { element, container } = await mount(
      `<input id="cups" type="number" name="quantity" form="coffee-form" min="1" value="1">
       <buy-button price="4.50" currency="EUR" locale="en">
         <form id="coffee-form" method="post" action="${bff.endpoint}/sessions">
           <input type="hidden" name="button" value="btn_coffee">
           <button type="submit">Pay with crypto</button>
         </form>
       </buy-button>`,
    );
    const cups = container.querySelector('input') as HTMLInputElement;
    // What the README shows: the label follows the field.
    cups.addEventListener('input', () => {
      element.quantity = cups.valueAsNumber;
    });
    await userEvent.fill(cups, '3');
    await element.updateComplete;
    expect(labelText(element)).toBe('Pay €13.50 with crypto');
    stayOnPage(element);
    await attempt(element);
    expect((await bff.requests())[0]?.body.quantity).toBe(3);
  });

  it.each([
    ['0', 0],
    ['-1', -1],
    ['2.5', 2.5],
    ['two', Number.NaN],
  ])(
    'quantity="%s" is not sent: invalid-quantity, shown, nothing in the console, usable again',
    async (attribute, value) => {
      const error = vi.spyOn(console, 'error');
      const bff = fakeBff('ok');
      const { element } = await mount(
        `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" price="4.50" currency="EUR"
           quantity="${attribute}" locale="en"></buy-button>`,
      );
      expect(element.quantity).toBe(value);
      // No total for a quantity that cannot be bought.
      expect(labelText(element)).toBe('Pay with crypto');
      stayOnPage(element);
      const failed = await attempt(element);
      expect(failed.detail).toEqual({
        code: 'invalid-quantity',
        message: 'This quantity is not available. Please choose another quantity.',
      });
      expect(await bff.requests()).toEqual([]);
      expect(element.status).toBe(CheckoutStatus.Error);
      await element.updateComplete;
      expect(part(element, 'error').textContent).toBe(
        'This quantity is not available. Please choose another quantity.',
      );
      expect(error).not.toHaveBeenCalled();
      expect(part(element, 'button').hasAttribute('disabled')).toBe(false);

      element.quantity = 2;
      expect((await attempt(element)).type).toBe('buy-button-session');
      expect((await bff.requests())[0]?.body.quantity).toBe(2);
    },
  );

  it('a removed quantity attribute means 1 again', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" quantity="3"></buy-button>`,
    );
    element.removeAttribute('quantity');
    stayOnPage(element);
    expect((await attempt(element)).type).toBe('buy-button-session');
    expect((await bff.requests())[0]?.body).not.toHaveProperty('quantity');
  });

  it('over the button’s maxQuantity, the BFF’s invalid-quantity refusal is its own code', async () => {
    const bff = fakeBff('problem-400-invalid-quantity');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" quantity="99"
         locale="de"></buy-button>`,
    );
    const failed = await attempt(element);
    expect(failed.detail).toMatchObject({ code: 'invalid-quantity', status: 400 });
    expect((failed as BuyButtonErrorEvent).detail.message).toBe(
      'Diese Menge ist nicht verfügbar. Bitte wählen Sie eine andere Menge.',
    );
  });
});

describe('reference', () => {
  it('is sent when set, and the return page reads it back with the quantity', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" quantity="2"
         reference="order:2024-11.A_7" return-url="/thanks?ref={REFERENCE}"></buy-button>`,
    );
    stayOnPage(element);
    const session = (await attempt(element)) as BuyButtonSessionEvent;
    expect((await bff.requests())[0]?.body).toMatchObject({
      quantity: 2,
      reference: 'order:2024-11.A_7',
      // The BFF fills the placeholder.
      returnUrl: `${location.origin}/thanks?ref={REFERENCE}`,
    });

    const stored = readStoredSession(session.detail.orderRef);
    if (!stored) throw new Error('nothing stored');
    const result = await fetchSessionStatus(stored);
    expect(result).toEqual({
      ok: true,
      status: expect.objectContaining({
        quantity: 2,
        reference: 'order:2024-11.A_7',
        amount: '9.00',
      }),
    });
  });

  it('is left out when empty', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" reference=""></buy-button>`,
    );
    stayOnPage(element);
    await attempt(element);
    expect((await bff.requests())[0]?.body).not.toHaveProperty('reference');
  });

  it.each(['has space', 'a/b', 'réf', 'x'.repeat(65), 'semi;colon'])(
    '%j is refused before sending: invalid-reference, the merchant told which attribute',
    async (reference) => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      const bff = fakeBff('ok');
      const { element } = await mount(
        `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" locale="en"></buy-button>`,
      );
      element.reference = reference;
      stayOnPage(element);
      const failed = await attempt(element);
      expect(failed.detail).toEqual({
        code: 'invalid-reference',
        message: 'This payment button is not available.',
      });
      expect(await bff.requests()).toEqual([]);
      expect(error).toHaveBeenCalledOnce();
      expect(String(error.mock.calls[0]?.[0])).toMatch(
        /^buy-button: reference=".*" is not 1 to 64 of A-Z a-z 0-9 \. _ : -/,
      );
      expect(String(error.mock.calls[0]?.[0])).toContain(reference);
      await element.updateComplete;
      expect(part(element, 'error').textContent).toBe('This payment button is not available.');
      expect(part(element, 'button').hasAttribute('disabled')).toBe(false);

      element.reference = 'x'.repeat(64);
      expect((await attempt(element)).type).toBe('buy-button-session');
      expect((await bff.requests())[0]?.body.reference).toBe('x'.repeat(64));
    },
  );
});

describe('quantity and reference are part of the request the Idempotency-Key is for', () => {
  async function impatient(modes: string) {
    const bff = fakeBff(modes);
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" quantity="2"
         reference="cart-1"></buy-button>`,
    );
    element.timeout = 300;
    stayOnPage(element);
    return { bff, element };
  }

  it('after a timeout, the same quantity and reference send the same key', async () => {
    const { bff, element } = await impatient('hang,ok');
    expect((await attempt(element)).detail).toMatchObject({ code: 'timeout' });
    expect((await attempt(element)).type).toBe('buy-button-session');
    const [first, second] = await bff.requests();
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
  });

  it.each([
    { property: 'quantity', value: 3 },
    { property: 'reference', value: 'cart-2' },
  ] as const)(
    'after a timeout, a different $property gets a new key',
    async ({ property, value }) => {
      const { bff, element } = await impatient('hang,ok');
      expect((await attempt(element)).detail).toMatchObject({ code: 'timeout' });
      Object.assign(element, { [property]: value });
      expect((await attempt(element)).type).toBe('buy-button-session');
      const [first, second] = await bff.requests();
      expect(second?.body).toMatchObject({ [property]: value });
      expect(second?.idempotencyKey).not.toBe(first?.idempotencyKey);
    },
  );

  it('an invalid reference after a timeout sends nothing and keeps the key', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { bff, element } = await impatient('hang,ok');
    expect((await attempt(element)).detail).toMatchObject({ code: 'timeout' });
    element.reference = 'not valid';
    expect((await attempt(element)).detail).toMatchObject({ code: 'invalid-reference' });
    element.reference = 'cart-1';
    expect((await attempt(element)).type).toBe('buy-button-session');
    const [first, second, ...more] = await bff.requests();
    expect(more).toEqual([]);
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
  });
});
