import type { IncomingMessage } from 'node:http';
import { GatehouseError } from '../../core/index.js';

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

export interface RequestGuardOptions {
  /** The URL callers use for this listener: its origin and host are always allowed. */
  publicUrl: string;
  /** Further browser origins (scheme://host[:port]). */
  allowedOrigins?: readonly string[];
  /** Further Host names; when set, Host is checked on any listener. */
  allowedHosts?: readonly string[];
  /** Whether the listener is bound to loopback: then Host must name it (DNS rebinding). */
  loopbackListener: boolean;
}

function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  const colon = host.lastIndexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

/** `http://localhost:8080` when the listener is `http://127.0.0.1:8080`: the same loopback listener under another name, so the same site. */
function sameLoopbackListener(origin: string, port: string): boolean {
  const url = URL.parse(origin);
  return url !== null && url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname) && (url.port || '80') === port;
}

/**
 * The browser-facing checks of an MCP endpoint, before anything else: a `Host` the listener does
 * not answer to (a DNS-rebinding page) and an `Origin` other than the listener's own or a
 * configured one are refused (on a loopback listener, its port under any loopback name is its own).
 * `Origin: null` (sandboxed frames, file pages) and other loopback ports are foreign origins like
 * any other: a page on another local port is another site.
 */
export function requestGuard(opts: RequestGuardOptions): (req: IncomingMessage) => GatehouseError | null {
  const publicUrl = new URL(opts.publicUrl);
  const origins = new Set([publicUrl.origin, ...(opts.allowedOrigins ?? []).map((o) => o.replace(/\/$/, ''))]);
  const extraHosts = (opts.allowedHosts ?? []).map((h) => h.toLowerCase());
  const checkHost = opts.loopbackListener || extraHosts.length > 0;
  const hosts = new Set([...LOOPBACK_HOSTS, hostName(publicUrl.host), ...extraHosts]);
  const port = publicUrl.port || (publicUrl.protocol === 'https:' ? '443' : '80');
  return (req) => {
    const host = req.headers.host;
    if (checkHost && (host === undefined || !hosts.has(hostName(host)))) {
      return new GatehouseError('GATEHOUSE_MCP_ORIGIN_DENIED', `Host ${String(host).slice(0, 100)} is not allowed.`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin) && !(opts.loopbackListener && sameLoopbackListener(origin, port))) {
      return new GatehouseError('GATEHOUSE_MCP_ORIGIN_DENIED', `Origin ${origin.slice(0, 200)} is not allowed.`);
    }
    return null;
  };
}
