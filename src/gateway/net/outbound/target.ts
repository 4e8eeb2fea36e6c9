import { isIP } from 'node:net';
import { isPrivateAddress } from './address-policy.js';
import { OutboundError } from './outbound-error.js';

/**
 * The URL an outbound request may go to: http(s) only, no credentials in it, and (unless private
 * networks are allowed) no loopback name or non-public address literal. Host names are vetted again
 * after resolution, on the connection itself (see vetting-lookup.ts).
 */
export function checkTarget(target: string | URL, allowPrivateNetworks: boolean): URL {
  const url = URL.parse(String(target));
  if (!url) throw new OutboundError('refused', 'the URL is not valid');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundError('refused', `${url.protocol} URLs are not fetched`);
  if (url.username || url.password) throw new OutboundError('refused', 'URLs with credentials are not fetched');
  if (!allowPrivateNetworks && isInternalHost(url.hostname))
    throw new OutboundError('refused', `${url.host} is a loopback, private or link-local address, which this gateway does not call`);
  return url;
}

/** A loopback name (`localhost`, `*.localhost`) or a literal address that is not public. */
function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && isPrivateAddress(host);
}
