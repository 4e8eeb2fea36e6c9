import { GatehouseError } from '../../core/index.js';
import { NOT_FORWARDED } from '../upstream/header-policy.js';
import type { Exchange } from '../workflows/exchange.js';

/** Headers the MCP transport frames each request with (session, revision, content negotiation, trace): the pool's own. */
const MCP_FRAMING = new Set([
  'content-type',
  'content-length',
  'accept',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
  'traceparent',
  'tracestate',
]);

/** At most this many headers, and bytes of names and values, go to the upstream from a workflow. */
const MAX_HEADERS = 32;
const MAX_BYTES = 8_192;

/**
 * The headers a request workflow set (set_headers) that go with the call's request to the MCP
 * upstream: hop-by-hop, the gateway's own and the transport's framing headers stay out. They go
 * beneath the upstream's configured headers and credentials, so `Authorization` reaches only an
 * upstream that has none of its own. Null when none; too many or too large fails the call (a bounded cost).
 */
export function upstreamHeadersOf(x: Exchange): Readonly<Record<string, string>> | null {
  if (x.headerEdits === null) return null;
  const out: Record<string, string> = {};
  let count = 0;
  let bytes = 0;
  for (const [name, value] of x.headerEdits) {
    if (value === null || NOT_FORWARDED.has(name) || MCP_FRAMING.has(name) || name === '__proto__') continue;
    if (/[\r\n\0]/.test(value))
      throw new GatehouseError('GATEHOUSE_WORKFLOW_NODE_FAILED', `The workflow set header ${name} to a value with a line break, which no request can carry.`);
    count++;
    bytes += name.length + value.length;
    if (count > MAX_HEADERS || bytes > MAX_BYTES)
      throw new GatehouseError(
        'GATEHOUSE_WORKFLOW_NODE_FAILED',
        `The workflow sets more headers for the MCP upstream than a call carries (at most ${MAX_HEADERS}, ${MAX_BYTES} bytes in all).`,
      );
    out[name] = value;
  }
  return count === 0 ? null : out;
}
