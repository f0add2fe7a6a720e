import { afterEach, describe, expect, inject, it } from 'vitest';
import type { LoggedRequest } from '../test/fixtures.js';
import type { BuyButtonElement } from './buy-button-element.js';

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
async function shopPage(body: string): Promise<FrameWindow> {
  const frame = document.createElement('iframe');
  frames.push(frame);
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const html = `<!doctype html><html lang="en"><head></head><body>${body}</body></html>`;
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
