import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from 'vitest/browser';
import { fakeBff, part } from '../test/fixtures.js';
import { BuyButtonElement } from './buy-button-element.js';
import type { BuyButtonSessionEvent } from './events.js';
import { BuyButton } from './react.js';

const host = document.createElement('div');
document.body.append(host);
const root = createRoot(host);
afterEach(() => flushSync(() => root.render(null)));

describe('React wrapper', () => {
  it('renders <buy-button> with its properties and hands its events to React props', async () => {
    const bff = fakeBff('ok');
    const sessions: string[] = [];
    const onSession = vi.fn((event: BuyButtonSessionEvent) => {
      event.preventDefault();
      sessions.push(event.detail.orderRef);
    });
    flushSync(() =>
      root.render(
        createElement(BuyButton, {
          button: 'btn_coffee',
          endpoint: bff.endpoint,
          price: '4.50',
          currency: 'EUR',
          locale: 'en',
          onBuyButtonSession: onSession,
        }),
      ),
    );
    const element = host.querySelector('buy-button');
    expect(element).toBeInstanceOf(BuyButtonElement);
    if (!element) return;
    await element.updateComplete;
    expect(element.price).toBe('4.50');
    await element.checkout();
    expect(onSession).toHaveBeenCalledOnce();
    expect(sessions[0]).toMatch(/^ord_/);
  });
});

describe('React wrapper, rendered on a server', () => {
  it('writes the properties as attributes, and hydrates with no transient state', async () => {
    const bff = fakeBff('ok');
    const props = {
      button: 'btn_coffee',
      endpoint: bff.endpoint,
      price: '4.50',
      currency: 'EUR',
      locale: 'en',
      returnUrl: '/thanks?order={ORDER_REF}',
      timeout: 20000,
      disabled: false,
      id: 'coffee',
      onBuyButtonSession: () => {},
    };
    const { html, globals } = await commands.renderReactOnServer(props);
    // Rendered in Node, without a DOM.
    expect(globals).toEqual({ document: 'undefined', HTMLElement: 'undefined' });
    const parsed = document.createElement('template');
    parsed.innerHTML = html;
    const tag = parsed.content.firstElementChild;
    expect(tag?.localName).toBe('buy-button');
    expect(Object.fromEntries(Array.from(tag?.attributes ?? [], (a) => [a.name, a.value]))).toEqual(
      {
        button: 'btn_coffee',
        endpoint: bff.endpoint,
        price: '4.50',
        currency: 'EUR',
        locale: 'en',
        'return-url': '/thanks?order={ORDER_REF}',
        timeout: '20000',
        id: 'coffee',
      },
    );

    // The page as served: the element upgrades at once (the tag is defined), before hydration.
    const warn = vi.spyOn(console, 'warn');
    const page = document.createElement('div');
    page.innerHTML = html;
    document.body.append(page);
    const element = page.querySelector('buy-button');
    if (!element?.shadowRoot) throw new Error('not upgraded');
    const shown: string[] = [];
    const record = () => {
      const message = element.shadowRoot?.querySelector('[part="error"]')?.textContent ?? '';
      const button = element.shadowRoot?.querySelector('button');
      shown.push(`${button?.disabled ? 'disabled' : 'enabled'}:${message}`);
    };
    const observer = new MutationObserver(record);
    observer.observe(element.shadowRoot, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    await element.updateComplete;
    record();

    const recoverable: unknown[] = [];
    const hydrated = hydrateRoot(page, createElement(BuyButton, props), {
      onRecoverableError: (error) => recoverable.push(error),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await element.updateComplete;
    record();
    observer.disconnect();

    expect(page.querySelector('buy-button')).toBe(element);
    expect(recoverable).toEqual([]);
    expect(new Set(shown)).toEqual(new Set(['enabled:']));
    expect(warn).not.toHaveBeenCalled();
    expect(part(element, 'button').textContent).toContain('Pay €4.50 with crypto');
    expect(element.timeout).toBe(20000);
    hydrated.unmount();
    page.remove();
    warn.mockRestore();
  });
});
