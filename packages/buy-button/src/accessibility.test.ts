import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { commands, userEvent } from 'vitest/browser';
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
  await commands.emulateMedia({
    reducedMotion: 'no-preference',
    colorScheme: 'light',
    forcedColors: 'none',
  });
  document.documentElement.style.removeProperty('color-scheme');
});

/** Default colors of the button, by the scheme it shows. */
const SCHEMES = {
  light: {
    background: 'rgb(29, 78, 216)',
    color: 'rgb(255, 255, 255)',
    error: 'rgb(254, 242, 242)',
  },
  dark: { background: 'rgb(147, 197, 253)', color: 'rgb(15, 23, 42)', error: 'rgb(69, 10, 10)' },
} as const;

describe.each([
  { os: 'light', page: '', shown: 'light' },
  { os: 'dark', page: '', shown: 'dark' },
  { os: 'dark', page: 'light', shown: 'light' },
  { os: 'light', page: 'dark', shown: 'dark' },
] as const)('accessibility, $os OS, page color-scheme "$page"', ({ os, page, shown }) => {
  it('has no axe violations when idle, busy, failed or misconfigured', async () => {
    await commands.emulateMedia({ colorScheme: os });
    if (page) document.documentElement.style.colorScheme = page;
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
      SCHEMES[shown].error,
    );

    expect(await violations(container)).toEqual([]);

    const settled = nextEvent(busyButton, 'buy-button-session');
    await busy.release();
    await settled;
  });
});

describe('color scheme', () => {
  it.each([
    { os: 'dark', page: 'light', shown: 'light' },
    { os: 'light', page: 'light', shown: 'light' },
    { os: 'light', page: 'dark', shown: 'dark' },
    { os: 'dark', page: 'dark', shown: 'dark' },
    { os: 'dark', page: 'light dark', shown: 'dark' },
    { os: 'light', page: 'light dark', shown: 'light' },
    { os: 'dark', page: '', shown: 'dark' },
    { os: 'light', page: '', shown: 'light' },
  ] as const)('$os OS, page color-scheme "$page": a $shown button', async ({ os, page, shown }) => {
    await commands.emulateMedia({ colorScheme: os });
    if (page) document.documentElement.style.colorScheme = page;
    const bff = fakeBff('problem-503');
    const { element } = await mount(
      `<buy-button button="b" endpoint="${bff.endpoint}" locale="en"></buy-button>`,
    );
    await failed(element);
    // Measured at rest: the pointer may be where a previous test left it.
    await userEvent.unhover(part(element, 'button'));
    const button = getComputedStyle(part(element, 'button'));
    expect([button.backgroundColor, button.color]).toEqual([
      SCHEMES[shown].background,
      SCHEMES[shown].color,
    ]);
    expect(getComputedStyle(part(element, 'error')).backgroundColor).toBe(SCHEMES[shown].error);
  });

  it('follows a page that switches between light and dark, and its custom properties still win', async () => {
    await commands.emulateMedia({ colorScheme: 'light' });
    document.documentElement.style.colorScheme = 'dark';
    const { element } = await mount('<buy-button button="b"></buy-button>');
    const button = part(element, 'button');
    await userEvent.unhover(button);
    expect(getComputedStyle(button).backgroundColor).toBe(SCHEMES.dark.background);
    document.documentElement.style.colorScheme = 'light';
    expect(getComputedStyle(button).backgroundColor).toBe(SCHEMES.light.background);
    // A scheme set on a part of the page only (a dark sidebar) reaches the button there.
    element.parentElement?.style.setProperty('color-scheme', 'dark');
    expect(getComputedStyle(button).backgroundColor).toBe(SCHEMES.dark.background);
    element.style.setProperty('--buy-button-background', 'rgb(1, 2, 3)');
    expect(getComputedStyle(button).backgroundColor).toBe('rgb(1, 2, 3)');
  });
});

describe('forced colors (high contrast)', () => {
  /** What a system color resolves to on this page now. */
  function systemColor(name: string): string {
    const probe = document.createElement('span');
    probe.style.color = name;
    document.body.append(probe);
    const value = getComputedStyle(probe).color;
    probe.remove();
    return value;
  }

  it('draws a border, in system colors; disabled in GrayText; the focus ring in Highlight', async () => {
    await commands.emulateMedia({ forcedColors: 'active' });
    expect(matchMedia('(forced-colors: active)').matches).toBe(true);
    const { container } = await mount(
      `<buy-button id="on" button="b"></buy-button>
       <buy-button id="off" button="b" disabled></buy-button>`,
      { lang: 'en' },
    );
    const on = container.querySelector<BuyButtonElement>('#on');
    const off = container.querySelector<BuyButtonElement>('#off');
    if (!on || !off) throw new Error('markup');
    await off.updateComplete;
    const [buttonText, buttonFace, grayText, highlight] = [
      'ButtonText',
      'ButtonFace',
      'GrayText',
      'Highlight',
    ].map(systemColor);
    expect(new Set([buttonText, buttonFace, grayText, highlight]).size).toBe(4);

    await userEvent.unhover(part(on, 'button'));
    const style = getComputedStyle(part(on, 'button'));
    expect(style.borderTopStyle).toBe('solid');
    expect(Number.parseFloat(style.borderTopWidth)).toBeGreaterThanOrEqual(1);
    expect(style.borderTopColor).toBe(buttonText);
    expect(style.color).toBe(buttonText);
    expect(style.backgroundColor).toBe(buttonFace);

    const disabled = getComputedStyle(part(off, 'button'));
    expect(disabled.borderTopStyle).toBe('solid');
    expect(disabled.borderTopColor).toBe(grayText);
    expect(disabled.color).toBe(grayText);
    expect(disabled.opacity).toBe('1');

    const before = document.createElement('button');
    before.textContent = 'before';
    on.before(before);
    before.focus();
    await userEvent.keyboard('{Tab}');
    expect(on.shadowRoot?.activeElement).toBe(part(on, 'button'));
    const focused = getComputedStyle(part(on, 'button'));
    expect(focused.outlineStyle).toBe('solid');
    expect(Number.parseFloat(focused.outlineWidth)).toBeGreaterThanOrEqual(2);
    expect(focused.outlineColor).toBe(highlight);
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
