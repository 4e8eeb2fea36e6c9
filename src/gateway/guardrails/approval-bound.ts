import { FROM_TRUSTED_PEER_ONLY, NOT_FORWARDED } from '../upstream/header-policy.js';
import type { Exchange } from '../workflows/exchange.js';
import { type BoundCall, bodySha256 } from './approval-digest.js';
import { type ExactJson, readJsonExactly } from './approval-json.js';

/**
 * Forwarded request headers an approval does not bind: they vary from one attempt of the same call
 * to the next (tracing, the client's software, transport encodings, browser fetch metadata) and
 * do not select what the upstream executes. Every other forwarded header is bound — Content-Type,
 * Content-Encoding, X-HTTP-Method-Override, cookies, tenant or account headers alike — so a
 * header the upstream acts on can never change under an approval.
 */
const UNBOUND = new Set([
  'user-agent',
  'accept-encoding',
  'content-length',
  'date',
  'traceparent',
  'tracestate',
  'baggage',
  'sentry-trace',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'x-amzn-trace-id',
  'x-cloud-trace-context',
]);

/** The forwarded headers an approval binds (see UNBOUND), and every header a workflow node set or removed. */
function boundHeaders(x: Exchange): Record<string, string> {
  const out: Record<string, string> = {};
  const credential = x.ctx.credentialHeader;
  const headers = x.requestHeaders;
  for (const name of Object.keys(headers).sort()) {
    const value = headers[name];
    if (value === undefined || name === '__proto__' || name === credential || NOT_FORWARDED.has(name) || FROM_TRUSTED_PEER_ONLY.has(name)) continue;
    if (UNBOUND.has(name) || name.startsWith('sec-')) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // A node may set a header the caller cannot (and the forwarder applies it last): bound as set.
  for (const [name, value] of x.headerEdits ?? []) if (name !== '__proto__') out[name] = value ?? '(removed)';
  return out;
}

/** Whether the upstream reads the body as JSON: MCP arguments always; REST by its declared content type. */
function readAsJson(x: Exchange): boolean {
  if (x.ctx.mcp) return true;
  const type = x.requestHeaders['content-type'];
  return typeof type === 'string' && /^\s*application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type);
}

/** The body of the call as the approval reads it: exact JSON where the upstream reads JSON, else undefined (its bytes). */
export function exactBodyOf(x: Exchange): ExactJson | undefined {
  return readAsJson(x) ? readJsonExactly(x.requestBody) : undefined;
}

/** Who called through what (see BoundCall.via). */
function viaOf(x: Exchange): string {
  const c = x.ctx.caller;
  if (c) return `client:${c.client.id}/profile:${c.profile.id}`;
  return x.ctx.mcp?.caller.actor ?? '';
}

/**
 * The call as the upstream gets it once the request phase is done: the method, the concrete path
 * after any rewrite (the base path and the path below it, with the trailing slash the forwarder
 * sends), the query byte for byte, the proxy and route group or the virtual server's upstream and
 * its own tool name, the headers that can change what is executed, and the body's digest.
 */
export function boundCallOf(x: Exchange, caller: string, json: ExactJson | undefined): BoundCall {
  const mcp = x.ctx.mcp;
  const proxy = x.ctx.proxy?.proxy;
  return {
    caller,
    via: viaOf(x),
    method: mcp ? mcp.method : x.ctx.method,
    path: mcp ? x.ctx.path : `${proxy?.basePath ?? ''}${x.rest}`,
    query: mcp ? '' : x.query,
    upstream: mcp ? `${mcp.upstream}/${mcp.upstreamTool}` : `${proxy?.id ?? ''}${x.route ? ` route ${x.route.name}` : ''}`,
    headers: boundHeaders(x),
    bodySha256: bodySha256(x.requestBody, json),
    mcp: mcp ? { server: mcp.server, tool: mcp.tool } : null,
  };
}
