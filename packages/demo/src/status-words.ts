import type { PaymentStatus } from '@buy-button/element/wire';

/** What a shopper reads for each verified payment status. */
export const STATUS_WORDS = {
  paid: { title: 'Payment received', body: 'Thank you! Your order is paid.' },
  pending: {
    title: 'Payment pending',
    body: 'We have not received the payment yet. This page shows the latest status when you reload it.',
  },
  canceled: { title: 'Payment canceled', body: 'You canceled the payment. Nothing was charged.' },
  expired: {
    title: 'Payment expired',
    body: 'The payment window closed before the payment arrived. Nothing was charged.',
  },
  error: {
    title: 'Payment failed',
    body: 'The payment could not be completed. Nothing was charged.',
  },
} as const satisfies Record<PaymentStatus, { title: string; body: string }>;
