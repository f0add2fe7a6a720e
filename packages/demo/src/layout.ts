import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV = [
  ['/', 'Shop (npm package)'],
  ['/script-tag', 'Script tag only'],
  ['/react', 'React app'],
  ['/orders', 'Orders'],
] as const;

/** The frame of the shop's server-rendered pages (no script needed to read them). */
export function layout(title: string, current: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} — Grain &amp; Giving</title>
    <link rel="stylesheet" href="/demo.css" />
  </head>
  <body>
    <header class="site-header">
      <a class="brand" href="/">Grain &amp; Giving</a>
      <nav aria-label="Integrations">
        ${NAV.map(
          ([href, label]) =>
            html`<a href="${href}" ${href === current ? html`aria-current="page"` : ''}>${label}</a>`,
        )}
      </nav>
    </header>
    <main>${body}</main>
  </body>
</html>`;
}
