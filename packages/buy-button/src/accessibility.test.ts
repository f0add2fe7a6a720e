import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { fakeBff, mount, nextEvent, part } from '../test/fixtures.js';
import type { BuyButtonElement } from './buy-button-element.js';

/** axe-core over the container, shadow DOM included; returns the violations, readable. */
async function violations(context: Element) {
  const results = await axe.run(context, { resultTypes: ['violations'] });
  return results.violations.map((violation) => ({
    id: violation.id,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

async function failed(element: BuyButtonElement) {
  const error = nextEvent(element, 'buy-button-error');
  await element.checkout();
  await error;
  await element.updateComplete;
}

afterEach(async () => {
  await commands.emulateMedia({ reducedMotion: 'no-preference', colorScheme: 'light' });
});

describe.each(['light', 'dark'] as const)('accessibility, %s color scheme', (colorScheme) => {
  it('has no axe violations when idle, busy, failed or misconfigured', async () => {
    await commands.emulateMedia({ colorScheme });
    const idle = fakeBff('ok');
    const busy = fakeBff('hold');
    const failing = fakeBff('problem-503');
    const { container } = await mount(
      `<main>
         <buy-button button="btn_coffee" endpoint="${idle.endpoint}" price="4.50" currency="EUR"></buy-button>
         <buy-button id="busy" button="btn_coffee" endpoint="${busy.endpoint}"></buy-button>
         <buy-button id="failing" button="btn_coffee" endpoint="${failing.endpoint}"></buy-button>
         <buy-button id="broken"></buy-button>
       </main>`,
      { lang: 'en' },
    );
    const busyButton = container.querySelector<BuyButtonElement>('#busy');
    const failingButton = container.querySelector<BuyButtonElement>('#failing');
    if (!busyButton || !failingButton) throw new Error('markup');
    busyButton.addEventListener('buy-button-session', (event) => event.preventDefault());
    void busyButton.checkout();
    await failed(failingButton);
    await expect.poll(() => part(busyButton, 'button').getAttribute('aria-busy')).toBe('true');
    expect(part(failingButton, 'error').textContent).not.toBe('');

    // The scheme really is the one under test.
    expect(getComputedStyle(part(failingButton, 'error')).backgroundColor).toBe(
      colorScheme === 'dark' ? 'rgb(69, 10, 10)' : 'rgb(254, 242, 242)',
    );

    expect(await violations(container)).toEqual([]);

    const settled = nextEvent(busyButton, 'buy-button-session');
    await busy.release();
    await settled;
  });
});

describe('motion', () => {
  it('spins, unless the shopper asked for reduced motion', async () => {
    const bff = fakeBff('hold');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    element.addEventListener('buy-button-session', (event) => event.preventDefault());
    void element.checkout();
    await expect.poll(() => part(element, 'spinner').hidden).toBe(false);
    const spinner = part(element, 'spinner');
    expect(getComputedStyle(spinner).animationName).toBe('spin');

    await commands.emulateMedia({ reducedMotion: 'reduce' });
    expect(getComputedStyle(spinner).animationName).toBe('none');
    // Still visible: the shopper still sees that something is happening.
    expect(spinner.checkVisibility()).toBe(true);

    const settled = nextEvent(element, 'buy-button-session');
    await bff.release();
    await settled;
  });
});

describe('focus', () => {
  it('shows a focus ring for keyboard focus', async () => {
    const { element } = await mount('<buy-button button="b"></buy-button>');
    const { userEvent } = await import('vitest/browser');
    const before = document.createElement('button');
    before.textContent = 'before';
    element.before(before);
    before.focus();
    await userEvent.keyboard('{Tab}');
    const button = part(element, 'button');
    expect(element.shadowRoot?.activeElement).toBe(button);
    expect(button.matches(':focus-visible')).toBe(true);
    const style = getComputedStyle(button);
    expect(style.outlineStyle).toBe('solid');
    expect(Number.parseFloat(style.outlineWidth)).toBeGreaterThanOrEqual(2);
    before.remove();
  });
});
