import { BuyButtonElement } from './buy-button-element.js';

export const TAG_NAME = 'buy-button';

/**
 * Registers `<buy-button>` unless the tag is already taken, e.g. by the script-tag bundle on the
 * same page: running it twice, from either build, is harmless.
 */
export function defineBuyButton(
  registry: CustomElementRegistry | undefined = globalThis.customElements,
): void {
  if (registry && !registry.get(TAG_NAME)) registry.define(TAG_NAME, BuyButtonElement);
}

defineBuyButton();

export type * from './jsx-react.js';
export { BuyButtonElement };
