import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { Table } from '../../ui/Table';

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
