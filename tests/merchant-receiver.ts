import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  id: string;
  type: string;
  data: { orderRef: string; status: string; sessionId: string };
}

export interface MerchantReceiverOptions {
  /**
   * What the shop answers to a verified delivery, by the number of attempts received so far
   * (0 for the first): 204 by default; anything else is refused and not recorded.
   */
  answer?: (attempt: number) => number;
  /** How long each request is held before its answer, in ms, by attempt number. Default 0. */
  holdMs?: number | ((attempt: number) => number);
}

/** A merchant's webhook endpoint: verifies each Standard Webhooks signature and records it. */
export async function startMerchantReceiver(
  secret: string,
  options: MerchantReceiverOptions = {},
  port = 0,
) {
  const webhook = new Webhook(secret);
  const deliveries: Delivery[] = [];
  const rejected: string[] = [];
  /** Every verified attempt's webhook-id, accepted or not. */
  const attempts: string[] = [];
  /** Attempts of one webhook-id that overlapped in time (two senders at once). */
  const overlaps: string[] = [];
  const inFlight = new Set<string>();
  const state = { answer: options.answer ?? (() => 204) };
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
        const id = header('webhook-id');
        if (inFlight.has(id)) overlaps.push(id);
        inFlight.add(id);
        const status = state.answer(attempts.length);
        const hold =
          typeof options.holdMs === 'function' ? options.holdMs(attempts.length) : options.holdMs;
        attempts.push(id);
        setTimeout(() => {
          inFlight.delete(id);
          if (status >= 200 && status < 300) deliveries.push({ id, ...event });
          res.writeHead(status).end();
        }, hold ?? 0);
      } catch (error) {
        rejected.push(String(error));
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}/webhooks`,
    port: actualPort,
    deliveries,
    rejected,
    attempts,
    overlaps,
    /** Changes what the shop answers from now on. */
    answer(answer: (attempt: number) => number) {
      state.answer = answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
