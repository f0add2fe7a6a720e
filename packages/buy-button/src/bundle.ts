/**
 * Entry of the self-contained script-tag build (`dist/buy-button.js`): `<script async
 * src="https://bff.example/buy-button.js">` and the element's default endpoint is that origin.
 */
import { BuyButtonElement } from './buy-button-element.js';

// `document.currentScript` is only set while a classic script first runs, so it is read here,
// at evaluation, and never later.
const src = (document.currentScript as HTMLScriptElement | null)?.src;
if (src) BuyButtonElement.defaultEndpoint = new URL(src).origin;
// The npm build may have registered the tag already: the first definition wins.
if (!customElements.get('buy-button')) customElements.define('buy-button', BuyButtonElement);
