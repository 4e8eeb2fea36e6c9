import { useParams } from 'wouter';
import { type ResourceDoc, resourceOf, useApiDoc } from '../api/openapi-doc';
import { labelOfResource } from './labels';

/** The resource named in the URL, described by the admin OpenAPI document. */
export function useResource(): { name: string; resource: ResourceDoc | undefined; loading: boolean; error: unknown } {
  const { resource: name = '' } = useParams<{ resource: string }>();
  const doc = useApiDoc();
  return { name, resource: doc.data ? resourceOf(doc.data, name) : undefined, loading: doc.isLoading, error: doc.error };
}

/** `/workflows/{id}` with the id filled in. */
export function itemPath(template: string, id: string): string {
  return template.replace(/\{[^}]+\}/, encodeURIComponent(id));
}

/** `policies` → `policy`, `virtual-mcps` → `virtual MCP server`: for "New …" buttons. */
export function singular(name: string): string {
  return labelOfResource(name).singular;
}

/** `mcp-servers` → `MCP servers`, from the label table. */
export function titleOf(name: string): string {
  return labelOfResource(name).plural;
}

/** A readable label for an item: its name, slug, username, server or id. */
export function labelOf(item: Record<string, unknown>): string {
  if (typeof item.server === 'string' && typeof item.username === 'string') return `${item.username} → ${item.server}`;
  for (const k of ['name', 'slug', 'username', 'subject', 'id']) if (typeof item[k] === 'string') return item[k] as string;
  return String(item.id ?? '');
}

/** A row key for an item: its id, else what names it (connections and workflow node types have no id of their own). */
export function keyOf(item: Record<string, unknown>): string {
  if (typeof item.id === 'string') return item.id;
  return JSON.stringify([item.serverId, item.subject, item.name, item.slug, item.type]);
}
