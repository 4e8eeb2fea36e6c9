import { useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { Field } from './Field';

/** A choice of a select filter: its value alone, or a value shown by a name (a person by username). */
export type FilterOption = string | { value: string; label: string };

export interface FilterDef {
  name: string;
  label: string;
  options?: readonly FilterOption[];
  type?: 'text' | 'number' | 'datetime';
}

/** The filters of an explorer, kept in the URL so a chart point or a shared link opens the same search. */
export function useFilters(): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(useSearch()));
}

/** The options, with the value the URL holds added when they lack it (a link may name what the list does not offer). */
function withCurrent(options: readonly FilterOption[], current: string | undefined): readonly FilterOption[] {
  if (!current || options.some((o) => (typeof o === 'string' ? o : o.value) === current)) return options;
  return [...options, current];
}

export function FilterForm({ label, defs }: { label: string; defs: FilterDef[] }) {
  const current = useFilters();
  const [draft, setDraft] = useState(current);
  const [location, navigate] = useLocation();
  return (
    <form
      className="filters"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        const q = new URLSearchParams(Object.entries(draft).filter(([, v]) => v !== ''));
        navigate(`${location}?${q}`);
      }}
    >
      {defs.map((d) => (
        <Field key={d.name} label={d.label}>
          {(id) =>
            d.options ? (
              <select id={id} value={draft[d.name] ?? ''} onChange={(e) => setDraft({ ...draft, [d.name]: e.target.value })}>
                <option value="">Any</option>
                {withCurrent(d.options, draft[d.name]).map((o) =>
                  typeof o === 'string' ? (
                    <option key={o}>{o}</option>
                  ) : (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ),
                )}
              </select>
            ) : (
              <input
                id={id}
                type={d.type === 'number' ? 'number' : 'text'}
                placeholder={d.type === 'datetime' ? '2026-01-01T00:00:00Z' : undefined}
                value={draft[d.name] ?? ''}
                onChange={(e) => setDraft({ ...draft, [d.name]: e.target.value })}
              />
            )
          }
        </Field>
      ))}
      <button type="submit">Search</button>
    </form>
  );
}
