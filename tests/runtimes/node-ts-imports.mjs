// Preloaded (`node --import`) by the Node 24 run of serve-bff.ts, which strips types natively.
// The workspace's sources import each other as `./x.js` (TypeScript's NodeNext convention, which
// tsc leaves as is for dist/); Node looks for that file only. This maps a relative `.js` import
// from a `.ts` module to the `.ts` file when no `.js` exists, as tsc, tsx, Bun and Deno's
// --sloppy-imports do. Nothing else is changed: Node itself loads and strips every file.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const fromTs = context.parentURL?.endsWith('.ts') === true;
      const relativeJs = /^\.\.?\//.test(specifier) && specifier.endsWith('.js');
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !fromTs || !relativeJs) throw error;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});
