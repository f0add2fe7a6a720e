import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  id: string;
  type: string;
  data: { orderRef: string; status: string; sessionId: string };
}

/** A merchant's webhook endpoint: verifies each Standard Webhooks signature and records it. */
export async function startMerchantReceiver(secret: string) {
  const webhook = new Webhook(secret);
  const deliveries: Delivery[] = [];
  const rejected: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const header = (name: string) => String(req.headers[name] ?? '');
      try {
        const event = webhook.verify(body, {
          'webhook-id': header('webhook-id'),
          'webhook-timestamp': header('webhook-timestamp'),
          'webhook-signature': header('webhook-signature'),
        }) as Omit<Delivery, 'id'>;
        deliveries.push({ id: header('webhook-id'), ...event });
        res.writeHead(204).end();
      } catch (error) {
        rejected.push(String(error));
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    deliveries,
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
