/**
 * Entry of the self-contained script-tag build (`dist/buy-button.js`): `<script async
 * src="https://bff.example/buy-button.js">` and the element's default endpoint is that origin.
 */
import { BuyButtonElement } from './buy-button-element.js';

// The script that loaded the bundle tells which BFF served it. A classic script is
// `document.currentScript` while it first runs (so it is read here, at evaluation, and never
// later); a module script has none, so then it is the `<script src>` whose file is `buy-button.js`.
const src =
  (document.currentScript as HTMLScriptElement | null)?.src ||
  [...document.scripts].find((script) => /\/buy-button\.js([?#]|$)/.test(script.src))?.src;
if (src) {
  BuyButtonElement.defaultEndpoint = new URL(src).origin;
} else {
  // Renamed, inlined or loaded by a bundler: the page's origin is used, which is right only when
  // the BFF is mounted there. Said once, and only if an element has no endpoint of its own.
  let endpoint: string | undefined;
  Object.defineProperty(BuyButtonElement, 'defaultEndpoint', {
    get() {
      if (!endpoint) {
        endpoint = location.origin;
        console.warn(
          `buy-button: set endpoint="https://<your BFF>" on <buy-button>: which BFF served this script is unknown, so ${endpoint} is used`,
        );
      }
      return endpoint;
    },
    set(value: string | undefined) {
      endpoint = value;
    },
  });
}
// The npm build may have registered the tag already: the first definition wins.
if (!customElements.get('buy-button')) customElements.define('buy-button', BuyButtonElement);
