import type { Context } from 'hono';

/**
 * Reads a request body as text. The default goes through the Fetch `Request`; a runtime entry
 * may pass a faster one (the Node entry reads the socket stream directly instead of through a
 * web stream). A reader must refuse bodies over `limit` bytes by throwing.
 */
export type BodyReader = (c: Context, limit: number) => Promise<string> | undefined;

/** The body as text through `reader` when it handles this request, else `c.req.text()`. */
export function readBodyText(
  c: Context,
  reader: BodyReader | undefined,
  limit: number,
): Promise<string> {
  return reader?.(c, limit) ?? c.req.text();
}
