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
 * The pin of an upstream tool definition: a SHA-256 of the whole definition as the upstream gives
 * it — what the model is told and what the tool accepts and claims (name, title, description,
 * input and output schemas, annotations), and every other field a client acts on: `execution`
 * (whether it runs as a task), `icons`, `_meta` (an MCP App's `ui.resourceUri`, which decides the
 * HTML a host renders), and fields later revisions add. The served definition is this one with
 * only the curation's rename, description and annotation overrides applied, so the pin covers what
 * the client sees. A definition the upstream changes after an admin approved it — a "rug pull",
 * whether of its description or of the view it links — no longer matches its pin.
 */
export function definitionPin(tool: Tool): string {
  return `sha256:${createHash('sha256').update(canonical(tool)).digest('hex')}`;
}
