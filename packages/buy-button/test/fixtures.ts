import { afterEach, inject } from 'vitest';
import type { BuyButtonElement } from '../src/buy-button-element.js';
import type { CreateSessionRequest } from '../src/wire.js';
import '../src/define.js';

const fakeBffUrl = inject('fakeBffUrl');
let counter = 0;

export interface LoggedRequest {
  idempotencyKey: string | null;
  body: CreateSessionRequest;
  /** The session the fake BFF created or replayed for this request, if any. */
  sessionId?: string;
}

/**
 * A fresh endpoint on the fake BFF answering in `mode` (see test/fake-bff.ts), with what it
 * received and, for `hold`, the release of held answers.
 */
export function fakeBff(mode: string) {
  const id = `t${++counter}${Math.random().toString(36).slice(2, 8)}`;
  return {
    endpoint: `${fakeBffUrl}/${id}/${mode}`,
    requests: async (): Promise<LoggedRequest[]> =>
      (await fetch(`${fakeBffUrl}/${id}/log`)).json() as Promise<LoggedRequest[]>,
    release: async (): Promise<void> => {
      await fetch(`${fakeBffUrl}/${id}/release`, { method: 'POST' });
    },
  };
}

const containers: HTMLElement[] = [];
afterEach(() => {
  for (const container of containers.splice(0)) container.remove();
  sessionStorage.clear();
});

/** Puts `markup` in the page and returns its first `<buy-button>`, rendered. */
export async function mount(markup: string, attributes: Record<string, string> = {}) {
  const container = document.createElement('div');
  for (const [name, value] of Object.entries(attributes)) container.setAttribute(name, value);
  container.innerHTML = markup;
  document.body.append(container);
  containers.push(container);
  const element = container.querySelector('buy-button');
  if (!element) throw new Error('no <buy-button> in the markup');
  await element.updateComplete;
  return { element, container };
}

/** A shadow part of the element. */
export function part(element: BuyButtonElement, name: string): HTMLElement {
  const found = element.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part "${name}"`);
  return found;
}

/** The visible text of the label, slotted content included. */
export function labelText(element: BuyButtonElement): string {
  const label = part(element, 'label');
  const slot = label.querySelector('slot');
  const slotted = slot?.assignedNodes().map((node) => node.textContent ?? '') ?? [];
  const own = Array.from(label.childNodes, (node) =>
    node.nodeType === Node.TEXT_NODE ? (node.textContent ?? '') : '',
  );
  return [...slotted, ...own]
    .join('')
    .replace(/[ \t\n\r]+/g, ' ')
    .trim();
}

/** Resolves with the next event of that type on `target`. */
export function nextEvent<T extends Event>(target: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) =>
    target.addEventListener(type, (event) => resolve(event as T), { once: true }),
  );
}
