/**
 * `@buy-button/element/react`: a React component wrapping `<buy-button>` (React 18 and 19), with
 * the element's events as `onBuyButtonClick`, `onBuyButtonSession` and `onBuyButtonError` props.
 * React 19 can also use `<buy-button>` directly (see the JSX typings).
 *
 * @example
 * import { BuyButton } from '@buy-button/element/react';
 * <BuyButton button="btn_coffee" price="4.50" currency="EUR"
 *   onBuyButtonSession={(event) => console.log(event.detail.orderRef)} />
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { BuyButtonElement } from './buy-button-element.js';
import { defineBuyButton } from './define.js';
import type { BuyButtonClickEvent, BuyButtonErrorEvent, BuyButtonSessionEvent } from './events.js';

defineBuyButton();

export const BuyButton = createComponent({
  tagName: 'buy-button',
  elementClass: BuyButtonElement,
  react: React,
  events: {
    onBuyButtonClick: 'buy-button-click' as EventName<BuyButtonClickEvent>,
    onBuyButtonSession: 'buy-button-session' as EventName<BuyButtonSessionEvent>,
    onBuyButtonError: 'buy-button-error' as EventName<BuyButtonErrorEvent>,
  },
  displayName: 'BuyButton',
});
