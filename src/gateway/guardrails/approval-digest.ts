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

/** The SHA-256 (hex) an approval is bound to: the caller, the target and the canonical arguments. */
export function approvalDigest(caller: string, target: string, args: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ caller, target, arguments: args }))
    .digest('hex');
}
