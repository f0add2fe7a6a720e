import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBff } from '../test/fixtures.js';
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
