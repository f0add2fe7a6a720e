import type { SharedStore } from '../store/shared-store.js';

/** What the BFF keeps about an order beside the upstream: what the upstream is never told. */
export interface OrderNote {
  quantity: number;
  /** The shop's own reference, when the checkout carried one. */
  reference?: string;
}

/** As long as an order can still produce an event (reconciliation gives up after 7 days). */
const NOTE_TTL_MS = 8 * 24 * 60 * 60 * 1000;

/**
 * Order notes in the shared store (`order:<orderRef>`), so whichever instance answers a status
 * read or records the payment event finds them. An order of one unit without a reference needs
 * none: it is the default.
 */
export class OrderNotes {
  readonly #store: SharedStore;

  constructor(store: SharedStore) {
    this.#store = store;
  }

  async save(orderRef: string, note: OrderNote): Promise<void> {
    if (note.quantity === 1 && note.reference === undefined) return;
    await this.#store.set(`order:${orderRef}`, JSON.stringify(note), NOTE_TTL_MS);
  }

  async read(orderRef: string): Promise<OrderNote> {
    const stored = await this.#store.get(`order:${orderRef}`);
    return stored === undefined ? { quantity: 1 } : (JSON.parse(stored) as OrderNote);
  }
}
