type Json = unknown;

function flatten(value: Json, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, JSON.stringify(value));
  return out;
}

/** Before and after side by side, one row per field, changed rows marked (for screen readers too). */
export function DiffView({ diff }: { diff: Json }) {
  const d = (diff ?? {}) as { before?: Json; after?: Json };
  const before = flatten(d.before ?? null);
  const after = flatten(d.after ?? null);
  const fields = [...new Set([...before.keys(), ...after.keys()])].sort();
  if (fields.length === 0) return <p className="muted">No before/after recorded.</p>;
  return (
    <table className="diff">
      <caption>Before and after</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => {
          const changed = before.get(f) !== after.get(f);
          return (
            <tr key={f} className={changed ? 'changed' : ''}>
              <th scope="row">
                {f}
                {changed ? <span className="sr-only"> (changed)</span> : null}
              </th>
              <td>{before.get(f) ?? '—'}</td>
              <td>{after.get(f) ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
