/**
 * Which headers cross the gateway, in one place: every entry point (REST, Gateway MCP
 * `execute_call`, workflow nodes) and the upstream forwarder decide by these lists.
 */

/** Headers for one hop only (RFC 9110 §7.6.1 and their legacy kin): never passed on, in either direction. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Request headers a caller sends that never reach the upstream: hop-by-hop, the gateway's own
 * credentials and caller identification, and those the gateway sets itself (Host, forwarding, request id).
 */
export const NOT_FORWARDED = new Set([
  ...HOP_BY_HOP,
  'host',
  // undici refuses Expect; the gateway has already accepted the body by forwarding it.
  'expect',
  'x-api-key',
  'x-client-id',
  'x-profile-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-request-id',
]);

/**
 * Client-address and scheme headers that only a trusted proxy in front may set: from any other
 * peer they are dropped, so an upstream never sees an address or scheme the caller chose.
 */
export const FROM_TRUSTED_PEER_ONLY = new Set(['forwarded', 'x-real-ip', 'x-forwarded-port', 'x-forwarded-prefix']);

/**
 * Headers a caller that describes its call as data (Gateway MCP `execute_call`, a workflow's
 * sample request) may not set: everything never forwarded, the credentials the gateway itself
 * sends or consumes (`Authorization`, cookies), and framing the gateway computes.
 */
export const NOT_SETTABLE = new Set([...NOT_FORWARDED, ...FROM_TRUSTED_PEER_ONLY, 'authorization', 'cookie', 'content-length']);
