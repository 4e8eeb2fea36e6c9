import { when, isTimeField } from '../ui/format';
import { labelOfField, referenceOf } from './labels';
import { RefLink } from './references';

function Value({ resource, name, value }: { resource: string; name: string; value: unknown }) {
  const ref = referenceOf(resource, name);
  if (ref && typeof value === 'string' && value) return <RefLink resource={ref} id={value} />;
  if (ref && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    if (value.length === 0) return <span className="muted">none</span>;
    return (
      <>
        {value.map((v, i) => (
          <span key={v}>
            {i > 0 ? ', ' : ''}
            <RefLink resource={ref} id={v} />
          </span>
        ))}
      </>
    );
  }
  if (isTimeField(name, value)) return <>{when(value)}</>;
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (typeof value === 'boolean') return <>{value ? 'yes' : 'no'}</>;
  if (typeof value === 'object') return <code className="inline-json">{JSON.stringify(value)}</code>;
  return <>{String(value)}</>;
}

/** An item's fields with people's labels, dates in the console's one format, and referenced items linked by name. */
export function Details({ resource, item }: { resource: string; item: Record<string, unknown> }) {
  return (
    <dl className="details" aria-label="Details">
      {Object.entries(item).map(([k, v]) => (
        <div key={k}>
          <dt>{labelOfField(k)}</dt>
          <dd>
            <Value resource={resource} name={k} value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
