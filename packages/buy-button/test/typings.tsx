// Type-level checks of the published typings: this file is only type-checked (`tsc`), never run.
import type { ReactElement } from 'react';
import type { SvelteHTMLElements } from 'svelte/elements';
import type { GlobalComponents } from 'vue';
import type { BuyButtonElement } from '../src/buy-button-element.js';
import '../src/define.js';
import type {} from '../src/svelte.js';
import type {} from '../src/vue.js';

export function tagNameMap(): void {
  const element = document.querySelector('buy-button');
  element?.checkout();
  const created: BuyButtonElement = document.createElement('buy-button');
  created.price = '4.50';
  created.addEventListener('buy-button-session', (event) => event.detail.orderRef.toUpperCase());
  document.addEventListener('buy-button-error', (event) => event.detail.code === 'timeout');
  // @ts-expect-error: not an error code
  document.addEventListener('buy-button-error', (event) => event.detail.code === 'boom');
}

export function React19(): ReactElement {
  return (
    <buy-button
      button="btn_coffee"
      price="4.50"
      currency="EUR"
      return-url="/thanks?order={ORDER_REF}"
      disabled={false}
      onbuy-button-click={(event) => event.detail.button}
      onbuy-button-session={(event) => event.detail.redirectUrl}
      onbuy-button-error={(event) => event.detail.message}
    >
      Donate
    </buy-button>
  );
}

export function React19Misuse(): ReactElement {
  // @ts-expect-error: `disabled` is a boolean
  return <buy-button button="b" disabled="yes" />;
}

type VueProps = GlobalComponents['buy-button'] extends new (props: infer P) => unknown ? P : never;
export const vueProps: VueProps = {
  button: 'btn_coffee',
  onBuyButtonSession: (event) => event.detail.orderRef,
};

export const svelteAttributes: SvelteHTMLElements['buy-button'] = {
  button: 'btn_coffee',
  'onbuy-button-session': (event) => event.detail.orderRef,
};
