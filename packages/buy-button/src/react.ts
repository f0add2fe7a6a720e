/**
 * `@buy-button/element/react`: a React component wrapping `<buy-button>` (React 18 and 19), with
 * the element's events as `onBuyButtonClick`, `onBuyButtonSession` and `onBuyButtonError` props.
 * React 19 can also use `<buy-button>` directly: importing this entry types that tag too.
 *
 * Rendered on a server (`renderToString`, streaming), it writes the element's properties as
 * attributes (`<buy-button button="btn_coffee" price="4.50" return-url="…">`), so the element
 * that upgrades before React hydrates already has them: no "not available" flash.
 *
 * @example
 * import { BuyButton } from '@buy-button/element/react';
 * <BuyButton button="btn_coffee" price="4.50" currency="EUR"
 *   onBuyButtonSession={(event) => console.log(event.detail.orderRef)} />
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { BuyButtonElement } from './buy-button-element.js';
import type { BuyButtonClickEvent, BuyButtonErrorEvent, BuyButtonSessionEvent } from './events.js';
// Registers `<buy-button>` (in a browser) where the wrapper is used.
import './define.js';

// The React 19 JSX typings of `<buy-button>` come with the wrapper.
export type * from './jsx-react.js';

const events = {
  onBuyButtonClick: 'buy-button-click' as EventName<BuyButtonClickEvent>,
  onBuyButtonSession: 'buy-button-session' as EventName<BuyButtonSessionEvent>,
  onBuyButtonError: 'buy-button-error' as EventName<BuyButtonErrorEvent>,
};

const ClientBuyButton = createComponent({
  tagName: 'buy-button',
  elementClass: BuyButtonElement,
  react: React,
  events,
  displayName: 'BuyButton',
});

/** Property name → attribute name (`returnUrl` → `return-url`), from the element's own list. */
const ATTRIBUTES = new Map(
  Object.entries(BuyButtonElement.properties as Record<string, { attribute?: string }>).map(
    ([property, { attribute }]) => [property, attribute ?? property.toLowerCase()],
  ),
);

/**
 * The server's rendering: `@lit/react` sets the element's properties only once mounted in a
 * browser, so a server would write a bare `<buy-button>`. Here they become attributes (a boolean
 * one present when `true`); listeners, which only a browser can use, are left out; anything else
 * (`id`, `className`, `data-*`, children…) goes through as React renders it.
 */
const ServerBuyButton = React.forwardRef<BuyButtonElement, Record<string, unknown>>(
  function BuyButton(props, _ref) {
    const attributes: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(props)) {
      const attribute = ATTRIBUTES.get(name);
      if (name in events) continue;
      if (attribute === undefined) attributes[name] = value;
      else if (value === true) attributes[attribute] = '';
      else if (value !== false && value !== null && value !== undefined) {
        attributes[attribute] = String(value);
      }
    }
    return React.createElement('buy-button', attributes);
  },
);

export const BuyButton: typeof ClientBuyButton =
  typeof document === 'undefined'
    ? (ServerBuyButton as unknown as typeof ClientBuyButton)
    : ClientBuyButton;
