/**
 * The script-tag bundle's stand-in for Lit's `@lit/reactive-element/css-tag.js` (vite.config.ts
 * swaps it in for that bundle only; the npm build uses Lit's own). The element has one constant
 * stylesheet, adopted as a constructable stylesheet, which every browser the bundle supports has
 * (its colors need `light-dark()`, which is newer): so no `<style>` fallback, no ShadyCSS check, no
 * `css` tag checks. An older browser gets a working button without the element's styles.
 */
export const supportsAdoptingStyleSheets = true;

export const getCompatibleStyle = <T>(style: T): T => style;

export const adoptStyles = (root: ShadowRoot, styles: CSSStyleSheet[]): void => {
  root.adoptedStyleSheets = styles;
};

// A browser without constructable stylesheets (Safari before 16.4) gets the text back, which it
// ignores: an unstyled, working button rather than none.
export const unsafeCSS = (text: unknown): CSSStyleSheet => {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(String(text));
    return sheet;
  } catch {
    return String(text) as unknown as CSSStyleSheet;
  }
};

export const css = (strings: TemplateStringsArray): CSSStyleSheet => unsafeCSS(strings.join(''));

export class CSSResult {}
