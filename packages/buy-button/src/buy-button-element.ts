import { html, LitElement, nothing } from 'lit';
import type { CheckoutErrorCode, CheckoutStatus } from './checkout-status.js';
import { type CheckoutFailure, createSession, unsettled } from './create-session.js';
import {
  BuyButtonClickEvent,
  BuyButtonErrorEvent,
  type BuyButtonEventMap,
  BuyButtonSessionEvent,
} from './events.js';
import { formatPrice, isQuantity, type Messages, messagesFor } from './messages.js';
import { storeSession } from './stored-session.js';
import { styles } from './styles.js';
import type { CreateSessionRequest } from './wire.js';

/**
 * Default per-request timeout, in milliseconds (15 s). The BFF bounds a whole checkout by a
 * shorter deadline of its own, so a timeout here means the network, not a slow checkout.
 */
export const DEFAULT_TIMEOUT_MS = 15_000;

type Config =
  | { ok: true; endpoint: string; request: CreateSessionRequest }
  | { ok: false; reason: string };

/**
 * `<buy-button>`: a checkout button for the Lyzi crypto-payment gateway. A click asks the shop's
 * BFF for a checkout session (`POST <endpoint>/sessions`) and takes the shopper to the hosted
 * payment portal.
 *
 * @example
 * <buy-button button="btn_coffee" endpoint="https://pay.shop.example" price="4.50" currency="EUR"
 *   return-url="/thanks?order={ORDER_REF}"></buy-button>
 *
 * @tag buy-button
 *
 * @fires {BuyButtonClickEvent} buy-button-click - An attempt starts; cancelable (`preventDefault()` vetoes it, nothing is sent). `detail`: the request about to be sent, `{ button, price?, currency?, quantity?, buttonName?, reference?, returnUrl?, cancelUrl?, locale }`.
 * @fires {BuyButtonSessionEvent} buy-button-session - The BFF created the session; cancelable (the page then handles the redirect itself). `detail: { sessionId, orderRef, conversionCode, redirectUrl, receipt }`.
 * @fires {BuyButtonErrorEvent} buy-button-error - The attempt failed; the message is shown and the button works again. `detail: { code, message, status?, problem?, retryAfter? }`: `code` is one of the [error codes](#errors).
 *
 * @slot - The label. Defaults to a localized "Pay with crypto", with the total (`price` × `quantity`) when `price` and `currency` are set.
 * @slot icon - An icon before the label (give it `aria-hidden="true"` if it is decorative).
 *
 * @csspart button - The native `<button>`.
 * @csspart label - The label wrapper inside the button.
 * @csspart spinner - The progress indicator shown while working (still when reduced motion is asked for).
 * @csspart error - The message under the button: a `role="alert"` region for failures, or the explanation of a misconfigured button.
 *
 * @cssprop [--buy-button-background=#1d4ed8 (dark: #93c5fd)] - Button background.
 * @cssprop [--buy-button-color=#ffffff (dark: #0f172a)] - Button text color.
 * @cssprop [--buy-button-hover-background=#1e3a8a (dark: #bfdbfe)] - Button background on hover.
 * @cssprop [--buy-button-border=0] - Button border.
 * @cssprop [--buy-button-radius=0.5rem] - Corner radius of the button and the error message.
 * @cssprop [--buy-button-font-family=inherit] - Font family.
 * @cssprop [--buy-button-font-size=1rem] - Font size.
 * @cssprop [--buy-button-font-weight=600] - Font weight.
 * @cssprop [--buy-button-padding=0.625rem 1.25rem] - Button padding.
 * @cssprop [--buy-button-min-height=2.75rem] - Minimum button height (a comfortable touch target).
 * @cssprop [--buy-button-gap=0.5rem] - Space between the button and the error message.
 * @cssprop [--buy-button-focus-ring-color=#1d4ed8 (dark: #93c5fd)] - Color of the keyboard focus ring.
 * @cssprop [--buy-button-spinner-color=currentColor] - Color of the progress indicator.
 * @cssprop [--buy-button-error-color=#991b1b (dark: #fecaca)] - Error text color.
 * @cssprop [--buy-button-error-background=#fef2f2 (dark: #450a0a)] - Error message background.
 * @cssprop [--buy-button-disabled-opacity=0.6] - Opacity of a disabled button.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface only adds typed overloads of methods EventTarget implements.
export class BuyButtonElement extends LitElement {
  static override styles = styles;

  // `delegatesFocus`: focusing the host (or clicking its padding) focuses the inner button.
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  static override properties = {
    button: { reflect: true },
    endpoint: {},
    price: {},
    currency: {},
    quantity: { type: Number },
    buttonName: { attribute: 'button-name' },
    reference: {},
    returnUrl: { attribute: 'return-url' },
    cancelUrl: { attribute: 'cancel-url' },
    locale: {},
    label: {},
    disabled: { type: Boolean, reflect: true },
    timeout: { type: Number },
  };

  /**
   * The BFF used when neither `endpoint` nor a fallback form names one. The script-tag bundle
   * sets it to the origin that served the script (classic or module script); otherwise, or when
   * the bundle cannot tell, the page's origin is used (the bundle then warns once in the console).
   */
  static defaultEndpoint: string | undefined;

  /** Buy-button id from the merchant's catalog, e.g. `btn_coffee`. Required. */
  declare button: string | undefined;
  /** Base URL of the shop's BFF. Defaults to the script's origin (script tag) or the page's. */
  declare endpoint: string | undefined;
  /** Amount as a decimal string (`"12.50"`): for open-price buttons, and shown in the label. */
  declare price: string | undefined;
  /** ISO 4217 code, e.g. `EUR`. */
  declare currency: string | undefined;
  /**
   * Units bought (default 1): a whole number from 1 to the button's `maxQuantity` on the BFF.
   * Sent when not 1; the label shows the total, `price` × `quantity`.
   */
  declare quantity: number;
  /** Display name sent to the BFF (the catalog's name wins for catalog buttons). */
  declare buttonName: string | undefined;
  /**
   * The shop's own id for this checkout (cart, order or customer id): 1 to 64 of
   * `[A-Za-z0-9._:-]`. Sent to the BFF, which keeps it with the session, returns it in the status
   * and fills `{REFERENCE}` in `return-url` and `cancel-url` with it.
   */
  declare reference: string | undefined;
  /**
   * Where the portal sends the shopper after paying; may hold `{ORDER_REF}`, `{RECEIPT}` and
   * `{REFERENCE}`.
   */
  declare returnUrl: string | undefined;
  /** Where the portal sends the shopper after canceling; same placeholders. */
  declare cancelUrl: string | undefined;
  /**
   * BCP 47 tag; defaults to the nearest `lang` attribute, then the browser's language. Its
   * language picks the texts: `en`, `fr`, `de`, `es`, `it`, `nl` or `pt` (`fr-CA` → `fr`), else
   * English.
   */
  declare locale: string | undefined;
  /** Label text, when no label is slotted. */
  declare label: string | undefined;
  /** A disabled button cannot be activated. */
  declare disabled: boolean;
  /**
   * Per-request timeout in milliseconds (default 15000). The BFF answers within its own, shorter
   * checkout deadline: a timeout means the network, not a slow checkout. After a timeout, the next
   * click for the same request reuses the Idempotency-Key.
   */
  declare timeout: number;

  // Internal state: plain private fields, each change followed by `requestUpdate()`.
  #status: CheckoutStatus = 'idle';
  #failure: CheckoutFailure | undefined;
  #slottedLabel = false;
  #inFlight = false;
  #warned: string | undefined;
  // The Idempotency-Key of the last attempt and, when that attempt ended unsettled (no answer,
  // 409 or 5xx: the BFF may have made the session), the request it was for. This instance only.
  #key!: string;
  #keyFor: string | undefined;

  constructor() {
    super();
    this.disabled = false;
    this.quantity = 1;
    this.timeout = DEFAULT_TIMEOUT_MS;
  }

  /** Where the current attempt stands: `idle`, `creating`, `redirecting` or `error`. */
  get status(): CheckoutStatus {
    return this.#status;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#adoptFallbackForms();
    this.#slottedLabel = hasLabelContent(this.childNodes);
    window.addEventListener('pageshow', this.#onPageShow);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.#onPageShow);
  }

  /**
   * Starts a checkout, exactly as a click does. Resolves when the attempt is over (navigation
   * started, handed to the page, vetoed or failed); never rejects. Ignored while an attempt is
   * under way or the button is disabled.
   */
  async checkout(): Promise<void> {
    if (this.#inFlight || this.#status === 'redirecting' || this.disabled) return;
    const planned = this.#config();
    if (!planned.ok) {
      this.#warn(planned.reason);
      this.#dispatchError({ code: 'invalid-config' });
      return;
    }
    this.#inFlight = true;
    try {
      if (!this.dispatchEvent(new BuyButtonClickEvent(planned.request))) return;
      // Click handlers may have changed properties (an amount field, say): read them again.
      const config = this.#config();
      if (!config.ok) {
        this.#dispatchError({ code: 'invalid-config' });
        return;
      }
      // Checked here, not by the BFF, so nothing is sent: a quantity that is no whole number from
      // 1 (the BFF alone knows the most), a reference the BFF would refuse (the merchant's to fix).
      const { quantity = 1, reference } = config.request;
      const invalid = !isQuantity(quantity)
        ? 'invalid-quantity'
        : reference && !/^[\w.:-]{1,64}$/.test(reference)
          ? 'invalid-reference'
          : undefined;
      if (invalid) {
        if (invalid === 'invalid-reference') {
          console.error(
            `buy-button: reference="${reference}" is not 1 to 64 of A-Z a-z 0-9 . _ : - (nothing was sent)`,
            this,
          );
        }
        this.#set('error', { code: invalid });
        this.#dispatchError({ code: invalid });
        return;
      }
      this.#set('creating');
      // The same request (endpoint and body) after an unsettled attempt reuses its key, so the
      // BFF replays the session that attempt may have created; anything else gets a fresh key.
      const request = JSON.stringify(config);
      if (request !== this.#keyFor) this.#key = newIdempotencyKey();
      const result = await createSession(config.endpoint, config.request, {
        idempotencyKey: this.#key,
        // NaN, 0 or a negative value (which AbortSignal.timeout would throw on) mean the default.
        timeoutMs: this.timeout > 0 ? this.timeout : DEFAULT_TIMEOUT_MS,
      });
      this.#keyFor = !result.ok && unsettled(result.failure) ? request : undefined;
      if (!result.ok) {
        explain(result.failure.code, config.request.button, config.endpoint);
        this.#set('error', result.failure);
        this.#dispatchError(result.failure);
        return;
      }
      storeSession(config.endpoint, result.session);
      if (!this.dispatchEvent(new BuyButtonSessionEvent(result.session))) {
        this.#set('idle');
        return;
      }
      this.#set('redirecting');
      this.navigate(result.session.redirectUrl);
    } finally {
      this.#inFlight = false;
    }
  }

  /**
   * Takes the shopper to the payment portal. Override it (or cancel `buy-button-session`) to
   * navigate another way, e.g. in a single-page app or a test.
   */
  navigate(url: string): void {
    location.assign(url);
  }

  override render() {
    const config = this.#config();
    const t = this.#messages(config);
    const busy = this.#status === 'creating' || this.#status === 'redirecting';
    const code = config.ok ? this.#failure?.code : 'invalid-config';
    const message = code && t[code];
    // No `color-scheme` from the page (`normal`): follow the OS (see styles). Read at render, as
    // the locale is; an explicit `light`/`dark` is inherited, so switching between those is live.
    const scheme = getComputedStyle(this).colorScheme === 'normal' ? 'os' : nothing;
    return html`<button
        part="button"
        class=${scheme}
        type="button"
        ?disabled=${this.disabled || !config.ok}
        aria-busy=${busy ? 'true' : nothing}
        aria-describedby=${message ? 'message' : nothing}
        @click=${this.#onClick}
      >
        <slot name="icon"></slot>
        <span part="label"
          ><slot @slotchange=${this.#onSlotChange}></slot>${
            this.#slottedLabel ? nothing : this.#defaultLabel(config, t)
          }</span
        >
        <span part="spinner" aria-hidden="true" ?hidden=${!busy}></span>
      </button>
      <div part="error" class=${scheme} id="message" role=${config.ok ? 'alert' : nothing}>${message || nothing}</div>
      <slot name="fallback" hidden></slot>`;
  }

  override updated(): void {
    const config = this.#config();
    if (!config.ok) this.#warn(config.reason);
  }

  #set(status: CheckoutStatus, failure?: CheckoutFailure): void {
    this.#status = status;
    this.#failure = failure;
    this.requestUpdate();
  }

  #defaultLabel(config: Config, t: Messages): string {
    const label = this.label?.trim();
    if (label) return label;
    const { price, currency, quantity }: Partial<CreateSessionRequest> = config.ok
      ? config.request
      : {};
    const total = price && currency && formatPrice(this.#locale(), price, currency, quantity);
    return total ? t.labelWithPrice.replace('{amount}', total) : t.label;
  }

  /**
   * The texts in the element's language. The script-tag bundle loads some languages from the BFF:
   * English until they arrive, then rendered again.
   */
  #messages(config: Config): Messages {
    return messagesFor(this.#locale(), config.ok ? config.endpoint : undefined, this.#rerender);
  }

  #rerender = (): void => this.requestUpdate();

  #onClick = (event: MouseEvent): void => {
    // Never let the click reach a form the element may sit in.
    event.preventDefault();
    void this.checkout();
  };

  #onSlotChange = (event: Event): void => {
    const slot = event.target as HTMLSlotElement;
    this.#adoptFallbackForms();
    this.#slottedLabel = hasLabelContent(slot.assignedNodes());
    this.requestUpdate();
  };

  // Back from the portal through the back/forward cache: the page is restored as it was left,
  // mid-redirect. Make the button usable again.
  #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted && this.#status === 'redirecting') {
      this.#set('idle');
    }
  };

  /**
   * The no-JavaScript fallback `<form>` stays in the light DOM but goes to a hidden slot once
   * the element runs, so shoppers see one button.
   */
  #adoptFallbackForms(): void {
    const form = this.#fallbackForm();
    if (form) form.slot = 'fallback';
  }

  #fallbackForm(): HTMLFormElement | null {
    return this.querySelector(':scope > form');
  }

  /**
   * The request this element would send now: its properties, else the fallback form's fields
   * (so a form-only snippet works once upgraded), else defaults.
   */
  #config(): Config {
    const form = this.#fallbackForm();
    // `namedItem` gives an input (or a RadioNodeList): both have `value`.
    const field = (name: string): string | undefined =>
      text((form?.elements.namedItem(name) as HTMLInputElement | null)?.value);
    const button = text(this.button) ?? field('button');
    if (!button) return { ok: false, reason: 'no "button"' };

    const action = form?.getAttribute('action');
    const endpointText =
      text(this.endpoint) ??
      text(action?.replace(/\/sessions\/?$/, '')) ??
      (this.constructor as typeof BuyButtonElement).defaultEndpoint ??
      location.origin;
    const endpoint = absoluteHttpUrl(endpointText);
    if (!endpoint) return { ok: false, reason: `endpoint "${endpointText}" is not http(s)` };

    const request: CreateSessionRequest = { button, locale: this.#locale() };
    const keys = [
      'price',
      'currency',
      'buttonName',
      'reference',
      'returnUrl',
      'cancelUrl',
    ] as const;
    for (const key of keys) {
      const given = text(this[key]) ?? field(key);
      if (given) {
        request[key] = key.endsWith('Url')
          ? resolveUrl(given)
          : key === 'currency'
            ? given.toUpperCase()
            : given;
      }
    }
    // The property when it is not the default 1, else the form's `quantity` field.
    const quantity = Number((this.quantity !== 1 && text(this.quantity)) || field('quantity') || 1);
    if (quantity !== 1) request.quantity = quantity;
    return { ok: true, endpoint: endpoint.replace(/\/+$/, ''), request };
  }

  #locale(): string {
    const tag =
      text(this.locale) ??
      text(this.closest('[lang]')?.getAttribute('lang')) ??
      text(document.documentElement.lang) ??
      text(navigator.language) ??
      'en';
    // `fr_FR` (as some CMSes write it) → `fr-FR`; Intl copes with the rest.
    return tag.replace(/_/g, '-');
  }

  #dispatchError(failure: CheckoutFailure | { code: 'invalid-config' }): void {
    this.dispatchEvent(
      new BuyButtonErrorEvent({
        ...failure,
        message: this.#messages(this.#config())[failure.code],
      }),
    );
  }

  // Misconfiguration is the page author's to fix: say so once in the console, never throw.
  #warn(reason: string): void {
    if (this.#warned === reason) return;
    this.#warned = reason;
    console.warn(`<buy-button> disabled: ${reason}`, this);
  }
}

/** Events of `<buy-button>`, for typed `addEventListener`. */
export interface BuyButtonElementEventMap extends HTMLElementEventMap, BuyButtonEventMap {}

// Typed `addEventListener` without a runtime override: the declarations merge into the class.
export interface BuyButtonElement {
  addEventListener<K extends keyof BuyButtonElementEventMap>(
    type: K,
    listener: (this: BuyButtonElement, event: BuyButtonElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof BuyButtonElementEventMap>(
    type: K,
    listener: (this: BuyButtonElement, event: BuyButtonElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'buy-button': BuyButtonElement;
  }
  // The events bubble and are composed: a listener on `document` or `window` hears them too.
  interface GlobalEventHandlersEventMap extends BuyButtonEventMap {}
}

const explained = new Set<string>();

/**
 * A refusal only the merchant can fix: the shopper sees a short message, the console says which
 * of the BFF's settings to change, once per page and BFF.
 */
function explain(code: CheckoutErrorCode, button: string, endpoint: string): void {
  const [what, setting] =
    code === 'origin-not-allowed'
      ? [`this page's origin (${location.origin}) is not in`, 'ALLOWED_ORIGINS']
      : code === 'unknown-button'
        ? [`button "${button}" is not in`, 'BUTTONS']
        : code === 'catalog-mismatch'
          ? [`the price or currency of "${button}" differs from`, 'BUTTONS']
          : code === 'invalid-redirect-url'
            ? ['return-url or cancel-url is not allowed by', 'ALLOWED_REDIRECT_ORIGINS']
            : [];
  const message = `buy-button: ${what} the BFF's ${setting} (${endpoint})`;
  if (what && !explained.has(message)) {
    explained.add(message);
    console.error(message);
  }
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = String(value).trim();
  return trimmed || undefined;
}

function absoluteHttpUrl(value: string): string | undefined {
  try {
    const url = new URL(value, document.baseURI);
    return /^https?:$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

// Relative return/cancel URLs are resolved against the page (`<base href>` included), which the
// BFF cannot see: it only knows the request's origin. `{ORDER_REF}`, `{RECEIPT}` and `{REFERENCE}`
// survive (the BFF accepts them raw or percent-encoded).
function resolveUrl(value: string): string {
  try {
    return new URL(value, document.baseURI).href;
  } catch {
    return value;
  }
}

function hasLabelContent(nodes: Iterable<Node>): boolean {
  for (const node of nodes) {
    // Text, or an element that is neither the fallback form nor named-slot content (the icon).
    if (
      node instanceof Element
        ? !(node instanceof HTMLFormElement || node.slot)
        : node instanceof Text && node.data.trim()
    ) {
      return true;
    }
  }
  return false;
}

function newIdempotencyKey(): string {
  // `randomUUID` exists only in secure contexts; a shop served over plain http still gets a key
  // no other checkout will send (visible ASCII, as the header needs).
  return crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
}
