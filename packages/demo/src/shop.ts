// The shop page's own script: registers the element from the npm package, keeps the donation
// button's price in step with the amount field, and logs the element's events for the visitor.
import '@buy-button/element/define';

const donation = document.querySelector<HTMLElement & { price: string }>('#donation');
const amount = document.querySelector<HTMLInputElement>('#donation-amount');
if (donation && amount) {
  const sync = () => {
    donation.price = amount.value;
  };
  amount.addEventListener('input', sync);
  sync();
}

// The coffee sells by the bag: the element charges the catalog's unit price × quantity.
const coffee = document.querySelector<HTMLElement & { quantity: number }>('#coffee');
const bags = document.querySelector<HTMLInputElement>('#coffee-quantity');
if (coffee && bags) {
  bags.addEventListener('input', () => {
    coffee.quantity = Math.max(1, Math.min(10, Math.trunc(Number(bags.value)) || 1));
  });
}

// The shop's own cart id travels with every checkout as the reference, and comes back in the
// signed payment event (see Orders).
const cart = `cart-${Math.random().toString(36).slice(2, 8)}`;
const cartRef = document.querySelector('#cart-ref');
if (cartRef) cartRef.textContent = cart;
for (const button of document.querySelectorAll('buy-button'))
  button.setAttribute('reference', cart);

// Every button follows the language chosen here (the French product keeps its own).
const language = document.querySelector<HTMLSelectElement>('#language');
language?.addEventListener('change', () => {
  for (const button of document.querySelectorAll('buy-button')) {
    if (!button.closest('article[lang]')) button.setAttribute('locale', language.value);
  }
});

const log = document.querySelector<HTMLOListElement>('#event-log');
for (const type of ['buy-button-click', 'buy-button-session', 'buy-button-error']) {
  document.addEventListener(type, (event) => {
    if (!log) return;
    const item = document.createElement('li');
    const detail = (event as CustomEvent).detail as Record<string, unknown> | undefined;
    const summary = detail
      ? Object.entries(detail)
          .filter(([key]) => key !== 'receipt')
          .map(([key, value]) => `${key}=${String(value)}`)
          .join(' ')
      : '';
    item.textContent = `${type} ${summary}`.trim();
    log.append(item);
  });
}
