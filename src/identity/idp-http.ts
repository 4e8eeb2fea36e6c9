import { OutboundClient } from '../gateway/net/index.js';

/**
 * Requests to identity providers an administrator configured (discovery documents, signing keys,
 * token endpoints): any address the administrator named, as before, but through the outbound
 * module, so with the connection's DNS answer pinned, time and size bounded, and no redirects.
 */
export const idpHttp = new OutboundClient({ allowPrivateNetworks: true, timeoutMs: 10_000, maxBytes: 1_048_576 });
