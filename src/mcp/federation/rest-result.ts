import type { CallToolResult } from '@modelcontextprotocol/server';
import { GatehouseError } from '../../core/index.js';
import type { GatewayResponse } from '../../gateway/index.js';
import { isJsonType, refusalOf } from '../catalog/call-endpoint.js';
import { ERROR_META_KEY } from './tool-error.js';

/** Where a REST tool's result says which HTTP answer it came from (status, request id), for a client that wants it. */
export const REST_META_KEY = 'io.gatehouse/rest';

function headerOf(res: GatewayResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : v === undefined ? undefined : String(v);
}

/** A text the model can read: the body cut at `max` bytes (no half character), the cut said. */
function textOf(body: Buffer, max: number, cutUpstream: boolean): { text: string; cut: boolean } {
  if (body.length <= max && !cutUpstream) return { text: body.toString('utf8'), cut: false };
  const shown = body
    .subarray(0, Math.min(body.length, max))
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return { text: `${shown}\n[truncated by Gatehouse: the answer is larger than ${Buffer.byteLength(shown)} bytes; only those are shown]`, cut: true };
}

/**
 * The REST pipeline's answer as a tool result. A refusal by the gateway (a limit, access, a guardrail,
 * a held call) is thrown with its code, for the virtual server to record and answer like any refused
 * tool call. The API's own 4xx/5xx is an `isError` result (GATEHOUSE_MCP_UPSTREAM_ERROR, with its
 * status and body). A JSON object answer is `structuredContent` (with its text twin); anything else,
 * or an answer cut at `maxBytes`, is text; an image is an image.
 */
export function restResult(res: GatewayResponse, maxBytes: number, schemaBound: boolean): CallToolResult {
  const refusal = refusalOf(res);
  if (refusal) throw new GatehouseError(refusal.code, refusal.message, refusal.details);
  const meta = { [REST_META_KEY]: { status: res.status, requestId: res.requestId } };
  const type = headerOf(res, 'content-type');
  const { text, cut } = textOf(res.body, maxBytes, res.truncated);
  if (res.status >= 400) {
    const error = { code: 'GATEHOUSE_MCP_UPSTREAM_ERROR', message: `The API answered ${res.status}.`, status: res.status, requestId: res.requestId };
    const body = !cut && isJsonType(type) ? parsed(text) : text;
    // As errorResult: no structuredContent on a tool with an output schema (SDK v1 clients would check it against the schema).
    return {
      content: [{ type: 'text', text: JSON.stringify({ error, body }) }],
      ...(schemaBound ? {} : { structuredContent: { error, body } }),
      _meta: { ...meta, [ERROR_META_KEY]: error },
      isError: true,
    };
  }
  if (res.body.length === 0) return { content: [{ type: 'text', text: `The API answered ${res.status} with no content.` }], _meta: meta };
  if (!cut && type?.toLowerCase().startsWith('image/'))
    return { content: [{ type: 'image', data: res.body.toString('base64'), mimeType: type.split(';')[0]!.trim() }], _meta: meta };
  if (!cut && isJsonType(type)) {
    const value = parsed(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return { content: [{ type: 'text', text }], structuredContent: value as Record<string, unknown>, _meta: meta };
  }
  return { content: [{ type: 'text', text }], _meta: { ...meta, ...(cut ? { 'gatehouse/truncated': true } : {}) } };
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
