import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { precompress } from './scripts/precompress.mjs';
import { LAZY_MESSAGES } from './src/lazy-messages.js';

/**
 * Squeezes the whitespace and comments out of the element's own `css` and `html` template
 * literals (Lit keeps them verbatim): about 1 KB of the script-tag bundle. Only our sources,
 * whose templates have no whitespace-sensitive text, go through it.
 */
function minifyLitTemplates(): Plugin {
  const ours = fileURLToPath(new URL('src/', import.meta.url));
  return {
    name: 'buy-button:minify-lit-templates',
    transform(code, id) {
      if (!id.startsWith(ours) || !/\.ts$/.test(id)) return null;
      const out = code
        .replace(
          /\bunsafeCSS\(`([^`]*)`\)/g,
          (_, body: string) => `unsafeCSS(\`${minifyCss(body)}\`)`,
        )
        .replace(/\bhtml`([^`]*)`/g, (_, body: string) => `html\`${minifyHtml(body)}\``);
      return out === code ? null : { code: out, map: null };
    },
  };
}

function minifyCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{}:;,>])\s*/g, '$1')
    .replace(/\s+!important/g, '!important')
    .replace(/;}/g, '}')
    .replace(/([^\d.])0\.(\d)/g, '$1.$2')
    .trim();
}

function minifyHtml(html: string): string {
  return html.replace(/>\s+</g, '><').replace(/\s+/g, ' ').replace(/\s*>/g, '>');
}

/**
 * Trims Lit for the self-contained script-tag bundle (never for the npm build), dropping what its
 * one element never uses:
 * - `@lit/reactive-element/css-tag.js` gives way to src/bundle-css-tag.ts (constructable
 *   stylesheets only: every browser with `light-dark()`, which the styles need, has them);
 * - the hooks for Lit's polyfill-support and SSR-hydration modules, never loaded with the bundle,
 *   and the `lit*Versions` beacons, read only by Lit's dev-mode warnings;
 * - decorator support (`addInitializer`, `Symbol.metadata`, which Lit would also define on the
 *   page's globals) and reactive controllers (`addController`): the element declares
 *   `static properties` and has no controller;
 * - what its one template never asks of lit-html: directives (and the connection tracking only
 *   async directives read), bindings inside `<script>`/`<style>`/`<textarea>`/`<title>`, in
 *   comments or on an element itself (`<div ${…}>`), iterables as child values, and listener
 *   objects with `handleEvent`/`capture`/`once`/`passive` (its listeners are functions). A
 *   template that needs one of them must drop the matching edit below.
 * Each edit must match as often as said: a Lit update that moves the code fails the build here.
 */
function slimLit(): Plugin {
  const cssTag = fileURLToPath(new URL('src/bundle-css-tag.ts', import.meta.url));
  const html = /lit-html\/lit-html\.js$/;
  const reactive = /reactive-element\/reactive-element\.js$/;
  const element = /lit-element\/lit-element\.js$/;
  const edits: Array<[file: RegExp, find: RegExp, replace: string, count?: number]> = [
    [
      html,
      /,(\w+)=(\w+)\.litHtmlPolyfillSupport;\1\?\.\(\w+,\w+\),\(\2\.litHtmlVersions\?\?=\[\]\)\.push\("[\d.]+"\);/,
      ';',
    ],
    [html, /throw Error\("invalid template strings array"\)/, 'throw Error()'],
    [reactive, /,\w+=\w+\.reactiveElementPolyfillSupport(?=,)/, ''],
    [
      reactive,
      /,\w+\?\.\(\{ReactiveElement:\w+\}\),\(\w+\.reactiveElementVersions\?\?=\[\]\)\.push\("[\d.]+"\)/,
      '',
    ],
    [
      reactive,
      /static addInitializer\(\w\)\{this\._\$Ei\(\),\(this\.l\?\?=\[\]\)\.push\(\w\)\}/,
      '',
    ],
    [reactive, /void 0!==\w\.l&&\(this\.l=\[\.\.\.\w\.l\]\),/, ''],
    [reactive, /,this\.constructor\.l\?\.forEach\(\w=>\w\(this\)\)/, ''],
    [
      reactive,
      /Symbol\.metadata\?\?=Symbol\("metadata"\),\w\.litPropertyMetadata\?\?=new WeakMap;/,
      '',
    ],
    [
      reactive,
      /const (\w)=this\[Symbol\.metadata\];if\(null!==\1\)\{const (\w)=litPropertyMetadata\.get\(\1\);if\(void 0!==\2\)for\(const\[\w,\w\]of \2\)this\.elementProperties\.set\(\w,\w\)\}/,
      '',
    ],
    [reactive, /addController\(\w\)\{[^{}]*\}removeController\(\w\)\{[^{}]*\}/, ''],
    [reactive, /this\._\$EO\?\.forEach\(\w=>\w\.host\w+\?\.\(\)\)/g, '0', 4],
    [
      element,
      /,(\w+)\.litElementHydrateSupport\?\.\(\{LitElement:(\w+)\}\);const (\w+)=\1\.litElementPolyfillSupport;\3\?\.\(\{LitElement:\2\}\);/,
      ';',
    ],
    [element, /\(\w+\.litElementVersions\?\?=\[\]\)\.push\("[\d.]+"\);/, ''],
    // Directives: none is used, so resolving one is the identity.
    [
      html,
      /function (\w)\((\w),(\w),\w=\w,\w\)\{if\(\3===\w\)return \3;[\s\S]*?_\$litDirective\$[\s\S]*?\),\3\}(?=class )/,
      'function $1($2,$3){return $3}',
    ],
    // Bindings inside raw-text elements (`<script>`, `<style>`, `<textarea>`, `<title>`).
    [html, /,\w=\/\^\(\?:script\|style\|textarea\|title\)\$\/i/, ''],
    [html, /\(\w\.test\((\w)\[2\]\)&&\(\w=RegExp\("<\/"\+\1\[2\],"g"\)\),(\w=\w)\)/, '$2'],
    [html, /if\(\w\.test\(\w\.tagName\)\)\{[\s\S]*?\.append\(\w\[\w\],\w\(\)\)\}\}/, ''],
    // Element bindings (`<div ${…}>`) and bindings inside comments.
    [
      html,
      /else \w\.startsWith\(\w\)&&\(\w\.push\(\{type:6,index:\w\}\),\w\.removeAttribute\(\w\)\)/,
      '',
    ],
    [html, /:6===(\w)\.type&&\(\w=new \w\(\w,this,\w\)\)/, ':0'],
    [
      html,
      /else\{let (\w)=-1;for\(;-1!==\(\1=\w\.data\.indexOf\(\w,\1\+1\)\);\)\w\.push\(\{type:7,index:\w\}\),\1\+=\w\.length-1\}/,
      '',
    ],
    // Iterables as child values: the element renders strings and `nothing` only.
    [html, /:(\w)\(\w\)\?this\.k\(\w\):(?=this\._\(\w\)\})/, ':'],
    [html, /k\((\w)\)\{\w\(this\._\$AH\)\|\|[\s\S]*?\.length=\w\)\}/, ''],
    // Listeners are functions, never `{ handleEvent, capture, once, passive }` objects.
    [
      html,
      /\|\|(\w)\.capture!==(\w)\.capture\|\|\1\.once!==\2\.once\|\|\1\.passive!==\2\.passive/,
      '',
    ],
    [
      html,
      /"function"==typeof this\._\$AH\?(this\._\$AH\.call\(this\.options\?\.host\?\?this\.element,\w\)):this\._\$AH\.handleEvent\(\w\)/,
      '$1',
    ],
    // Connection tracking, for async directives only.
    [
      html,
      /setConnected\(\w\)\{void 0===this\._\$AM&&\(this\._\$Cv=\w,this\._\$AP\?\.\(\w\)\)\}/,
      '',
    ],
    [html, /,this\._\$Cv=\w\?\.isConnected\?\?!0/, ''],
    [html, /get _\$AU\(\)\{return this\._\$AM\?\._\$AU\?\?this\._\$Cv\}/, ''],
    [html, /get _\$AU\(\)\{return this\._\$AM\._\$AU\}/g, '', 3],
    [html, /this\._\$AP\?\.\(!1,!0,\w\)/, ''],
    [
      element,
      /connectedCallback\(\)\{super\.connectedCallback\(\),this\._\$Do\?\.setConnected\(!0\)\}disconnectedCallback\(\)\{super\.disconnectedCallback\(\),this\._\$Do\?\.setConnected\(!1\)\}/,
      '',
    ],
    [element, /this\.hasUpdated\|\|\(this\.renderOptions\.isConnected=this\.isConnected\),/, ''],
  ];
  return {
    name: 'buy-button:slim-lit',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === './css-tag.js' && importer?.includes('@lit/reactive-element')
        ? cssTag
        : null;
    },
    transform(code, id) {
      const mine = edits.filter(([file]) => file.test(id));
      if (mine.length === 0) return null;
      let out = code;
      for (const [, find, replace, count = 1] of mine) {
        const found = out.match(new RegExp(find.source, 'g'))?.length ?? 0;
        if (found !== count) {
          throw new Error(`slim-lit: ${find} matches ${found} times in ${id}, not ${count}`);
        }
        out = out.replace(find, replace);
      }
      return { code: out, map: null };
    },
  };
}

/**
 * A second minification pass with Terser over Oxc's output (each finds what the other missed),
 * which also mangles Lit's `_$` internals: the bundle holds the only copy of Lit its element
 * talks to, and its templates are its own. Non-ASCII characters come out escaped (`\xe9`):
 * a classic script is decoded with the page's charset when the server names none, and a shop
 * page in windows-1252 would otherwise turn "réessayer" into "rÃ©essayer".
 */
function terserPass(): Plugin {
  return {
    name: 'buy-button:terser',
    async generateBundle(_options, bundle) {
      // Loaded here: bundled into the config, Terser breaks (Vite inlines it).
      const { minify } = await import('terser');
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const mapFile = chunk.sourcemapFileName;
        const result = await minify(chunk.code, {
          ecma: 2020,
          compress: { passes: 3, unsafe_arrows: true },
          mangle: { properties: { regex: /^_\$/ } },
          format: { ascii_only: true },
          sourceMap: chunk.map && mapFile ? { content: chunk.map.toString(), url: mapFile } : false,
        });
        if (!result.code) throw new Error('terser produced no code');
        chunk.code = result.code;
        const asset = mapFile ? bundle[mapFile] : undefined;
        if (asset?.type === 'asset' && typeof result.map === 'string') asset.source = result.map;
      }
    },
  };
}

/** Fails the build if anything non-ASCII is left in the bundle (see `terserPass`). */
function asciiOnly(): Plugin {
  return {
    name: 'buy-button:ascii-only',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && /[^\0-\x7f]/.test(chunk.code)) {
          throw new Error(`${chunk.fileName} has non-ASCII characters`);
        }
      }
    },
  };
}

/**
 * The languages the script-tag bundle does not carry (src/languages.ts): the bundle gets
 * src/bundle-lazy-messages.ts, which fetches them from the BFF, in place of src/lazy-messages.ts,
 * and each one is written beside it as `dist/buy-button.<lang>.json` (message id → text), which
 * the BFF serves at `/buy-button.<lang>.json`. The npm build (tsc) keeps them all in the code.
 */
function lazyLanguages(): Plugin {
  const npm = fileURLToPath(new URL('src/lazy-messages.ts', import.meta.url));
  const bundle = fileURLToPath(new URL('src/bundle-lazy-messages.ts', import.meta.url));
  return {
    name: 'buy-button:lazy-languages',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source !== './lazy-messages.js' || importer === bundle) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === npm ? bundle : null;
    },
    generateBundle() {
      for (const [language, messages] of Object.entries(LAZY_MESSAGES)) {
        this.emitFile({
          type: 'asset',
          fileName: `buy-button.${language}.json`,
          source: `${JSON.stringify(messages)}\n`,
        });
      }
    },
  };
}

/**
 * `dist/buy-button.d.ts`, the types of the `@buy-button/element/buy-button.js` entry: it exports
 * nothing, and brings the global typings (`HTMLElementTagNameMap`, events, React JSX) as `define`.
 */
function bundleTypes(): Plugin {
  return {
    name: 'buy-button:bundle-types',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'buy-button.d.ts',
        source:
          '/** The script-tag bundle: registers `<buy-button>` (once), exports nothing. */\n' +
          "export type {} from './define.js';\n",
      });
    },
  };
}

// The script-tag bundle only: `dist/buy-button.js`, one classic script with Lit inlined, no
// imports, no eval. (The npm ESM build is plain `tsc` output, one module per source file.)
export default defineConfig({
  plugins: [
    minifyLitTemplates(),
    slimLit(),
    lazyLanguages(),
    terserPass(),
    asciiOnly(),
    bundleTypes(),
    precompress('buy-button.js'),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    reportCompressedSize: true,
    lib: {
      entry: fileURLToPath(new URL('src/bundle.ts', import.meta.url)),
      formats: ['iife'],
      // Required by the IIFE format; the entry exports nothing, so nothing lands on `window`
      // beyond an undefined `BuyButtonBundle`.
      name: 'BuyButtonBundle',
      fileName: () => 'buy-button.js',
    },
    rolldownOptions: {
      output: {
        // Imported where there is no DOM (a server, a test runner), the bundle does nothing
        // rather than throw on Lit's `class extends HTMLElement`.
        intro: 'if(!globalThis.HTMLElement)return;',
      },
    },
  },
});
