/**
 * Svelte 5 typings of `<buy-button>`: `import type {} from '@buy-button/element/svelte'` once
 * (e.g. in `app.d.ts`); `onbuy-button-session={…}` is then typed.
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { BuyButtonAttributes, BuyButtonEventAttributes } from './attributes.js';
import type { BuyButtonElement } from './buy-button-element.js';

export type BuyButtonSvelteAttributes = Omit<HTMLAttributes<BuyButtonElement>, 'disabled'> &
  BuyButtonAttributes &
  BuyButtonEventAttributes;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'buy-button': BuyButtonSvelteAttributes;
  }
}
