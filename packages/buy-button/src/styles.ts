import { unsafeCSS } from 'lit';

// Each themable value reads a public `--buy-button-*` property, falling back to a private
// default that meets WCAG AA (text ≥ 4.5:1, focus ring ≥ 3:1) in both schemes. The defaults are
// `light-dark()` pairs, resolved with the color scheme the element inherits from the page: a page
// with `color-scheme: light` gets the light button even on a dark OS, `dark` the dark one, and
// `light dark` (or no `color-scheme` at all, see `.os`) follows the OS. Whatever the page set in
// `--buy-button-*` still wins.
// (`unsafeCSS` over a constant: the same as the `css` tag without interpolations, minus its code.)
export const styles = unsafeCSS(`
  :host {
    --_bg: light-dark(#1d4ed8, #93c5fd);
    --_fg: light-dark(#fff, #0f172a);
    --_hover: light-dark(#1e3a8a, #bfdbfe);
    --_err: light-dark(#991b1b, #fecaca);
    --_err-bg: light-dark(#fef2f2, #450a0a);
    display: inline-flex;
    flex-direction: column;
    gap: var(--buy-button-gap, 0.5rem);
    font-family: var(--buy-button-font-family, inherit);
  }
  /* The page declares no color scheme: follow the OS, as the page's own defaults do not. */
  .os {
    color-scheme: light dark;
  }
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    box-sizing: border-box;
    width: 100%;
    min-height: var(--buy-button-min-height, 2.75rem);
    padding: var(--buy-button-padding, 0.625rem 1.25rem);
    border: var(--buy-button-border, 0);
    border-radius: var(--buy-button-radius, 0.5rem);
    background: var(--buy-button-background, var(--_bg));
    color: var(--buy-button-color, var(--_fg));
    font: inherit;
    font-size: var(--buy-button-font-size, 1rem);
    font-weight: var(--buy-button-font-weight, 600);
    line-height: 1.25;
    cursor: pointer;
  }
  button:hover:enabled {
    background: var(--buy-button-hover-background, var(--_hover));
  }
  button:focus-visible {
    outline: 3px solid var(--buy-button-focus-ring-color, var(--_bg));
    outline-offset: 2px;
  }
  button:disabled {
    opacity: var(--buy-button-disabled-opacity, 0.6);
  }
  [part=spinner] {
    flex: none;
    width: 1em;
    height: 1em;
    border: 2px solid var(--buy-button-spinner-color, currentColor);
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  /* A still ring still says "working" without moving. */
  @media (prefers-reduced-motion: reduce) {
    [part=spinner] {
      animation: none;
    }
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  [part=error] {
    padding: 0.5em 0.75em;
    border-radius: var(--buy-button-radius, 0.5rem);
    background: var(--buy-button-error-background, var(--_err-bg));
    color: var(--buy-button-error-color, var(--_err));
    font-size: 0.875em;
  }
  /* The alert region stays in the tree so screen readers announce what is put into it. */
  [part=error]:empty {
    padding: 0;
  }
  /* High-contrast themes drop backgrounds: a border keeps the button a button, in system colors. */
  @media (forced-colors: active) {
    button {
      border: 2px solid ButtonText;
      background: ButtonFace;
      color: ButtonText;
    }
    button:hover:enabled {
      border-color: Highlight;
    }
    button:focus-visible {
      outline-color: Highlight;
    }
    button:disabled {
      border-color: GrayText;
      color: GrayText;
      opacity: 1;
    }
  }
`);
