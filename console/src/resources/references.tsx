import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { type OperationDoc, resourceOf, useApiDoc } from '../api/openapi-doc';
import { rawCall } from '../api/client';
import { labelOf } from './useResource';

export interface Option {
  id: string;
  label: string;
}

/** The query a list operation takes for "as many as one page holds": only the parameters it declares. */
export function pageQuery(list: OperationDoc, extra: Record<string, string> = {}): Record<string, string> {
  const limit = list.parameters.find((p) => p.name === 'limit' && p.in === 'query');
  const max = (limit?.schema as { maximum?: number } | undefined)?.maximum;
  return { ...(limit ? { limit: String(max ?? 50) } : {}), ...extra };
}

/** Every item of a resource (its first page, up to the API's largest), by id and name, for pickers and links. */
export function useOptions(resource: string | undefined) {
  const doc = useApiDoc();
  const list = resource && doc.data ? resourceOf(doc.data, resource)?.list : undefined;
  const usable = list !== undefined && !list.path.includes('{');
  const query = useQuery({
    queryKey: ['options', resource],
    enabled: usable,
    staleTime: 10_000,
    queryFn: async () => {
      const page = await rawCall<{ items: Array<Record<string, unknown> & { id: string }> }>('GET', list!.path, undefined, pageQuery(list!));
      return page.items.map((i): Option => ({ id: i.id, label: labelOf(i) }));
    },
  });
  return { usable, options: query.data, error: query.error };
}

/** A link to a referenced item, by its name (its id until the names are read). */
export function RefLink({ resource, id }: { resource: string; id: string }) {
  const { options } = useOptions(resource);
  const label = options?.find((o) => o.id === id)?.label ?? id;
  return <Link href={`/resources/${resource}/${encodeURIComponent(id)}`}>{label}</Link>;
}

/** Picks one item of a resource by name; the empty choice is "none". */
export function RefSelect({
  id,
  resource,
  value,
  onChange,
  describedBy,
  required,
}: {
  id: string;
  resource: string;
  value: string;
  onChange: (v: string) => void;
  describedBy?: string | undefined;
  required?: boolean;
}) {
  const { usable, options } = useOptions(resource);
  if (!usable)
    return <input id={id} aria-describedby={describedBy} value={value} onChange={(e) => onChange(e.target.value)} required={required} placeholder="id" />;
  const known = options?.some((o) => o.id === value);
  return (
    <span className="row tight">
      <select id={id} aria-describedby={describedBy} value={value} onChange={(e) => onChange(e.target.value)} required={required}>
        <option value="">(none)</option>
        {value && !known ? <option value={value}>{value}</option> : null}
        {options?.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
      {value ? <RefLink resource={resource} id={value} /> : null}
    </span>
  );
}

/** Picks any number of items of a resource by name (checkboxes: readable and keyboard-friendly). */
export function RefMulti({
  id,
  resource,
  value,
  onChange,
  label,
}: {
  id: string;
  resource: string;
  value: string[];
  onChange: (v: string[]) => void;
  label: string;
}) {
  const { usable, options } = useOptions(resource);
  if (!usable) {
    return <textarea id={id} rows={3} value={value.join('\n')} onChange={(e) => onChange(e.target.value.split('\n').filter(Boolean))} />;
  }
  return (
    <fieldset id={id} className="checks" aria-label={label}>
      {options?.length === 0 ? <span className="muted">None yet.</span> : null}
      {options?.map((o) => (
        <label key={o.id}>
          <input
            type="checkbox"
            checked={value.includes(o.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, o.id] : value.filter((v) => v !== o.id))}
          />{' '}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
