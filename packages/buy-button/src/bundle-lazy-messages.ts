/**
 * The script-tag bundle's stand-in for src/lazy-messages.ts (swapped in by vite.config.ts): the
 * bundle holds English and French only, and fetches each of `LAZY_LANGUAGES` from the BFF, at
 * `<endpoint>/buy-button.<lang>.json` (an object of message id → text, which the build writes
 * beside the bundle), the first time an element needs it: once per page and language, shared by
 * every element. Until it arrives the element speaks English; if it cannot be had, it stays
 * English and the console says so, once.
 */
import { LAZY_LANGUAGES } from './languages.js';
import type * as Npm from './lazy-messages.js';
import type { Messages } from './messages.js';

export const LAZY_MESSAGES: typeof Npm.LAZY_MESSAGES = {} as typeof Npm.LAZY_MESSAGES;

// Language → its table once loaded (`undefined` when it failed); and the loads under way.
const loaded = new Map<string, Messages | undefined>();
const loading = new Map<string, Promise<void>>();

export const loadMessages: typeof Npm.loadMessages = (language, endpoint, base, onLoad) => {
  if (loaded.has(language) || !(LAZY_LANGUAGES as readonly string[]).includes(language)) {
    return loaded.get(language);
  }
  let load = loading.get(language);
  if (!load) {
    const url = `${endpoint}/buy-button.${language}.json`;
    load = fetch(url, { credentials: 'omit' })
      .then((response) => (response.ok ? response.json() : Promise.reject()))
      .then(
        // Over English: an id the file lacks still has a text.
        (messages: Partial<Messages>) => {
          loaded.set(language, { ...base, ...messages });
        },
        () => {
          loaded.set(language, undefined);
          console.warn(`buy-button: ${url} could not be loaded; English is shown`);
        },
      );
    loading.set(language, load);
  }
  if (onLoad) load.then(onLoad);
  return undefined;
};
