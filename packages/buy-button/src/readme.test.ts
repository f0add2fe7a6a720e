/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import readme from '../README.md?raw';
import { DEFAULT_TIMEOUT_MS } from './buy-button-element.js';
import { CheckoutErrorCode } from './checkout-status.js';
import { LAZY_LANGUAGES } from './languages.js';
import './define.js';

describe('README', () => {
  it('gives the default timeout as a number of milliseconds, in the API table and the prose', () => {
    expect(document.createElement('buy-button').timeout).toBe(DEFAULT_TIMEOUT_MS);
    const row = readme.split('\n').find((line) => line.startsWith('| `timeout` | `timeout` |'));
    expect(row).toContain(`(default ${DEFAULT_TIMEOUT_MS})`);
    expect(readme).toContain(`default **${DEFAULT_TIMEOUT_MS} ms**`);
    // And why it is longer than the BFF's own checkout deadline.
    expect(readme).toMatch(/BFF answers within its own, shorter checkout deadline/);
  });

  it('says which languages load from the BFF, from where, and the files the build writes', () => {
    expect(readme).toContain('`<endpoint>/buy-button.<lang>.json`');
    expect(readme).toContain('`Access-Control-Allow-Origin: *`');
    for (const language of LAZY_LANGUAGES) {
      expect(readme).toContain(`\`dist/buy-button.${language}.json\``);
    }
  });

  it('lists every error code in the errors table', () => {
    for (const code of Object.values(CheckoutErrorCode)) {
      expect(readme.split('\n').some((line) => line.startsWith(`| \`${code}\` |`))).toBe(true);
    }
  });
});
