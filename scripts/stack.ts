import { randomBytes } from 'node:crypto';
import { loadConfig, startBff } from '@buy-button/bff';
import { startDemo } from '@buy-button/demo';
import { FIXTURES, sandboxOptionsFromEnv, startSandbox } from '@buy-button/sandbox';
import { freePort } from './free-port.js';

export interface StackOptions {
  host: string;
  /** `0` picks a free port. */
  sandboxPort: number;
  bffPort: number;
  demoPort: number;
  /** Extra BFF settings (same names as its environment), applied over the zero-config defaults. */
  bff?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

export interface Stack {
  sandboxUrl: string;
  bffUrl: string;
  demoUrl: string;
  close(): Promise<void>;
}

/** The demo shop's catalog: the sandbox's two fixture buttons, at the sandbox's prices. */
export const DEMO_BUTTONS = {
  btn_coffee: { name: 'Coffee beans', price: '4.50', currency: 'EUR', maxQuantity: 10 },
  btn_donation: { name: 'Donation', currency: 'EUR', min: '1.00', max: '500.00' },
} as const;

/**
 * Starts the sandbox, a BFF logged in with the sandbox's service account, and the demo shop,
 * wired together with no configuration: the BFF allows the demo's origin, forwards verified
 * payments to the demo's webhook, and the secrets are fresh random values for this run.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { host } = options;
  const env = options.env ?? process.env;
  const [sandboxPort, bffPort, demoPort] = await Promise.all(
    [options.sandboxPort, options.bffPort, options.demoPort].map((port) =>
      port === 0 ? freePort(host) : Promise.resolve(port),
    ),
  );
  const base = (port: number | undefined) => `http://${host}:${port}`;
  const demoUrl = base(demoPort);
  const bffUrl = base(bffPort);
  const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const demoOrigins = [demoUrl];
  if (host === '127.0.0.1') demoOrigins.push(`http://localhost:${demoPort}`);

  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of closers.reverse()) await stop().catch(() => {});
  };
  try {
    const sandbox = await startSandbox({
      ...sandboxOptionsFromEnv(env),
      port: sandboxPort ?? 0,
      host,
    });
    closers.push(() => sandbox.close());

    const config = loadConfig({
      UPSTREAM_API_URL: `${sandbox.url}/api`,
      PORTAL_URL: `${sandbox.url}/pay`,
      UPSTREAM_EMAIL: FIXTURES.accounts.service.email,
      UPSTREAM_PASSWORD: FIXTURES.accounts.service.password,
      PUBLIC_URL: bffUrl,
      ALLOWED_ORIGINS: demoOrigins.join(','),
      ALLOWED_REDIRECT_ORIGINS: demoOrigins.join(','),
      BUTTONS: JSON.stringify(DEMO_BUTTONS),
      RECEIPT_SECRET: randomBytes(32).toString('base64url'),
      WEBHOOK_FORWARD_URL: `${demoUrl}/webhooks/lyzi`,
      WEBHOOK_SECRET: webhookSecret,
      ORDER_REF_PREFIX: 'demo-',
      ...(env.RATE_LIMIT ? { RATE_LIMIT: env.RATE_LIMIT } : {}),
      ...options.bff,
    });
    const bff = await startBff({ config, port: bffPort ?? 0, host });
    closers.push(() => bff.close());

    const demo = await startDemo({
      port: demoPort ?? 0,
      host,
      bffUrl: bff.url,
      portalUrl: `${sandbox.url}/pay`,
      webhookSecret,
    });
    closers.push(() => demo.close());

    return { sandboxUrl: sandbox.url, bffUrl: bff.url, demoUrl: demo.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
