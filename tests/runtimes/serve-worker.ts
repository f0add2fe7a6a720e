/**
 * The BFF's runtime-neutral entry as a Workers module, for workerd (the open-source runtime of
 * Cloudflare Workers). Bundled by workerd-server.ts with the `workerd`, `worker` and `browser`
 * export conditions, as wrangler does; no `nodejs_compat` flag. The settings are the worker's
 * text bindings (`env`), `PUBLIC_URL` included. The app is built on the first request, as
 * bindings only exist then, and says so once (with the runtime's user agent).
 */
import { type BffApp, createApp, loadConfig } from '@buy-button/bff/fetch';

type ExecutionContext = Parameters<BffApp['fetch']>[2];

let app: BffApp | undefined;

export default {
  fetch(request: Request, env: Record<string, string>, ctx: ExecutionContext) {
    if (app === undefined) {
      app = createApp(loadConfig(env));
      console.log(`${navigator.userAgent} serving on ${env.PUBLIC_URL}`);
    }
    return app.fetch(request, env, ctx);
  },
};
