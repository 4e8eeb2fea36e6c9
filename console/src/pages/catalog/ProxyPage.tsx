import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { api, unwrap } from '../../api/client';
import { RefLink } from '../../resources/references';
import { ErrorBox } from '../../ui/ErrorBox';
import { Table } from '../../ui/Table';
import { AttachGuardrail } from '../workflows/AttachGuardrail';

export default function ProxyPage() {
  const { id } = useParams<{ id: string }>();
  const proxy = useQuery({ queryKey: ['proxy', id], queryFn: () => unwrap(api.GET('/proxies/{id}', { params: { path: { id } } })) });
  const endpoints = useQuery({
    queryKey: ['endpoints', id],
    queryFn: () => unwrap(api.GET('/proxies/{proxyId}/endpoints', { params: { path: { proxyId: id }, query: { limit: 500 } } })),
  });
  const p = proxy.data;
  return (
    <>
      <p>{p ? <Link href={`/catalog/collections/${p.collectionId}`}>← Collection</Link> : null}</p>
      <ErrorBox error={proxy.error ?? endpoints.error} />
      {p ? (
        <>
          <h1>{p.name}</h1>
          <p>
            <code>{p.basePath}</code> → {p.upstreams.join(', ')} · <Link href={`/resources/proxies/${p.id}`}>all settings</Link>
          </p>
          {p.workflowId ? (
            <p>
              Its calls run the workflow <RefLink resource="workflows" id={p.workflowId} />.
            </p>
          ) : null}
          <AttachGuardrail target={{ proxyId: p.id }} busy={p.workflowId ? 'The proxy already runs a workflow: add a guardrail’s steps to it.' : undefined} />
        </>
      ) : null}
      <Table
        caption="Endpoints"
        rows={endpoints.data?.items ?? []}
        rowKey={(e) => e.id}
        columns={[
          { header: 'Method', cell: (e) => <code>{e.method}</code> },
          {
            header: 'Path',
            cell: (e) => (
              <Link href={`/resources/endpoints/${e.id}`}>
                <code>{e.path}</code>
              </Link>
            ),
          },
          { header: 'Summary', cell: (e) => e.summary ?? '' },
          { header: 'MCP tool', cell: (e) => (e.mcpExposed ? 'yes' : 'no') },
        ]}
      />
    </>
  );
}
