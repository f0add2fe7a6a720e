// Renders the React wrapper to HTML in Node, as a server does (`react-dom/server`), for the
// browser tests: vitest.config.ts loads it through the test project's module runner, in Node,
// where there is no DOM.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { BuyButton } from '../src/react.js';

export function renderOnServer(props: Record<string, unknown>): {
  html: string;
  /** What the rendering saw: `undefined` both, on a server. */
  globals: { document: string; HTMLElement: string };
} {
  return {
    html: renderToString(createElement(BuyButton, props)),
    globals: { document: typeof document, HTMLElement: typeof HTMLElement },
  };
}
