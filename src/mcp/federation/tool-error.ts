import { type CallToolResult, ProtocolError } from '@modelcontextprotocol/server';
import { GatehouseError } from '../../core/index.js';

/** Where a gateway error rides in a tool result's `_meta`, for every tool (see errorResult). */
export const ERROR_META_KEY = 'io.gatehouse/error';

/**
 * A failed call as a tool error; a connect link, a held call's approval id and link, and a limit's
 * RateLimit-* and Retry-After headers (as `execute_call` shows a REST refusal's) go with it for the
 * caller to act on. The error is always in `content` (what a model reads) and `_meta`; it is
 * also `structuredContent` only for a tool without an output schema: SDK v1 clients check
 * structuredContent against the tool's schema even on an error, so an `{error}` object there would
 * replace the gateway's error with "does not match the tool's output schema".
 */
export function errorResult(err: GatehouseError, schemaBound: boolean): CallToolResult {
  const error = errorOf(err);
  const result: CallToolResult = { content: [{ type: 'text', text: JSON.stringify({ error }) }], _meta: { [ERROR_META_KEY]: error }, isError: true };
  return schemaBound ? result : { ...result, structuredContent: { error } };
}

/** What the caller is told of a failed call: its code and message, and what it can act on (a connect link, a held call's approval, a limit's headers). */
function errorOf(err: GatehouseError): Record<string, unknown> {
  const details = (err.details ?? {}) as { connectUrl?: unknown; approvalId?: unknown; url?: unknown };
  const held = err.code === 'GATEHOUSE_APPROVAL_REQUIRED' && typeof details.approvalId === 'string' && typeof details.url === 'string';
  return {
    code: err.code,
    message: err.message,
    ...(typeof details.connectUrl === 'string' ? { connectUrl: details.connectUrl } : {}),
    ...(held ? { approvalId: details.approvalId, approvalUrl: details.url } : {}),
    ...(err.headers !== undefined ? { headers: err.headers } : {}),
  };
}

/**
 * A gateway failure as the caller's JSON-RPC error (its GATEHOUSE_ code first), with what a tool error would
 * carry as its data (a held call's approval link among it); anything else is rethrown as it is.
 */
export function asProtocolError(err: unknown): never {
  if (err instanceof GatehouseError) throw new ProtocolError(-32603, `${err.code}: ${err.message}`, errorOf(err));
  throw err;
}
