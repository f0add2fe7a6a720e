import { describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { fakeBff, labelText, mount, nextEvent, part } from '../test/fixtures.js';
import { BuyButtonElement, DEFAULT_TIMEOUT_MS } from './buy-button-element.js';
import { CheckoutStatus } from './checkout-status.js';
import { defineBuyButton } from './define.js';
import type { BuyButtonErrorEvent, BuyButtonSessionEvent } from './events.js';
import { readStoredSession, STORAGE_KEY_LAST, storageKey } from './stored-session.js';

/** Keeps the page where it is: the page "handles the redirect itself". */
function stayOnPage(element: BuyButtonElement) {
  element.addEventListener('buy-button-session', (event) => event.preventDefault());
}

describe('<buy-button> rendering', () => {
  it('renders a real button with its parts inside the shadow root', async () => {
    const { element } = await mount('<buy-button button="btn_coffee"></buy-button>', {
      lang: 'en',
    });
    const button = part(element, 'button');
    expect(button).toBeInstanceOf(HTMLButtonElement);
    expect(button.getAttribute('type')).toBe('button');
    expect(part(element, 'label')).toBeTruthy();
    expect(part(element, 'spinner').hidden).toBe(true);
    expect(part(element, 'error').getAttribute('role')).toBe('alert');
    expect(element.shadowRoot?.delegatesFocus).toBe(true);
    expect(labelText(element)).toBe('Pay with crypto');
    expect(element.status).toBe(CheckoutStatus.Idle);
  });

  it('focusing the element focuses its button (delegatesFocus)', async () => {
    const { element } = await mount('<buy-button button="btn_coffee"></buy-button>');
    element.focus();
    expect(element.shadowRoot?.activeElement).toBe(part(element, 'button'));
  });

  it.each([
    {
      markup: '<buy-button button="b" locale="fr"></buy-button>',
      lang: 'en',
      label: 'Payer en crypto',
    },
    { markup: '<buy-button button="b"></buy-button>', lang: 'fr', label: 'Payer en crypto' },
    { markup: '<buy-button button="b"></buy-button>', lang: 'fr-CA', label: 'Payer en crypto' },
    {
      markup: '<div lang="en"><buy-button button="b"></buy-button></div>',
      lang: 'fr',
      label: 'Pay with crypto',
    },
    { markup: '<buy-button button="b"></buy-button>', lang: 'de', label: 'Mit Krypto bezahlen' },
    { markup: '<buy-button button="b"></buy-button>', lang: 'pt-BR', label: 'Pagar com cripto' },
    { markup: '<buy-button button="b"></buy-button>', lang: 'ja', label: 'Pay with crypto' },
    {
      markup: '<buy-button button="b"></buy-button>',
      lang: 'constructor',
      label: 'Pay with crypto',
    },
    {
      markup: '<buy-button button="b" label="Buy now"></buy-button>',
      lang: 'fr',
      label: 'Buy now',
    },
  ])('labels $markup in a lang="$lang" page as "$label"', async ({ markup, lang, label }) => {
    const { element } = await mount(markup, { lang });
    expect(labelText(element)).toBe(label);
  });

  it.each([
    ['en', 'Pay €4.50 with crypto'],
    [
      'fr',
      `Payer ${new Intl.NumberFormat('fr', { style: 'currency', currency: 'EUR' }).format(4.5)} en crypto`,
    ],
  ])('shows the price in the %s label', async (locale, label) => {
    const { element } = await mount(
      `<buy-button button="btn_coffee" price="4.50" currency="EUR" locale="${locale}"></buy-button>`,
    );
    expect(labelText(element)).toBe(label);
    expect(labelText(element)).toContain('4');
  });

  it('uses slotted content as the label and puts the icon slot first', async () => {
    const { element } = await mount(
      '<buy-button button="b"><svg slot="icon" aria-hidden="true" width="16" height="16"></svg>Donate <b>now</b></buy-button>',
    );
    expect(labelText(element)).toBe('Donate now');
    expect(part(element, 'label').textContent?.trim()).toBe('');
    const iconSlot = element.shadowRoot?.querySelector<HTMLSlotElement>('slot[name="icon"]');
    expect(iconSlot?.assignedElements()).toHaveLength(1);
    // The accessible name is the label text.
    expect(part(element, 'button').textContent).not.toContain('Pay with crypto');
  });

  it('reads the --buy-button-* custom properties', async () => {
    const { element } = await mount('<buy-button button="b"></buy-button>');
    element.style.setProperty('--buy-button-background', 'rgb(1, 2, 3)');
    element.style.setProperty('--buy-button-color', 'rgb(250, 240, 230)');
    element.style.setProperty('--buy-button-radius', '3px');
    element.style.setProperty('--buy-button-font-size', '21px');
    element.style.setProperty('--buy-button-min-height', '60px');
    const style = getComputedStyle(part(element, 'button'));
    expect(style.backgroundColor).toBe('rgb(1, 2, 3)');
    expect(style.color).toBe('rgb(250, 240, 230)');
    expect(style.borderTopLeftRadius).toBe('3px');
    expect(style.fontSize).toBe('21px');
    expect(style.minHeight).toBe('60px');
  });

  it('parts can be styled from the page', async () => {
    const style = document.createElement('style');
    style.textContent = 'buy-button.themed::part(button) { text-transform: uppercase }';
    document.head.append(style);
    const { element } = await mount('<buy-button class="themed" button="b"></buy-button>');
    expect(getComputedStyle(part(element, 'button')).textTransform).toBe('uppercase');
    style.remove();
  });
});

describe('<buy-button> checkout', () => {
  it('posts the request with an Idempotency-Key, stores the session and fires buy-button-session', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_donation" endpoint="${bff.endpoint}" price="12.50" currency="eur"
         button-name="Donation" return-url="/return?order={ORDER_REF}&receipt={RECEIPT}"
         cancel-url="https://shop.test/cancel" locale="fr-FR"></buy-button>`,
    );
    stayOnPage(element);
    const session = nextEvent<BuyButtonSessionEvent>(document, 'buy-button-session');
    await userEvent.click(part(element, 'button'));
    const { detail } = await session;

    expect(detail).toEqual({
      sessionId: expect.any(String),
      orderRef: expect.any(String),
      conversionCode: expect.any(String),
      redirectUrl: expect.stringMatching(/^https:\/\/portal\.test\/pay\?code=/),
      receipt: expect.any(String),
    });
    const [request, ...more] = await bff.requests();
    expect(more).toEqual([]);
    expect(request?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(request?.body).toEqual({
      button: 'btn_donation',
      price: '12.50',
      currency: 'EUR',
      buttonName: 'Donation',
      // Resolved against the page; the placeholders survive for the BFF.
      returnUrl: `${location.origin}/return?order={ORDER_REF}&receipt={RECEIPT}`,
      cancelUrl: 'https://shop.test/cancel',
      locale: 'fr-FR',
    });
    const stored = readStoredSession(detail.orderRef);
    expect(stored).toMatchObject({
      sessionId: detail.sessionId,
      orderRef: detail.orderRef,
      receipt: detail.receipt,
      endpoint: bff.endpoint,
    });
    expect(JSON.parse(sessionStorage.getItem(STORAGE_KEY_LAST) ?? '{}').orderRef).toBe(
      detail.orderRef,
    );
    expect(sessionStorage.getItem(storageKey(detail.orderRef))).toBeTruthy();
    // The page handled the redirect: the button is ready again.
    await expect.poll(() => element.status).toBe(CheckoutStatus.Idle);
  });

  it('navigates to the portal when the page lets it', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    const navigate = vi.spyOn(element, 'navigate').mockImplementation(() => {});
    await element.checkout();
    expect(navigate).toHaveBeenCalledExactlyOnceWith(
      expect.stringMatching(/^https:\/\/portal\.test\/pay/),
    );
    expect(element.status).toBe(CheckoutStatus.Redirecting);
    await element.updateComplete;
    // Still busy while the browser leaves; a further click does nothing.
    expect(part(element, 'button').getAttribute('aria-busy')).toBe('true');
    await element.checkout();
    expect(await bff.requests()).toHaveLength(1);
  });

  it('a vetoed click sends nothing and changes nothing', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    const session = vi.fn();
    element.addEventListener('buy-button-session', session);
    element.addEventListener('buy-button-click', (event) => event.preventDefault());
    await userEvent.click(part(element, 'button'));
    await element.checkout();
    expect(await bff.requests()).toEqual([]);
    expect(session).not.toHaveBeenCalled();
    expect(element.status).toBe(CheckoutStatus.Idle);
  });

  it('click handlers can still change the request (e.g. an amount field)', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_donation" endpoint="${bff.endpoint}" price="10.00" currency="EUR"></buy-button>`,
    );
    stayOnPage(element);
    element.addEventListener('buy-button-click', (event) => {
      expect(event.detail).toMatchObject({ button: 'btn_donation', price: '10.00' });
      element.price = '42.00';
    });
    await element.checkout();
    expect((await bff.requests())[0]?.body.price).toBe('42.00');
  });

  it('while working: busy, focused, spinner shown, and any number of clicks make one request', async () => {
    const bff = fakeBff('hold');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    stayOnPage(element);
    const clicks = vi.fn();
    element.addEventListener('buy-button-click', clicks);
    const button = part(element, 'button');

    await userEvent.click(button);
    await expect.poll(() => button.getAttribute('aria-busy')).toBe('true');
    expect(element.status).toBe(CheckoutStatus.Creating);
    expect(part(element, 'spinner').hidden).toBe(false);
    expect(button.hasAttribute('disabled')).toBe(false);
    expect(element.shadowRoot?.activeElement).toBe(button);

    await userEvent.dblClick(button);
    await userEvent.tripleClick(button);
    await userEvent.keyboard('{Enter}');
    await expect.poll(async () => (await bff.requests()).length).toBe(1);

    const session = nextEvent(element, 'buy-button-session');
    await bff.release();
    await session;
    await element.updateComplete;
    expect(button.hasAttribute('aria-busy')).toBe(false);
    expect(part(element, 'spinner').hidden).toBe(true);
    expect(clicks).toHaveBeenCalledOnce();
    expect(await bff.requests()).toHaveLength(1);
  });

  it('works from the keyboard alone (Enter and Space)', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    stayOnPage(element);
    let session = nextEvent(element, 'buy-button-session');
    element.focus();
    await userEvent.keyboard('{Enter}');
    await session;
    await expect.poll(() => element.status).toBe(CheckoutStatus.Idle);
    session = nextEvent(element, 'buy-button-session');
    await userEvent.keyboard(' ');
    await session;
    const keys = (await bff.requests()).map((request) => request.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
  });

  it('retries once after a network failure, with the same Idempotency-Key', async () => {
    const bff = fakeBff('drop-once');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    stayOnPage(element);
    const errors = vi.fn();
    element.addEventListener('buy-button-error', errors);
    const session = nextEvent<BuyButtonSessionEvent>(element, 'buy-button-session');
    await element.checkout();
    await session;
    const requests = await bff.requests();
    expect(requests).toHaveLength(2);
    expect(requests[1]?.idempotencyKey).toBe(requests[0]?.idempotencyKey);
    expect(errors).not.toHaveBeenCalled();
  });

  it('reports a network failure after the one retry and works again', async () => {
    const bff = fakeBff('drop');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" locale="en"></buy-button>`,
    );
    const error = nextEvent<BuyButtonErrorEvent>(document, 'buy-button-error');
    await element.checkout();
    expect((await error).detail).toEqual({
      code: 'network',
      message: 'No connection to the payment service. Please try again.',
    });
    const requests = await bff.requests();
    expect(requests).toHaveLength(2);
    expect(requests[1]?.idempotencyKey).toBe(requests[0]?.idempotencyKey);
    expect(element.status).toBe(CheckoutStatus.Error);
  });

  it.each([
    {
      status: 400,
      code: 'rejected',
      message: 'This payment could not be started.',
    },
    {
      status: 404,
      code: 'rejected',
      message: 'This payment could not be started.',
    },
    { status: 429, code: 'rate-limited', message: 'Too many attempts. Please wait a minute.' },
    {
      status: 502,
      code: 'unavailable',
      message: 'Payment is unavailable right now. Please try again.',
    },
    {
      status: 503,
      code: 'unavailable',
      message: 'Payment is unavailable right now. Please try again.',
    },
  ])(
    'an HTTP $status answer: $code, shown in the alert, no retry, usable again',
    async ({ status, code, message }) => {
      const failing = fakeBff(`problem-${status}`);
      const { element } = await mount(
        `<buy-button button="btn_coffee" endpoint="${failing.endpoint}" locale="en"></buy-button>`,
      );
      const error = nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error');
      await userEvent.click(part(element, 'button'));
      const { detail } = await error;
      expect(detail).toMatchObject({ code, status, message, problem: { status } });
      expect(await failing.requests()).toHaveLength(1);

      await element.updateComplete;
      const alert = part(element, 'error');
      expect(alert.getAttribute('role')).toBe('alert');
      expect(alert.textContent).toBe(message);
      // The server's own words are for logs, not shoppers.
      expect(alert.textContent).not.toContain('server-side detail');
      const button = part(element, 'button');
      expect(button.getAttribute('aria-describedby')).toBe(alert.id);
      expect(button.hasAttribute('aria-busy')).toBe(false);

      // Usable again: the next attempt goes through and clears the message. It goes to another
      // endpoint, so it is another request, with a new key (even after a 5xx).
      const working = fakeBff('ok');
      element.endpoint = working.endpoint;
      stayOnPage(element);
      const session = nextEvent(element, 'buy-button-session');
      await userEvent.click(button);
      await session;
      await element.updateComplete;
      expect(alert.textContent).toBe('');
      expect((await working.requests())[0]?.idempotencyKey).not.toBe(
        (await failing.requests())[0]?.idempotencyKey,
      );
    },
  );

  it('localizes the error message (fr)', async () => {
    const bff = fakeBff('problem-503');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
      {
        lang: 'fr',
      },
    );
    const error = nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error');
    await element.checkout();
    expect((await error).detail.message).toBe(
      'Paiement indisponible pour le moment. Veuillez réessayer.',
    );
    await element.updateComplete;
    expect(part(element, 'error').textContent).toBe((await error).detail.message);
  });

  it('gives up after its timeout', async () => {
    const bff = fakeBff('hang');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    element.timeout = 300;
    const error = nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error');
    await element.checkout();
    expect((await error).detail.code).toBe('timeout');
    // A timeout is not retried: the request may still be running on the server.
    expect(await bff.requests()).toHaveLength(1);
    expect(element.status).toBe(CheckoutStatus.Error);
  });

  it.each([-1, 0, Number.NaN])('falls back to the default timeout for %s', async (timeout) => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    stayOnPage(element);
    element.timeout = timeout;
    const session = nextEvent(element, 'buy-button-session');
    await element.checkout();
    await session;
  });

  it('treats a 201 that is not a session as unavailable', async () => {
    const bff = fakeBff('garbage');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    const error = nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error');
    await element.checkout();
    expect((await error).detail).toMatchObject({ code: 'unavailable', status: 201 });
  });

  it('events bubble out of the shadow root and are typed', async () => {
    const bff = fakeBff('ok');
    const { element, container } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    stayOnPage(element);
    const seen: Event[] = [];
    for (const type of ['buy-button-click', 'buy-button-session']) {
      container.addEventListener(type, (event) => seen.push(event));
    }
    await element.checkout();
    expect(
      seen.map((event) => [event.type, event.bubbles, event.composed, event.cancelable]),
    ).toEqual([
      ['buy-button-click', true, true, true],
      ['buy-button-session', true, true, true],
    ]);
  });

  it('is ready again when the page comes back from the back/forward cache', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    vi.spyOn(element, 'navigate').mockImplementation(() => {});
    await element.checkout();
    expect(element.status).toBe(CheckoutStatus.Redirecting);
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(element.status).toBe(CheckoutStatus.Idle);
  });
});

describe('<buy-button> redirect URL', () => {
  // The BFF's answer decides where the shopper is sent: anything but an absolute http(s) URL
  // (script, data, or a URL that would resolve against the shop's page) is never navigated to.
  it.each([
    'javascript:alert(document.domain)',
    'JavaScript:alert(1)',
    '  javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    '/pay?code=relative',
    'pay?code=relative',
    '//portal.test/pay?code=scheme-relative',
    'ftp://portal.test/pay',
  ])('%j is refused: buy-button-error, message shown, usable again', async (redirectUrl) => {
    const bff = fakeBff(`redirect-${encodeURIComponent(redirectUrl)},ok`);
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" locale="en"></buy-button>`,
    );
    const navigate = vi.spyOn(element, 'navigate').mockImplementation(() => {});
    const sessions = vi.fn();
    element.addEventListener('buy-button-session', sessions);
    const error = nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error');

    await userEvent.click(part(element, 'button'));
    expect((await error).detail).toEqual({
      code: 'unavailable',
      status: 201,
      message: 'Payment is unavailable right now. Please try again.',
    });
    // Answered as asked: the refusal is the element's.
    expect((await bff.requests())[0]?.sessionId).toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();
    expect(sessions).not.toHaveBeenCalled();
    expect(readStoredSession()).toBeUndefined();
    expect(element.status).toBe(CheckoutStatus.Error);
    await element.updateComplete;
    const button = part(element, 'button');
    expect(part(element, 'error').textContent).toBe(
      'Payment is unavailable right now. Please try again.',
    );
    expect(button.hasAttribute('aria-busy')).toBe(false);
    expect(button.hasAttribute('disabled')).toBe(false);

    // Usable again: the next answer is a portal URL, and only that one is navigated to.
    await userEvent.click(button);
    await expect.poll(() => navigate.mock.calls.length).toBe(1);
    expect(navigate).toHaveBeenCalledExactlyOnceWith(
      expect.stringMatching(/^https:\/\/portal\.test\/pay\?code=/),
    );
    expect(sessions).toHaveBeenCalledOnce();
  });
});

describe('<buy-button> Idempotency-Key across clicks', () => {
  /** Mounts a button on `modes` of the fake BFF whose requests time out after 300 ms. */
  async function impatient(modes: string, attributes = '') {
    const bff = fakeBff(modes);
    const { element } = await mount(
      `<buy-button button="btn_donation" endpoint="${bff.endpoint}" price="10.00" currency="EUR"
         return-url="/return?order={ORDER_REF}" cancel-url="/cancel" ${attributes}></buy-button>`,
    );
    element.timeout = 300;
    stayOnPage(element);
    return { bff, element };
  }

  /** One click, resolved with the event that ended it. */
  async function click(element: BuyButtonElement) {
    const outcome = Promise.race([
      nextEvent<BuyButtonSessionEvent>(element, 'buy-button-session'),
      nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error'),
    ]);
    await userEvent.click(part(element, 'button'));
    return outcome;
  }

  const keys = async (bff: ReturnType<typeof fakeBff>) =>
    (await bff.requests()).map((request) => request.idempotencyKey);

  it('a click after a timeout sends the same key: the BFF replays the session, no second one', async () => {
    const { bff, element } = await impatient('hang,ok');
    expect((await click(element)).detail).toMatchObject({ code: 'timeout' });
    // The timeout is not part of the request: a longer one keeps the key.
    element.timeout = DEFAULT_TIMEOUT_MS;
    const retried = await click(element);
    expect(retried.type).toBe('buy-button-session');

    const [first, second, ...more] = await bff.requests();
    expect(more).toEqual([]);
    expect(first?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
    expect(second?.body).toEqual(first?.body);
    // The session the timed-out request created is the one the shopper gets.
    expect(second?.sessionId).toBe(first?.sessionId);
    expect((retried as BuyButtonSessionEvent).detail.sessionId).toBe(first?.sessionId);

    // After that success, a new click is a new checkout: a new key.
    await click(element);
    const [, , third] = await bff.requests();
    expect(third?.idempotencyKey).not.toBe(first?.idempotencyKey);
    expect(third?.sessionId).not.toBe(first?.sessionId);
  });

  it('a click after a network failure (no answer, twice) sends the same key', async () => {
    const { bff, element } = await impatient('drop,drop,ok');
    expect((await click(element)).detail).toMatchObject({ code: 'network' });
    expect((await click(element)).type).toBe('buy-button-session');
    const sent = await keys(bff);
    expect(sent).toHaveLength(3);
    expect(new Set(sent).size).toBe(1);
  });

  it.each([409, 500, 502, 503, 504])(
    'a click after a %i answer (the BFF may have made, or be making, the session) sends the same key',
    async (status) => {
      const { bff, element } = await impatient(`problem-${status},ok`);
      expect((await click(element)).detail).toMatchObject({ status });
      expect((await click(element)).type).toBe('buy-button-session');
      const [first, second] = await keys(bff);
      expect(first).toBeTruthy();
      expect(second).toBe(first);
    },
  );

  it.each([
    'problem-400',
    'problem-403',
    'problem-404',
    'problem-422',
    'problem-429',
    'garbage',
    `redirect-${encodeURIComponent('javascript:alert(1)')}`,
  ])('a click after a definite answer (%s) sends a new key', async (mode) => {
    const { bff, element } = await impatient(`${mode},ok`);
    expect((await click(element)).type).toBe('buy-button-error');
    expect((await click(element)).type).toBe('buy-button-session');
    const [first, second] = await keys(bff);
    expect(first).toBeTruthy();
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
  });

  it('a timeout, then a 400 for the same key: the click after the 400 sends a new key', async () => {
    const { bff, element } = await impatient('hang,problem-400,ok');
    expect((await click(element)).detail).toMatchObject({ code: 'timeout' });
    expect((await click(element)).detail).toMatchObject({ code: 'rejected', status: 400 });
    expect((await click(element)).type).toBe('buy-button-session');
    const [first, second, third] = await keys(bff);
    expect(second).toBe(first);
    expect(third).not.toBe(first);
  });

  it.each([
    { property: 'price', value: '12.50' },
    { property: 'currency', value: 'USD' },
    { property: 'returnUrl', value: '/elsewhere?order={ORDER_REF}' },
    { property: 'cancelUrl', value: '/cancel-elsewhere' },
    { property: 'button', value: 'btn_other' },
    { property: 'locale', value: 'fr' },
  ] as const)(
    'after a timeout, a different $property is a different request: a new key',
    async ({ property, value }) => {
      const { bff, element } = await impatient('hang,ok');
      expect((await click(element)).detail).toMatchObject({ code: 'timeout' });
      element[property] = value;
      await element.updateComplete;
      expect((await click(element)).type).toBe('buy-button-session');
      const [first, second] = await bff.requests();
      expect(second?.body).not.toEqual(first?.body);
      expect(second?.idempotencyKey).toBeTruthy();
      expect(second?.idempotencyKey).not.toBe(first?.idempotencyKey);
      expect(second?.sessionId).not.toBe(first?.sessionId);
    },
  );

  it('after a timeout, an amount changed by a click handler (an amount field) gets a new key', async () => {
    const { bff, element } = await impatient('hang,ok');
    const amount = { value: '10.00' };
    element.addEventListener('buy-button-click', () => {
      element.price = amount.value;
    });
    expect((await click(element)).detail).toMatchObject({ code: 'timeout' });
    amount.value = '25.00';
    expect((await click(element)).type).toBe('buy-button-session');
    // And the amount back to the first one, after that success: a new key again.
    amount.value = '10.00';
    await click(element);
    const requests = await bff.requests();
    expect(requests.map((request) => request.body.price)).toEqual(['10.00', '25.00', '10.00']);
    expect(new Set(requests.map((request) => request.idempotencyKey)).size).toBe(3);
  });

  it('after a timeout, the same request with a different amount and back again is new each time', async () => {
    const { bff, element } = await impatient('hang');
    await click(element);
    element.price = '11.00';
    await element.updateComplete;
    await click(element);
    element.price = '10.00';
    await element.updateComplete;
    await click(element);
    const sent = await keys(bff);
    expect(sent).toHaveLength(3);
    // Only the last unsettled request's key is kept: going back to the first amount is new.
    expect(new Set(sent).size).toBe(3);
  });

  it('the key belongs to the element: another button with the same request gets its own, and it is not stored', async () => {
    const { bff, element } = await impatient('hang,ok');
    const { element: twin } = await mount(element.outerHTML);
    twin.timeout = 300;
    stayOnPage(twin);
    expect((await click(element)).detail).toMatchObject({ code: 'timeout' });
    expect((await click(twin)).type).toBe('buy-button-session');
    const [first, second] = await bff.requests();
    expect(second?.body).toEqual(first?.body);
    expect(second?.idempotencyKey).not.toBe(first?.idempotencyKey);
    const key = first?.idempotencyKey ?? 'no key';
    for (const storage of [sessionStorage, localStorage]) {
      expect(Object.values({ ...storage }).join('\n')).not.toContain(key);
    }
  });

  it('a vetoed click neither sends nor forgets the kept key', async () => {
    const { bff, element } = await impatient('hang,ok');
    expect((await click(element)).detail).toMatchObject({ code: 'timeout' });
    const veto = (event: Event) => event.preventDefault();
    element.addEventListener('buy-button-click', veto);
    await element.checkout();
    element.removeEventListener('buy-button-click', veto);
    expect((await click(element)).type).toBe('buy-button-session');
    const [first, second, ...more] = await keys(bff);
    expect(more).toEqual([]);
    expect(second).toBe(first);
  });
});

describe('<buy-button> misconfigured', () => {
  it.each([
    { markup: '<buy-button></buy-button>', reason: /disabled: no "button"/ },
    { markup: '<buy-button button="  "></buy-button>', reason: /disabled: no "button"/ },
    {
      markup: '<buy-button button="b" endpoint="ftp://bff.test"></buy-button>',
      reason: /disabled: endpoint "ftp:\/\/bff\.test" is not http\(s\)/,
    },
  ])(
    '$markup: warns once, explains and stays disabled, never throws',
    async ({ markup, reason }) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const { element } = await mount(markup, { lang: 'en' });
      expect(warn).toHaveBeenCalledOnce();
      expect(String(warn.mock.calls[0]?.[0])).toMatch(reason);
      const button = part(element, 'button') as HTMLButtonElement;
      expect(button.disabled).toBe(true);
      const note = part(element, 'error');
      expect(note.textContent).toBe('This payment button is not available.');
      expect(button.getAttribute('aria-describedby')).toBe(note.id);

      const error = nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error');
      await element.checkout();
      expect((await error).detail.code).toBe('invalid-config');
      element.requestUpdate();
      await element.updateComplete;
      expect(warn).toHaveBeenCalledOnce();
      warn.mockRestore();
    },
  );

  it('recovers once the missing attribute is set', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { element } = await mount('<buy-button></buy-button>');
    element.setAttribute('button', 'btn_coffee');
    await element.updateComplete;
    expect((part(element, 'button') as HTMLButtonElement).disabled).toBe(false);
    expect(part(element, 'error').getAttribute('role')).toBe('alert');
    warn.mockRestore();
  });

  it('a disabled button does nothing', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="b" endpoint="${bff.endpoint}" disabled></buy-button>`,
    );
    expect((part(element, 'button') as HTMLButtonElement).disabled).toBe(true);
    await element.checkout();
    expect(await bff.requests()).toEqual([]);
  });
});

describe('<buy-button> no-JavaScript fallback form', () => {
  it('keeps the form in the light DOM but out of sight, and takes its fields as defaults', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button price="4.50" currency="EUR">
         <form method="post" action="${bff.endpoint}/sessions">
           <input type="hidden" name="button" value="btn_coffee">
           <input type="hidden" name="returnUrl" value="https://shop.test/return?order={ORDER_REF}">
           <button type="submit">Pay 4.50 € with crypto</button>
         </form>
       </buy-button>`,
      { lang: 'en' },
    );
    const form = element.querySelector('form');
    expect(form?.isConnected).toBe(true);
    expect(form?.checkVisibility()).toBe(false);
    expect(labelText(element)).toBe('Pay €4.50 with crypto');
    // One button for assistive technologies: the element's own.
    const submit = form?.querySelector('button');
    expect(submit?.checkVisibility()).toBe(false);

    stayOnPage(element);
    const session = nextEvent(element, 'buy-button-session');
    await userEvent.click(part(element, 'button'));
    await session;
    expect((await bff.requests())[0]?.body).toMatchObject({
      button: 'btn_coffee',
      returnUrl: 'https://shop.test/return?order={ORDER_REF}',
      price: '4.50',
    });
  });
});

describe('registration', () => {
  it('defining twice is harmless, from either build', async () => {
    const registered = customElements.get('buy-button');
    expect(registered).toBe(BuyButtonElement);
    defineBuyButton();
    await import('./define.js');
    // A second copy of the class (e.g. the script-tag bundle next to the npm package).
    class OtherCopy extends BuyButtonElement {}
    const define = vi.spyOn(customElements, 'define');
    defineBuyButton();
    if (!customElements.get('buy-button')) customElements.define('buy-button', OtherCopy);
    expect(define).not.toHaveBeenCalled();
    expect(customElements.get('buy-button')).toBe(registered);
    define.mockRestore();
  });

  it('upgrades elements already in the page', async () => {
    const { element } = await mount('<buy-button button="b"></buy-button>');
    expect(element).toBeInstanceOf(BuyButtonElement);
    expect(document.createElement('buy-button')).toBeInstanceOf(BuyButtonElement);
  });
});
