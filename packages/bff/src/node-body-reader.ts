import type { IncomingMessage } from 'node:http';
import { ProblemError } from './problems/problem-error.js';
import type { BodyReader } from './runtime/body-reader.js';

/**
 * Reads the body straight from Node's request stream, skipping the web-stream copy the Fetch
 * `Request` would make; answers `undefined` (use the default) when the request did not come
 * through `@hono/node-server` or its body was already taken.
 */
export const nodeBodyReader: BodyReader = (c, limit) => {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming === undefined || incoming.readableEnded || incoming.readableDidRead)
    return undefined;
  return readIncomingBody(incoming, limit);
};

/** The whole body of `incoming` as UTF-8 text; rejects with a 413 problem past `limit` bytes. */
export function readIncomingBody(incoming: IncomingMessage, limit: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.removeAllListeners('data');
        incoming.resume();
        reject(
          new ProblemError('bodyTooLarge', { detail: `Bodies are limited to ${limit} bytes.` }),
        );
        return;
      }
      chunks.push(chunk);
    });
    incoming.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.once('error', reject);
  });
}
