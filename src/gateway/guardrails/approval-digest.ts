import { createHash } from 'node:crypto';

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

/** The query as sent in canonical order (`?a=1&b=2`, or ''): the same parameters in another order are the same call. */
export function canonicalQuery(query: string): string {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  // Stable sort by name: repeated names keep their order, which the upstream may rely on.
  params.sort();
  const out = params.toString();
  return out === '' ? '' : `?${out}`;
}

/** SHA-256 (hex) of a body as sent: canonical JSON when it is JSON, else its raw bytes. */
export function bodySha256(raw: Buffer | null, json: unknown): string {
  const hash = createHash('sha256');
  if (json !== undefined) hash.update(`json:${canonicalJson(json)}`);
  else hash.update('raw:').update(raw ?? Buffer.alloc(0));
  return hash.digest('hex');
}

/** The exact call an approval is bound to. */
export interface BoundCall {
  caller: string;
  method: string;
  /** The concrete path as sent (after the proxy's normalization), never the endpoint template. */
  path: string;
  /** See canonicalQuery. */
  query: string;
  bodySha256: string;
  /** On a virtual MCP server: its slug and the tool as the client sees it. */
  mcp: { server: string; tool: string } | null;
}

/** The SHA-256 (hex) an approval is bound to: who called, what exactly, with which body. */
export function approvalDigest(call: BoundCall): string {
  return createHash('sha256')
    .update(canonicalJson({ v: 2, ...call }))
    .digest('hex');
}
