/**
 * Vue typings of `<buy-button>` for `vue-tsc`: `import type {} from '@buy-button/element/vue'`
 * once. Vue itself must be told the tag is a custom element
 * (`compilerOptions.isCustomElement: (tag) => tag === 'buy-button'`).
 *
 * The props are Vue's own `HTMLAttributes` (`id`, `title`, `lang`, `hidden`, `aria-*`, `onClick`…)
 * plus the element's attributes and events, so `strictTemplates` accepts what a template puts on
 * an HTML element, and catches a misspelt attribute or event.
 */
import type { DefineSetupFnComponent, HTMLAttributes } from 'vue';
import type { BuyButtonAttributes } from './attributes.js';
import type { BuyButtonClickEvent, BuyButtonErrorEvent, BuyButtonSessionEvent } from './events.js';

export interface BuyButtonVueProps
  extends Omit<HTMLAttributes, keyof BuyButtonAttributes>,
    BuyButtonAttributes {
  /**
   * `data-*` attributes, as `vue-tsc` passes them to a component (`data-sku` → `dataSku`), or
   * as written where `vueCompilerOptions.dataAttributes` keeps them so.
   */
  [data: `data${Capitalize<string>}` | `data-${string}`]: unknown;
  /** `vue-tsc` checks `button-name="…"`, `return-url="…"`, `cancel-url="…"` as these. */
  buttonName?: string;
  returnUrl?: string;
  cancelUrl?: string;
  onBuyButtonClick?: (event: BuyButtonClickEvent) => void;
  onBuyButtonSession?: (event: BuyButtonSessionEvent) => void;
  onBuyButtonError?: (event: BuyButtonErrorEvent) => void;
}

declare module 'vue' {
  interface GlobalComponents {
    'buy-button': DefineSetupFnComponent<BuyButtonVueProps>;
  }
}
