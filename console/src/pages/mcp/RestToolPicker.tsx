import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { RefSelect } from '../../resources/references';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import type { RestToolInput } from './types';

const HINTS = [
  ['readOnlyHint', 'read-only'],
  ['destructiveHint', 'destructive'],
] as const;

/** A tool name from an operation: its operationId (else method and path) in the characters a tool name allows, at most 64. */
export function toolNameOf(ep: { method: string; path: string; operationId?: string | undefined }): string {
  const base = ep.operationId ?? `${ep.method.toLowerCase()}_${ep.path}`;
  return (
    base
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .replace(/_{2,}/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 64) || 'operation'
  );
}

/** One picked REST tool: its name, description and the hints derived from the method, each overridable. */
function PickedRow({ tool, label, onChange, onRemove }: { tool: RestToolInput; label: string; onChange: (t: RestToolInput) => void; onRemove: () => void }) {
  const setHint = (k: (typeof HINTS)[number][0], v: string) => {
    const next: Record<string, boolean> = { ...(tool.annotations ?? {}) };
    if (v === '') delete next[k];
    else next[k] = v === 'yes';
    const { annotations: _old, ...rest } = tool;
    onChange(Object.keys(next).length > 0 ? { ...rest, annotations: next } : rest);
  };
  return (
    <tr>
      <td>
        <code>{label}</code>
      </td>
      <td>
        <input aria-label={`Tool name for ${label}`} value={tool.name} onChange={(e) => onChange({ ...tool, name: e.target.value })} required maxLength={64} />
      </td>
      <td>
        <input
          aria-label={`Description for ${label}`}
          placeholder="(the operation's)"
          value={tool.description ?? ''}
          onChange={(e) => {
            const { description: _old, ...rest } = tool;
            onChange(e.target.value === '' ? rest : { ...rest, description: e.target.value });
          }}
        />
      </td>
      <td>
        {HINTS.map(([k, hint]) => {
          const own = tool.annotations?.[k];
          return (
            <label key={k} className="hint">
              {hint}{' '}
              <select aria-label={`${hint} hint for ${label}`} value={own === undefined ? '' : own ? 'yes' : 'no'} onChange={(e) => setHint(k, e.target.value)}>
                <option value="">(from the method)</option>
                <option value="yes">yes</option>
                <option value="no">no</option>
              </select>
            </label>
          );
        })}
      </td>
      <td>
        <button type="button" onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove
        </button>
      </td>
    </tr>
  );
}

/**
 * The gateway's own REST operations as tools of a virtual server: search one API's endpoints,
 * add them, and name, describe and hint each as clients will see it. A call of the tool runs the
 * REST pipeline as the caller's profile; the operation must be published (and exposed to MCP) to be served.
 */
export function RestToolPicker({ value, onChange }: { value: RestToolInput[]; onChange: (v: RestToolInput[]) => void }) {
  const [proxyId, setProxyId] = useState('');
  const [q, setQ] = useState('');
  // Labels of the operations picked in this session; a saved tool shows its operation reference.
  const [labels, setLabels] = useState<Record<string, string>>({});
  const found = useQuery({
    queryKey: ['endpoints', proxyId, q],
    enabled: proxyId !== '',
    queryFn: () =>
      unwrap(api.GET('/proxies/{proxyId}/endpoints', { params: { path: { proxyId }, query: { limit: 50, ...(q.trim() ? { q: q.trim() } : {}) } } })),
  });
  const picked = new Set(value.map((t) => t.operation));
  const taken = new Set(value.map((t) => t.name));
  return (
    <fieldset className="panel" aria-label="REST operations as tools">
      <legend>REST operations as tools</legend>
      <div className="row">
        <Field label="API">{(id) => <RefSelect id={id} resource="proxies" value={proxyId} onChange={setProxyId} />}</Field>
        <label>
          Search <input type="search" aria-label="Search operations" value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. create order" />
        </label>
      </div>
      <ErrorBox error={found.error} />
      {found.data ? (
        <ul className="plain" aria-label="Operations found">
          {found.data.items.map((ep) => {
            const label = `${ep.method} ${ep.path}`;
            return (
              <li key={ep.id}>
                <button
                  type="button"
                  disabled={picked.has(ep.id) || !ep.mcpExposed}
                  aria-label={`Add ${label}`}
                  onClick={() => {
                    let name = toolNameOf(ep);
                    for (let i = 2; taken.has(name); i++) name = `${toolNameOf(ep).slice(0, 60)}_${i}`;
                    setLabels({ ...labels, [ep.id]: label });
                    onChange([...value, { operation: ep.id, name }]);
                  }}
                >
                  Add
                </button>{' '}
                <code>{label}</code> {ep.summary ? <span className="muted">— {ep.summary}</span> : null}
                {ep.mcpExposed ? null : <span className="muted"> (not exposed to MCP)</span>}
              </li>
            );
          })}
        </ul>
      ) : null}
      {value.length > 0 ? (
        <table aria-label="Picked REST operations">
          <thead>
            <tr>
              <th>Operation</th>
              <th>Tool name</th>
              <th>Description</th>
              <th>Hints</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {value.map((tool, i) => (
              <PickedRow
                key={tool.operation}
                tool={tool}
                label={labels[tool.operation] ?? tool.operation}
                onChange={(t) => onChange(value.map((x, j) => (j === i ? t : x)))}
                onRemove={() => onChange(value.filter((_, j) => j !== i))}
              />
            ))}
          </tbody>
        </table>
      ) : null}
    </fieldset>
  );
}
