import { afterEach, describe, expect, inject, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { LoggedRequest } from '../test/fixtures.js';
import type { BuyButtonElement } from './buy-button-element.js';
import type { BuyButtonErrorEvent } from './events.js';
import { LAZY_LANGUAGES } from './languages.js';
import { MESSAGES } from './messages.js';

// The script-tag bundle as a shop page loads it: built from the sources by the fake BFF's global
// setup and served at `<fake BFF>/buy-button.js`, into a page of its own (an iframe, whose
// custom-element registry is its own), on another origin than the BFF, as in production.
const bff = inject('fakeBffUrl');
const frames: HTMLIFrameElement[] = [];
afterEach(() => {
  for (const frame of frames.splice(0)) frame.remove();
});

type FrameWindow = Window & typeof globalThis;

/**
 * A shop page with `body` as its markup, loaded (scripts in the markup have run). A `blob:` page
 * has the test page's origin, as `location.origin` too (an `srcdoc` one says "null").
 */
async function shopPage(body: string, lang = 'en'): Promise<FrameWindow> {
  // The pointer a previous test file left where the frame will be would hover its button.
  const away = document.createElement('div');
  away.style.cssText = 'position:fixed;right:0;bottom:0;width:4px;height:4px';
  document.body.append(away);
  await userEvent.hover(away);
  away.remove();
  const frame = document.createElement('iframe');
  frames.push(frame);
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const html = `<!doctype html><html lang="${lang}"><head></head><body>${body}</body></html>`;
  frame.src = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  document.body.append(frame);
  await loaded;
  URL.revokeObjectURL(frame.src);
  const win = frame.contentWindow as FrameWindow | null;
  if (!win) throw new Error('no frame window');
  return win;
}

/** Adds a `<script>` to the page and waits for it to have run. */
async function addScript(win: FrameWindow, src: string, type?: 'module'): Promise<void> {
  const script = win.document.createElement('script');
  if (type) script.type = type;
  script.src = src;
  const ran = new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${src} did not load`));
  });
  win.document.head.append(script);
  await ran;
}

/** The page's `<buy-button>`s, defined by the bundle and rendered. */
async function buttons(win: FrameWindow): Promise<BuyButtonElement[]> {
  await win.customElements.whenDefined('buy-button');
  const found = [...win.document.querySelectorAll('buy-button')];
  await Promise.all(found.map((element) => element.updateComplete));
  return found;
}

/** Clicks `element` and answers what the fake BFF's `POST /sessions` (its root) got for `button`. */
async function checkoutReaching(element: BuyButtonElement, button: string) {
  element.addEventListener('buy-button-session', (event) => event.preventDefault());
  await element.checkout();
  const log = (await (await fetch(`${bff}/root/log`)).json()) as LoggedRequest[];
  return log.filter((request) => request.body.button === button);
}

const uniqueButton = () => `btn_${Math.random().toString(36).slice(2, 10)}`;

describe('script-tag bundle', () => {
  it('as a classic <script async src>: checkouts go to the BFF that served it', async () => {
    const button = uniqueButton();
    const win = await shopPage(
      `<buy-button button="${button}"></buy-button>
       <script async src="${bff}/buy-button.js"></script>`,
    );
    const [element] = await buttons(win);
    if (!element) throw new Error('no <buy-button>');
    // The bundle's own class, registered in the page, not the test's copy.
    expect(element.constructor).toBe(win.customElements.get('buy-button'));
    expect(element.constructor).not.toBe(customElements.get('buy-button'));
    expect(await checkoutReaching(element, button)).toHaveLength(1);
    // Styled by its own stylesheet (the bundle's stand-in for Lit's css-tag).
    const inner = element.shadowRoot?.querySelector('button');
    expect(inner && win.getComputedStyle(inner).backgroundColor).toBe('rgb(29, 78, 216)');
    expect(inner?.textContent?.trim()).toBe('Pay with crypto');

    // A refusal renders as in the npm build (the bundle's Lit is trimmed and mangled).
    const told: unknown[][] = [];
    win.console.error = (...args: unknown[]) => told.push(args);
    element.endpoint = `${bff}/bundle-${button}/problem-403-forbidden-origin`;
    element.price = '4.50';
    element.currency = 'EUR';
    await element.updateComplete;
    expect(inner?.textContent?.trim()).toBe('Pay €4.50 with crypto');
    await element.checkout();
    await element.updateComplete;
    const alert = element.shadowRoot?.querySelector('[part="error"]');
    expect(alert?.textContent).toBe('Payments are not set up for this page.');
    expect(inner?.getAttribute('aria-describedby')).toBe('message');
    expect(told).toHaveLength(1);
  });

  it('as <script type="module" src> (no document.currentScript): still the BFF that served it', async () => {
    const button = uniqueButton();
    const win = await shopPage(
      `<buy-button button="${button}"></buy-button>
       <script type="module" src="${bff}/buy-button.js?v=2"></script>`,
    );
    const warn: unknown[][] = [];
    win.console.warn = (...args: unknown[]) => warn.push(args);
    const [element] = await buttons(win);
    if (!element) throw new Error('no <buy-button>');
    expect(await checkoutReaching(element, button)).toHaveLength(1);
    expect(warn).toEqual([]);
  });

  it('when the script cannot be told apart, an element without endpoint says how to set it, once', async () => {
    const win = await shopPage(
      `<buy-button button="with_endpoint" endpoint="${bff}/t/ok"></buy-button>`,
    );
    const warn: unknown[][] = [];
    win.console.warn = (...args: unknown[]) => warn.push(args);
    await addScript(win, `${bff}/assets/element.js`, 'module');
    await buttons(win);
    // Its endpoint given, the element needs no default: nothing said.
    expect(warn).toEqual([]);

    win.document.body.insertAdjacentHTML(
      'beforeend',
      '<buy-button button="a"></buy-button><buy-button button="b"></buy-button>',
    );
    const all = await buttons(win);
    for (const element of all) element.requestUpdate();
    await Promise.all(all.map((element) => element.updateComplete));
    expect(warn).toHaveLength(1);
    expect(String(warn[0]?.[0])).toMatch(
      /^buy-button: set endpoint="https:\/\/<your BFF>" on <buy-button>: .* so http:\/\/localhost:\d+ is used$/,
    );
    // And the page's origin is what it falls back to, as documented.
    expect((win.customElements.get('buy-button') as typeof BuyButtonElement).defaultEndpoint).toBe(
      win.location.origin,
    );
  });

  it('as a classic script under another name: document.currentScript still tells', async () => {
    const button = uniqueButton();
    const win = await shopPage(`<buy-button button="${button}"></buy-button>`);
    const warn: unknown[][] = [];
    win.console.warn = (...args: unknown[]) => warn.push(args);
    await addScript(win, `${bff}/assets/element.js`);
    const [element] = await buttons(win);
    if (!element) throw new Error('no <buy-button>');
    expect(await checkoutReaching(element, button)).toHaveLength(1);
    expect(warn).toEqual([]);
  });

  it('a page may still set the default endpoint itself', async () => {
    const button = uniqueButton();
    const win = await shopPage(`<buy-button button="${button}"></buy-button>`);
    const warn: unknown[][] = [];
    win.console.warn = (...args: unknown[]) => warn.push(args);
    await addScript(win, `${bff}/assets/element.js`, 'module');
    await buttons(win);
    const ctor = win.customElements.get('buy-button') as typeof BuyButtonElement;
    ctor.defaultEndpoint = bff;
    const element = win.document.querySelector('buy-button');
    element?.requestUpdate();
    await element?.updateComplete;
    if (!element) throw new Error('no <buy-button>');
    expect(await checkoutReaching(element, button)).toHaveLength(1);
    // Said once, when it first rendered without one.
    expect(warn).toHaveLength(1);
  });
});

describe('script-tag bundle: languages loaded from the BFF', () => {
  const uniqueId = () => `lang${Math.random().toString(36).slice(2, 10)}`;
  const languagesFetched = async (id: string) =>
    (await (await fetch(`${bff}/${id}/languages`)).json()) as string[];
  const label = (element: BuyButtonElement) =>
    element.shadowRoot?.querySelector('[part="label"]')?.textContent?.trim();
  const euros = (locale: string, amount: number) =>
    new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(amount);

  /** A shop page in `lang` whose `fetch` calls are recorded, the bundle loaded after them. */
  async function pageWithBundle(body: string, lang: string) {
    const win = await shopPage(body, lang);
    const fetches: Array<[string, RequestInit | undefined]> = [];
    const fetch = win.fetch.bind(win);
    win.fetch = (input, init) => {
      fetches.push([String(input), init]);
      return fetch(input, init);
    };
    const warn: unknown[][] = [];
    win.console.warn = (...args: unknown[]) => warn.push(args);
    await addScript(win, `${bff}/buy-button.js`);
    return { win, fetches, warn, elements: await buttons(win) };
  }

  it('a de page: English at once and usable, German once buy-button.de.json arrives, fetched once for every element', async () => {
    const id = uniqueId();
    const endpoint = `${bff}/${id}/hold`;
    const { fetches, warn, elements } = await pageWithBundle(
      `<buy-button button="a" endpoint="${endpoint}" price="4.50" currency="EUR" quantity="2"></buy-button>
       <buy-button button="b" endpoint="${endpoint}"></buy-button>`,
      'de-DE',
    );
    const [first, second] = elements;
    if (!first || !second) throw new Error('no <buy-button>s');
    const de = MESSAGES.de;
    if (!de) throw new Error('no de messages');
    // Before the German texts arrive: English, with the total formatted for the page's locale.
    await expect.poll(() => languagesFetched(id)).toEqual(['de']);
    expect(label(first)).toBe(`Pay ${euros('de-DE', 9)} with crypto`);
    expect(label(second)).toBe('Pay with crypto');
    expect(first.shadowRoot?.querySelector('button')?.disabled).toBe(false);

    await fetch(`${bff}/${id}/release`, { method: 'POST' });
    await expect
      .poll(() => label(first))
      .toBe(de.labelWithPrice.replace('{amount}', euros('de-DE', 9)));
    await expect.poll(() => label(second)).toBe(de.label);
    // One request for the page, with no credentials, from the element's endpoint.
    const json = fetches.filter(([url]) => url.endsWith('.json'));
    expect(json).toEqual([[`${endpoint}/buy-button.de.json`, { credentials: 'omit' }]]);
    expect(await languagesFetched(id)).toEqual(['de']);
    expect(warn).toEqual([]);

    // Errors too, and another element of the page (another endpoint) asks for nothing more.
    second.endpoint = `${bff}/${id}/problem-503`;
    const failed = new Promise<BuyButtonErrorEvent>((resolve) =>
      second.addEventListener('buy-button-error', resolve, { once: true }),
    );
    await second.checkout();
    expect((await failed).detail.message).toBe(de.unavailable);
    await second.updateComplete;
    expect(second.shadowRoot?.querySelector('[part="error"]')?.textContent).toBe(de.unavailable);
    expect(fetches.filter(([url]) => url.endsWith('.json'))).toHaveLength(1);
  });

  it.each([
    ['pt-BR', 'pt'],
    ['es', 'es'],
    ['it-IT', 'it'],
    ['nl', 'nl'],
  ])(
    'a %s page loads buy-button.%s.json from the script’s BFF when no endpoint is set',
    async (lang, language) => {
      const { elements, fetches } = await pageWithBundle(
        `<buy-button button="${uniqueId()}"></buy-button>`,
        lang,
      );
      const [element] = elements;
      await expect
        .poll(() => element && label(element))
        .toBe(MESSAGES[language as keyof typeof MESSAGES]?.label);
      expect(fetches.map(([url]) => url)).toEqual([`${bff}/buy-button.${language}.json`]);
    },
  );

  it.each(['en', 'fr-CA', 'ja'])(
    'a %s page fetches no language: bundled, or English',
    async (lang) => {
      const { elements, fetches } = await pageWithBundle(
        `<buy-button button="${uniqueId()}"></buy-button>`,
        lang,
      );
      const [element] = elements;
      expect(element && label(element)).toBe(
        lang === 'fr-CA' ? 'Payer en crypto' : 'Pay with crypto',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(fetches).toEqual([]);
    },
  );

  it('a language that cannot be loaded stays English, usable, with one console warning', async () => {
    const id = uniqueId();
    const endpoint = `${bff}/${id}/problem-404`;
    const { elements, warn, fetches } = await pageWithBundle(
      `<buy-button button="a" endpoint="${endpoint}"></buy-button>
       <buy-button button="b" endpoint="${endpoint}"></buy-button>`,
      'nl',
    );
    await expect.poll(() => warn.length).toBe(1);
    expect(String(warn[0]?.[0])).toBe(
      `buy-button: ${endpoint}/buy-button.nl.json could not be loaded; English is shown`,
    );
    for (const element of elements) {
      element.requestUpdate();
      await element.updateComplete;
      expect(label(element)).toBe('Pay with crypto');
      expect(element.shadowRoot?.querySelector('button')?.disabled).toBe(false);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fetches).toHaveLength(1);
    expect(warn).toHaveLength(1);
  });

  it('every lazy language is served beside the bundle', async () => {
    for (const language of LAZY_LANGUAGES) {
      const response = await fetch(`${bff}/buy-button.${language}.json`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(MESSAGES[language]);
    }
  });
});
