// The demo shop alone, in front of a BFF that already runs elsewhere.
import { startDemo } from './node.js';

const port = Number(process.env.DEMO_PORT ?? 5173);
const host = process.env.HOST ?? '127.0.0.1';
const bffUrl = process.env.BFF_URL ?? 'http://127.0.0.1:8787';

try {
  const demo = await startDemo({
    port,
    host,
    bffUrl,
    portalUrl: process.env.PORTAL_URL,
    webhookSecret: process.env.WEBHOOK_SECRET,
  });
  console.log(`demo     ${demo.url}  (BFF ${bffUrl})`);
  const stop = () => void demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
