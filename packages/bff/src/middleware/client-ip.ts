import type { Context } from 'hono';

export interface ClientIpOptions {
  /**
   * Proxies in front of the BFF that append to `X-Forwarded-For` (`TRUST_PROXY`). 0: the header
   * is ignored, as anyone can send it.
   */
  trustProxyHops: number;
  /** The socket's peer address, from the runtime (the Node entry passes one). */
  fromConnection?: ((c: Context) => string | undefined) | undefined;
}

/**
 * The address the rate limit keys on. Behind N trusted proxies the client is the N-th address
 * from the right of `X-Forwarded-For`: entries further left were written by the client itself and
 * prove nothing. Otherwise, and when the header is missing, the connection's peer.
 */
export function clientIpResolver({ trustProxyHops, fromConnection }: ClientIpOptions) {
  return function clientIp(c: Context): string {
    const forwardedFor = c.req.header('x-forwarded-for');
    if (trustProxyHops > 0 && forwardedFor !== undefined) {
      const hops = forwardedFor
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      const ip = hops[hops.length - trustProxyHops] ?? hops[0];
      if (ip !== undefined) return ip;
    }
    return fromConnection?.(c) ?? 'unknown';
  };
}
