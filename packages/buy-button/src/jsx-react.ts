/**
 * JSX typings of `<buy-button>` for React 19, which sets the element's properties and listens to
 * its events through `on<event-name>` props. Types only; harmless where React is not used
 * (`skipLibCheck`) — for React 18 use the wrapper in `@buy-button/element/react`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { BuyButtonAttributes, BuyButtonEventAttributes } from './attributes.js';
import type { BuyButtonElement } from './buy-button-element.js';

export interface BuyButtonJsxProps
  extends Omit<DetailedHTMLProps<HTMLAttributes<BuyButtonElement>, BuyButtonElement>, 'onError'>,
    BuyButtonAttributes,
    BuyButtonEventAttributes {
  buttonName?: string;
  returnUrl?: string;
  cancelUrl?: string;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'buy-button': BuyButtonJsxProps;
    }
  }
}
