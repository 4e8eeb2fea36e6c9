import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/server';

/** JSON with object keys sorted at every level, so the same definition always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The pin of an upstream tool definition: a SHA-256 of what the model is told and what the tool
 * accepts and claims (name, description, input and output schemas, annotations). A definition the
 * upstream changes after an admin approved it — a "rug pull" — no longer matches its pin.
 */
export function definitionPin(tool: Tool): string {
  const { name, description, inputSchema, outputSchema, annotations } = tool;
  return `sha256:${createHash('sha256').update(canonical({ name, description, inputSchema, outputSchema, annotations })).digest('hex')}`;
}
