import type { CallToolResult } from '@modelcontextprotocol/server';
import type { GatehouseError } from '../../core/index.js';

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
  const details = (err.details ?? {}) as { connectUrl?: unknown; approvalId?: unknown; url?: unknown };
  const held = err.code === 'GATEHOUSE_APPROVAL_REQUIRED' && typeof details.approvalId === 'string' && typeof details.url === 'string';
  const error = {
    code: err.code,
    message: err.message,
    ...(typeof details.connectUrl === 'string' ? { connectUrl: details.connectUrl } : {}),
    ...(held ? { approvalId: details.approvalId, approvalUrl: details.url } : {}),
    ...(err.headers !== undefined ? { headers: err.headers } : {}),
  };
  const result: CallToolResult = { content: [{ type: 'text', text: JSON.stringify({ error }) }], _meta: { [ERROR_META_KEY]: error }, isError: true };
  return schemaBound ? result : { ...result, structuredContent: { error } };
}
