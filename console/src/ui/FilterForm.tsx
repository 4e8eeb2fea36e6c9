import { useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { Field } from './Field';

export interface FilterDef {
  name: string;
  label: string;
  options?: readonly string[];
  type?: 'text' | 'number' | 'datetime';
}

/** The filters of an explorer, kept in the URL so a chart point or a shared link opens the same search. */
export function useFilters(): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(useSearch()));
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
                {d.options.map((o) => (
                  <option key={o}>{o}</option>
                ))}
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
