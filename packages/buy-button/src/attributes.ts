import type { BuyButtonClickEvent, BuyButtonErrorEvent, BuyButtonSessionEvent } from './events.js';

/** The element's attributes, as templates write them (shared by the framework typings). */
export interface BuyButtonAttributes {
  button?: string;
  endpoint?: string;
  price?: string | number;
  currency?: string;
  /** Units bought, a whole number from 1 (default 1). */
  quantity?: number | `${number}`;
  'button-name'?: string;
  /** The shop's own id for the checkout: 1 to 64 of `[A-Za-z0-9._:-]`. */
  reference?: string;
  'return-url'?: string;
  'cancel-url'?: string;
  locale?: string;
  label?: string;
  disabled?: boolean;
  /** Per-request timeout in milliseconds (default 15000). */
  timeout?: number | `${number}`;
}

/** Listeners as `on<event-name>` props (React 19, Svelte 5). */
export interface BuyButtonEventAttributes {
  'onbuy-button-click'?: (event: BuyButtonClickEvent) => void;
  'onbuy-button-session'?: (event: BuyButtonSessionEvent) => void;
  'onbuy-button-error'?: (event: BuyButtonErrorEvent) => void;
}
