import type { IncomingMessage } from 'node:http';
import type { TraceHeaders } from '../../gateway/index.js';
import { isPlain } from './protocol.js';

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The W3C trace context an MCP request continues: `params._meta.traceparent` (and `tracestate`),
 * where MCP clients put it, else the HTTP request's own headers. Null when neither carries one,
 * so an untraced request allocates nothing.
 */
export function traceContextOf(req: IncomingMessage, message: unknown): TraceHeaders | null {
  const params = isPlain(message) ? message.params : undefined;
  const meta = isPlain(params) ? params._meta : undefined;
  const fromMeta = isPlain(meta) ? single(meta.traceparent) : undefined;
  if (fromMeta !== undefined) return { traceparent: fromMeta, tracestate: single((meta as Record<string, unknown>).tracestate) };
  const header = single(req.headers.traceparent);
  return header === undefined ? null : { traceparent: header, tracestate: single(req.headers.tracestate) };
}
