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
