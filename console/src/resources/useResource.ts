import { useParams } from 'wouter';
import { type ResourceDoc, resourceOf, useApiDoc } from '../api/openapi-doc';

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

/** `policies` → `policy`, `workflows` → `workflow`: for "New …" buttons. */
export function singular(name: string): string {
  return name.replace(/ies$/, 'y').replace(/s$/, '').replace(/-/g, ' ');
}

export function titleOf(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).replace(/-/g, ' ');
}

/** A readable label for an item: its name, slug, username or id. */
export function labelOf(item: Record<string, unknown>): string {
  for (const k of ['name', 'slug', 'username', 'subject', 'id']) if (typeof item[k] === 'string') return item[k] as string;
  return String(item.id);
}
