import { fileURLToPath } from 'node:url';

/** The workspace root: every runtime resolves `@buy-button/bff/fetch` from its node_modules. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
