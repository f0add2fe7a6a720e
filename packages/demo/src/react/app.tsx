import '@buy-button/element/define';
import { useState } from 'react';

/** A single-page shop: React state drives the element's attributes; its events are React props. */
export function App({ endpoint }: { endpoint: string }) {
  const [amount, setAmount] = useState('25.00');
  const [message, setMessage] = useState('');

  return (
    <>
      <header className="site-header">
        <a className="brand" href="/">
          Grain &amp; Giving
        </a>
        <nav aria-label="Integrations">
          <a href="/">Shop (npm package)</a>
          <a href="/script-tag">Script tag only</a>
          <a href="/react" aria-current="page">
            React app
          </a>
          <a href="/orders">Orders</a>
        </nav>
      </header>
      <main>
        <h1>React checkout</h1>
        <p className="lede">
          A React app using the npm package: the element is a typed JSX tag, and its events are
          React props.
        </p>
        <div className="products">
          <article className="product" aria-labelledby="coffee-title">
            <h2 id="coffee-title">Coffee beans</h2>
            <p className="price">4.50 €</p>
            <buy-button
              button="btn_coffee"
              endpoint={endpoint}
              price="4.50"
              currency="EUR"
              return-url="/return?order={ORDER_REF}&receipt={RECEIPT}"
              cancel-url="/cancel?order={ORDER_REF}&receipt={RECEIPT}"
              onbuy-button-session={(event) => setMessage(`Order ${event.detail.orderRef} created`)}
              onbuy-button-error={(event) => setMessage(`Checkout failed: ${event.detail.message}`)}
            />
          </article>
          <article className="product" aria-labelledby="donation-title">
            <h2 id="donation-title">Donation</h2>
            <label className="amount">
              Amount (EUR)
              <input
                type="number"
                min={1}
                max={500}
                step="0.01"
                value={amount}
                onChange={(event) => setAmount(event.target.value)}
              />
            </label>
            <buy-button
              button="btn_donation"
              endpoint={endpoint}
              price={amount}
              currency="EUR"
              return-url="/return?order={ORDER_REF}&receipt={RECEIPT}"
              cancel-url="/cancel?order={ORDER_REF}&receipt={RECEIPT}"
              onbuy-button-session={(event) => setMessage(`Order ${event.detail.orderRef} created`)}
              onbuy-button-error={(event) => setMessage(`Checkout failed: ${event.detail.message}`)}
            >
              Donate with crypto
            </buy-button>
          </article>
        </div>
        <p role="status">{message}</p>
      </main>
    </>
  );
}
