import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { useCanWriteIn } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { Table } from '../../ui/Table';
import { ImportOpenApi } from './ImportOpenApi';
import { PublishButton } from './PublishButton';

export default function CollectionPage() {
  const { id } = useParams<{ id: string }>();
  const canWrite = useCanWriteIn('proxies', id);
  const collection = useQuery({ queryKey: ['collection', id], queryFn: () => unwrap(api.GET('/collections/{id}', { params: { path: { id } } })) });
  const proxies = useQuery({ queryKey: ['proxies', id], queryFn: () => unwrap(api.GET('/proxies', { params: { query: { collectionId: id, limit: 500 } } })) });
  const c = collection.data;
  return (
    <>
      <p>
        <Link href="/catalog">← Catalog</Link>
      </p>
      <ErrorBox error={collection.error ?? proxies.error} />
      {c ? (
        <>
          <h1>{c.name}</h1>
          <p>
            <code>{c.slug}</code> · {c.published ? 'published' : 'not published'} <PublishButton collection={c} />
          </p>
          {c.description ? <p>{c.description}</p> : null}
        </>
      ) : null}
      <Table
        caption="Proxies in this collection"
        rows={proxies.data?.items ?? []}
        rowKey={(p) => p.id}
        columns={[
          { header: 'Name', cell: (p) => <Link href={`/catalog/proxies/${p.id}`}>{p.name}</Link> },
          { header: 'Base path', cell: (p) => <code>{p.basePath}</code> },
          { header: 'Upstreams', cell: (p) => p.upstreams.join(', ') },
        ]}
      />
      {canWrite ? <ImportOpenApi collectionId={id} /> : null}
    </>
  );
}
