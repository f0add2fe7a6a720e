// React 19 typings of `<buy-button>`, type-checked alone (`tsc -p test/types/react`): importing
// only the React wrapper entry must type the tag too. Each `@ts-expect-error` must meet its error.
// (React cannot catch a misspelt hyphenated attribute or event, `onbuy-button-sesion`, say: TS
// lets any `a-b` attribute through on an intrinsic element.)
import type { BuyButtonErrorEvent, BuyButtonSessionEvent } from '@buy-button/element';
import { BuyButton } from '@buy-button/element/react';
import type { ReactElement } from 'react';

const onSession = (event: BuyButtonSessionEvent) => event.detail.orderRef;
const onError = (event: BuyButtonErrorEvent) => event.detail.code;

export function Checkout(): ReactElement {
  return (
    <>
      <buy-button
        id="coffee"
        className="pay"
        title="Coffee"
        lang="en"
        aria-label="Pay for a coffee"
        data-sku="coffee-1"
        hidden={false}
        button="btn_coffee"
        price="4.50"
        currency="EUR"
        quantity={2}
        reference="cart-42"
        timeout={20000}
        return-url="/thanks?order={ORDER_REF}&cart={REFERENCE}"
        onbuy-button-session={onSession}
        onbuy-button-error={onError}
        onClick={() => undefined}
      />
      <buy-button button="btn_coffee" timeout="20000" quantity="3" disabled />
      <BuyButton
        button="btn_coffee"
        price="4.50"
        quantity={2}
        reference="cart-42"
        timeout={20000}
        returnUrl="/thanks?order={ORDER_REF}"
        onBuyButtonSession={onSession}
        onBuyButtonError={onError}
      />
      {/* @ts-expect-error: misspelt attribute */}
      <buy-button buton="btn_coffee" />
      {/* @ts-expect-error: a session listener given the error event */}
      <buy-button button="btn_coffee" onbuy-button-session={onError} />
      {/* @ts-expect-error: timeout is a number */}
      <buy-button button="btn_coffee" timeout="soon" />
      {/* @ts-expect-error: quantity is a number */}
      <buy-button button="btn_coffee" quantity="two" />
      {/* @ts-expect-error: reference is a string */}
      <buy-button button="btn_coffee" reference={42} />
      {/* @ts-expect-error: disabled is a boolean */}
      <buy-button button="btn_coffee" disabled="yes" />
      {/* @ts-expect-error: misspelt event of the wrapper */}
      <BuyButton button="btn_coffee" onBuyButtonSesion={onSession} />
      {/* @ts-expect-error: misspelt attribute of the wrapper */}
      <BuyButton buton="btn_coffee" />
      {/* @ts-expect-error: the wrapper's quantity is a number */}
      <BuyButton button="btn_coffee" quantity="2" />
      {/* @ts-expect-error: the wrapper's timeout is a number */}
      <BuyButton button="btn_coffee" timeout="soon" />
    </>
  );
}
