export { createDemoApp, type DemoOptions, type DemoPages } from './demo-app.js';
export { MerchantOrders, type PaymentEvent } from './merchant-orders.js';
export { type StartDemoOptions, startDemo } from './node.js';
export { STATUS_WORDS } from './status-words.js';
