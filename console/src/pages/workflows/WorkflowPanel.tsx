import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { num } from '../../ui/format';
import { Table } from '../../ui/Table';
import { useWrite } from '../../ui/useWrite';

type Run = paths['/workflows/run']['post']['responses']['200']['content']['application/json'];
type Node = { id?: string; type: string; description?: string };
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function NodeList({ title, nodes }: { title: string; nodes: Node[] }) {
  return (
    <Table
      caption={title}
      rows={nodes.map((n, i) => ({ ...n, key: n.id ?? String(i) }))}
      rowKey={(n) => n.key}
      columns={[
        { header: 'Node', cell: (n) => <code>{n.id ?? '—'}</code> },
        { header: 'Type', cell: (n) => n.type },
        { header: 'Description', cell: (n) => n.description ?? '' },
      ]}
    />
  );
}

/** A workflow's nodes, and a trial run of it against a sample request with the trace of every node. */
export default function WorkflowPanel({ id, item }: { id: string; item: Record<string, unknown> }) {
  const [method, setMethod] = useState<(typeof METHODS)[number]>('GET');
  const [path, setPath] = useState('/');
  const [body, setBody] = useState('');
  const [run, setRun] = useState<Run | null>(null);
  const [proxyChoice, setProxy] = useState<string | null>(null);
  const [endpointId, setEndpoint] = useState('');
  // A real call runs against an endpoint: its contract is what a validate_request step checks.
  const proxies = useQuery({ queryKey: ['proxies'], queryFn: () => unwrap(api.GET('/proxies', { params: { query: { limit: 500 } } })) });
  const using = (proxies.data?.items ?? []).filter((p) => p.workflowId === id);
  const proxyId = proxyChoice ?? using[0]?.id ?? '';
  const endpoints = useQuery({
    queryKey: ['endpoints', proxyId],
    enabled: proxyId !== '',
    queryFn: () => unwrap(api.GET('/proxies/{proxyId}/endpoints', { params: { path: { proxyId }, query: { limit: 500 } } })),
  });
  const trial = useWrite(
    () => unwrap(api.POST('/workflows/run', { body: { id, request: { method, path, ...(body ? { body } : {}) }, ...(endpointId ? { endpointId } : {}) } })),
    setRun,
    'Ran the workflow: nothing was sent or stored.',
  );
  const refusedAt = run?.error ? run.trace.find((t) => t.node === run.error?.node) : undefined;
  return (
    <section className="panel" aria-labelledby="wf-title">
      <h2 id="wf-title">Nodes</h2>
      <NodeList title="Request nodes, in order" nodes={(item.request as Node[] | undefined) ?? []} />
      <NodeList title="Response nodes, in order" nodes={(item.response as Node[] | undefined) ?? []} />
      <h2>Try it</h2>
      <p className="muted">
        Runs the saved workflow against a sample request, with the endpoint's contract as a real call has it: nothing reaches an upstream, nothing is written.
      </p>
      <form
        className="inline-form"
        aria-label="Run the workflow"
        onSubmit={(e) => {
          e.preventDefault();
          trial.mutate(undefined);
        }}
      >
        <Field label="Proxy">
          {(fid) => (
            <select
              id={fid}
              value={proxyId}
              onChange={(e) => {
                setProxy(e.target.value);
                setEndpoint('');
              }}
            >
              <option value="">(no endpoint: steps only)</option>
              {proxies.data?.items.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} {p.basePath}
                  {p.workflowId === id ? ' (uses this workflow)' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Endpoint">
          {(fid) => (
            <select
              id={fid}
              value={endpointId}
              onChange={(e) => {
                setEndpoint(e.target.value);
                const picked = endpoints.data?.items.find((x) => x.id === e.target.value);
                if (picked) {
                  setMethod(picked.method as (typeof METHODS)[number]);
                  setPath(picked.path);
                }
              }}
            >
              <option value="">(none)</option>
              {(proxyId ? (endpoints.data?.items ?? []) : []).map((x) => (
                <option key={x.id} value={x.id}>
                  {x.method} {x.path}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Method">
          {(fid) => (
            <select id={fid} value={method} onChange={(e) => setMethod(e.target.value as (typeof METHODS)[number])}>
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Path">{(fid) => <input id={fid} value={path} onChange={(e) => setPath(e.target.value)} required />}</Field>
        <Field label="Body">{(fid) => <input id={fid} value={body} onChange={(e) => setBody(e.target.value)} />}</Field>
        <button type="submit" disabled={trial.isPending}>
          Run
        </button>
      </form>
      <ErrorBox error={trial.error} />
      {run ? (
        <>
          <p data-testid="run-outcome" className={run.error ? 'bad' : 'ok'}>
            {run.error
              ? `Refused at step ${run.error.node ?? '(before the steps)'}${refusedAt ? ` (${refusedAt.type})` : ''}: ${run.error.code} — ${run.error.message}`
              : run.response
                ? `Answered ${run.response.status} by the workflow.`
                : 'Passed every request step: the call would go upstream.'}
          </p>
          <Table
            caption="Trace"
            rows={run.trace.map((t, i) => ({ ...t, key: `${i}` }))}
            rowKey={(t) => t.key}
            columns={[
              { header: 'Node', cell: (t) => <code>{t.node}</code> },
              { header: 'Type', cell: (t) => t.type },
              { header: 'Phase', cell: (t) => t.phase },
              { header: 'Decision', cell: (t) => t.decision ?? '—' },
              { header: 'Changes', cell: (t) => t.changes.join(', ') || '—' },
              { header: 'Time', cell: (t) => `${num(t.durationMs, 2)} ms` },
              { header: 'Error', cell: (t) => (t.error ? `${t.error.code}: ${t.error.message}` : '') },
            ]}
          />
          {run.upstreamRequest ? (
            <>
              <h3>Request sent upstream</h3>
              <pre className="json">{JSON.stringify(run.upstreamRequest, null, 2)}</pre>
            </>
          ) : null}
          {run.response ? (
            <>
              <h3>Response</h3>
              <pre className="json">{JSON.stringify(run.response, null, 2)}</pre>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
