import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import type { ProbedTool } from './probe';
import { servedName } from './tool-names';
import { type Curated, keyOf } from './types';

const WINDOWS = ['second', 'minute', 'hour', 'day'] as const;
const HINTS = [
  ['readOnlyHint', 'read-only'],
  ['destructiveHint', 'destructive'],
  ['idempotentHint', 'idempotent'],
  ['openWorldHint', 'open world'],
] as const;
type Hint = (typeof HINTS)[number][0];

/** The tool's annotations as the client will see them: the upstream's, or a yes/no set over them. */
function Hints({ tool, picked, onChange }: { tool: ProbedTool; picked: Curated; onChange: (a: Curated['annotations']) => void }) {
  const set = (k: Hint, v: string) => {
    const next: Record<string, boolean> = { ...(picked.annotations ?? {}) };
    if (v === '') delete next[k];
    else next[k] = v === 'yes';
    onChange(Object.keys(next).length > 0 ? next : undefined);
  };
  return (
    <details>
      <summary>Hints</summary>
      {HINTS.map(([k, label]) => {
        const upstream = tool.annotations?.[k];
        const own = picked.annotations?.[k];
        return (
          <label key={k} className="hint">
            {label}{' '}
            <select aria-label={`${label} hint for ${tool.name}`} value={own === undefined ? '' : own ? 'yes' : 'no'} onChange={(e) => set(k, e.target.value)}>
              <option value="">{upstream === undefined ? '(not said)' : `(upstream: ${upstream ? 'yes' : 'no'})`}</option>
              <option value="yes">yes</option>
              <option value="no">no</option>
            </select>
          </label>
        );
      })}
    </details>
  );
}

/** One upstream's live tools, probed through the gateway (the same read that curation pins against). */
export function useUpstreamTools(upstreamId: string) {
  return useQuery({
    queryKey: ['probe', upstreamId],
    staleTime: 60_000,
    queryFn: () => unwrap(api.POST('/mcp-servers/probe', { body: { id: upstreamId } })),
  });
}

function ToolRow({
  upstreamId,
  tool,
  picked,
  served,
  onChange,
}: {
  upstreamId: string;
  tool: ProbedTool;
  picked: Curated | undefined;
  /** The name clients will list the picked tool by (prefixed when the server composes several upstreams). */
  served: string | undefined;
  onChange: (t: Curated | undefined) => void;
}) {
  const set = (patch: Partial<Curated>) => {
    const next = { ...(picked ?? { upstreamId, name: tool.name }), ...patch } as Record<string, unknown>;
    for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === '') delete next[k];
    onChange(next as Curated);
  };
  return (
    <tr className={picked ? 'picked' : ''}>
      <td>
        <input
          type="checkbox"
          aria-label={`Pick ${tool.name}`}
          checked={picked !== undefined}
          onChange={(e) => onChange(e.target.checked ? { upstreamId, name: tool.name } : undefined)}
        />
      </td>
      <td>
        <code>{tool.name}</code>
        <div className="muted small">{tool.description}</div>
      </td>
      <td>
        {picked ? (
          <input
            aria-label={`New name for ${tool.name}`}
            placeholder={tool.name}
            value={picked.rename ?? ''}
            onChange={(e) => set({ rename: e.target.value || undefined })}
          />
        ) : null}
        {/* Said beside the input: with several upstreams the server prefixes every name, so what is typed is not all clients see. */}
        {picked && served !== (picked.rename ?? tool.name) ? (
          <div className="muted small">
            clients see <code data-testid={`served-${tool.name}`}>{served}</code>
          </div>
        ) : null}
      </td>
      <td>
        {picked ? (
          <textarea
            className="wide-note"
            aria-label={`Description shown for ${tool.name}`}
            rows={2}
            placeholder={tool.description ?? ''}
            value={picked.description ?? ''}
            onChange={(e) => set({ description: e.target.value || undefined })}
          />
        ) : null}
        {picked ? <Hints tool={tool} picked={picked} onChange={(annotations) => set({ annotations })} /> : null}
      </td>
      <td>
        {picked ? (
          <span className="row tight">
            <input
              aria-label={`Calls allowed per user for ${tool.name}`}
              type="number"
              min={1}
              placeholder="no limit"
              value={picked.rateLimit?.limit ?? ''}
              onChange={(e) => set({ rateLimit: e.target.value ? { window: picked.rateLimit?.window ?? 'minute', limit: Number(e.target.value) } : undefined })}
            />
            <select
              aria-label={`Per window for ${tool.name}`}
              value={picked.rateLimit?.window ?? 'minute'}
              disabled={!picked.rateLimit}
              onChange={(e) => picked.rateLimit && set({ rateLimit: { ...picked.rateLimit, window: e.target.value as (typeof WINDOWS)[number] } })}
            >
              {WINDOWS.map((w) => (
                <option key={w} value={w}>
                  per {w}
                </option>
              ))}
            </select>
          </span>
        ) : null}
      </td>
    </tr>
  );
}

/** Picks tools of one upstream from its live list: search, select all shown, and per tool a new name, a description and a limit. */
export function ToolPicker({
  upstreamId,
  upstreamName,
  composed,
  picked,
  onChange,
}: {
  upstreamId: string;
  upstreamName: string;
  /** True when the virtual server has several upstreams: the gateway then prefixes each tool's name by its upstream's. */
  composed: boolean;
  picked: Map<string, Curated>;
  onChange: (next: Map<string, Curated>) => void;
}) {
  const probe = useUpstreamTools(upstreamId);
  const [search, setSearch] = useState('');
  const tools = probe.data?.tools ?? [];
  const needle = search.trim().toLowerCase();
  const shown = needle ? tools.filter((t) => t.name.toLowerCase().includes(needle) || (t.description ?? '').toLowerCase().includes(needle)) : tools;
  const put = (entries: Array<[string, Curated | undefined]>) => {
    const next = new Map(picked);
    for (const [k, v] of entries) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    onChange(next);
  };
  const count = tools.filter((t) => picked.has(keyOf({ upstreamId, name: t.name }))).length;
  return (
    <section className="panel" aria-label={`Tools of ${upstreamName}`}>
      <h3>
        Tools of {upstreamName}{' '}
        <span className="muted">
          ({count} of {tools.length} picked)
        </span>
      </h3>
      <ErrorBox error={probe.error} />
      {probe.isLoading ? <p className="loading">Asking {upstreamName} for its tools…</p> : null}
      {probe.data && !probe.data.reachable ? (
        <div role="alert" className="error">
          {upstreamName} could not be asked: {probe.data.error?.code}: {probe.data.error?.message}
        </div>
      ) : null}
      <div className="row">
        <input
          type="search"
          aria-label={`Search the tools of ${upstreamName}`}
          placeholder="Search tools"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button
          type="button"
          onClick={() =>
            put(shown.map((t) => [keyOf({ upstreamId, name: t.name }), picked.get(keyOf({ upstreamId, name: t.name })) ?? { upstreamId, name: t.name }]))
          }
        >
          Select all{needle ? ' shown' : ''}
        </button>
        <button type="button" onClick={() => put(shown.map((t) => [keyOf({ upstreamId, name: t.name }), undefined]))}>
          Clear{needle ? ' shown' : ''}
        </button>
      </div>
      <table aria-label={`Tools of ${upstreamName}`}>
        <thead>
          <tr>
            <th>
              <span className="sr-only">Picked</span>
            </th>
            <th>Tool</th>
            <th>Shown as</th>
            <th>Description and hints shown</th>
            <th>Limit per user</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((t) => {
            const mine = picked.get(keyOf({ upstreamId, name: t.name }));
            return (
              <ToolRow
                key={t.name}
                upstreamId={upstreamId}
                tool={t}
                picked={mine}
                served={mine ? servedName(mine, upstreamName, composed) : undefined}
                onChange={(v) => put([[keyOf({ upstreamId, name: t.name }), v]])}
              />
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
