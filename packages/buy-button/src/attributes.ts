import type { BuyButtonClickEvent, BuyButtonErrorEvent, BuyButtonSessionEvent } from './events.js';

/** The element's attributes, as templates write them (shared by the framework typings). */
export interface BuyButtonAttributes {
  button?: string;
  endpoint?: string;
  price?: string | number;
  currency?: string;
  'button-name'?: string;
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
