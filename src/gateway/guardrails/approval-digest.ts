import { createHash } from 'node:crypto';
import { type ExactJson, isExact } from './approval-json.js';

/** JSON with object keys sorted at every level, so equal arguments always digest the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/**
 * SHA-256 (hex) of a body as sent. Its raw bytes, except for JSON the upstream reads as JSON
 * (`json` given: a JSON content type, or MCP arguments) that its parsed value stands for exactly
 * (no repeated key, every number written as JavaScript writes it back: see isExact): then canonical
 * JSON of that value, so a retry that only reorders keys or whitespace is the same call, and
 * nothing an upstream reads differently is.
 */
export function bodySha256(raw: Buffer | null, json: ExactJson | undefined): string {
  const hash = createHash('sha256');
  if (json !== undefined && isExact(json)) hash.update(`json:${canonicalJson(json.value)}`);
  else hash.update('raw:').update(raw ?? Buffer.alloc(0));
  return hash.digest('hex');
}

/** The exact call an approval is bound to: what the upstream executes, and who asked. */
export interface BoundCall {
  /** Who called: the person or token subject (see Approval.caller). */
  caller: string;
  /** Through what: `client:<id>/profile:<id>` on REST and execute_call, the acting agent (or '') on a virtual server. */
  via: string;
  method: string;
  /** The concrete path the upstream gets (the proxy's base path and the path below it after any rewrite), never the endpoint template. */
  path: string;
  /** The query as the upstream gets it, byte for byte (`?…` or ''). */
  query: string;
  /** Where it goes: `<proxy id>` or `<proxy id> route <group>`; on a virtual server `<upstream>/<its tool>`. */
  upstream: string;
  /** The forwarded headers that can change what the upstream executes (see boundHeaders), names lower-case, sorted. */
  headers: Record<string, string>;
  bodySha256: string;
  /** On a virtual MCP server: its slug and the tool as the client sees it. */
  mcp: { server: string; tool: string } | null;
}

/** The SHA-256 (hex) an approval is bound to: who called, what exactly, where, with which body. */
export function approvalDigest(call: BoundCall): string {
  return createHash('sha256')
    .update(canonicalJson({ v: 3, ...call }))
    .digest('hex');
}
