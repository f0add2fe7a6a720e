import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

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
        .replace(/\bcss`([^`]*)`/g, (_, body: string) => `css\`${minifyCss(body)}\``)
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
    .replace(/;}/g, '}')
    .replace(/([^\d.])0\.(\d)/g, '$1.$2')
    .trim();
}

function minifyHtml(html: string): string {
  return html.replace(/>\s+</g, '><').replace(/\s+/g, ' ').replace(/\s*>/g, '>');
}

/**
 * Escapes every non-ASCII character of the bundle (`é` → `\u00e9`): a classic script is decoded
 * with the page's charset when the server names none, and a shop page in windows-1252 would
 * otherwise turn "réessayer" into "rÃ©essayer".
 */
function asciiOnly(): Plugin {
  return {
    name: 'buy-button:ascii-only',
    // After minification, which would print the escapes back as UTF-8. (Columns in the source
    // map shift by a few characters after each escape; lines stay right.)
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        chunk.code = chunk.code.replace(
          /[\u0080-\uffff]/g,
          (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
        );
      }
    },
  };
}

// The script-tag bundle only: `dist/buy-button.js`, one classic script with Lit inlined, no
// imports, no eval. (The npm ESM build is plain `tsc` output, one module per source file.)
export default defineConfig({
  plugins: [minifyLitTemplates(), asciiOnly()],
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
  },
});
