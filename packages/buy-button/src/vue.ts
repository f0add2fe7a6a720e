/**
 * Vue typings of `<buy-button>` for `vue-tsc`: `import type {} from '@buy-button/element/vue'`
 * once. Vue itself must be told the tag is a custom element
 * (`compilerOptions.isCustomElement: (tag) => tag === 'buy-button'`).
 */
import type { DefineSetupFnComponent } from 'vue';
import type { BuyButtonAttributes } from './attributes.js';
import type { BuyButtonClickEvent, BuyButtonErrorEvent, BuyButtonSessionEvent } from './events.js';

export interface BuyButtonVueProps extends BuyButtonAttributes {
  onBuyButtonClick?: (event: BuyButtonClickEvent) => void;
  onBuyButtonSession?: (event: BuyButtonSessionEvent) => void;
  onBuyButtonError?: (event: BuyButtonErrorEvent) => void;
}

declare module 'vue' {
  interface GlobalComponents {
    'buy-button': DefineSetupFnComponent<BuyButtonVueProps>;
  }
}
