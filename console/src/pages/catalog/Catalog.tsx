import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useCanWrite } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { Table } from '../../ui/Table';
import { useWrite } from '../../ui/useWrite';
import { PublishButton } from './PublishButton';

export default function Catalog() {
  const canWrite = useCanWrite('collections');
  const collections = useQuery({ queryKey: ['collections'], queryFn: () => unwrap(api.GET('/collections', { params: { query: { limit: 500 } } })) });
  const proxies = useQuery({ queryKey: ['proxies'], queryFn: () => unwrap(api.GET('/proxies', { params: { query: { limit: 500 } } })) });
  const byId = new Map((collections.data?.items ?? []).map((c) => [c.id, c.name]));
  return (
    <>
      <h1>Catalog</h1>
      <ErrorBox error={collections.error ?? proxies.error} />
      {canWrite ? <NewCollection /> : null}
      <Table
        caption="Collections"
        rows={collections.data?.items ?? []}
        rowKey={(c) => c.id}
        columns={[
          { header: 'Name', cell: (c) => <Link href={`/catalog/collections/${c.id}`}>{c.name}</Link> },
          { header: 'Slug', cell: (c) => <code>{c.slug}</code> },
          { header: 'Published', cell: (c) => (c.published ? 'yes' : 'no') },
          { header: 'Actions', cell: (c) => <PublishButton collection={c} /> },
        ]}
      />
      <Table
        caption="Proxies"
        rows={proxies.data?.items ?? []}
        rowKey={(p) => p.id}
        columns={[
          { header: 'Name', cell: (p) => <Link href={`/catalog/proxies/${p.id}`}>{p.name}</Link> },
          { header: 'Base path', cell: (p) => <code>{p.basePath}</code> },
          { header: 'Collection', cell: (p) => byId.get(p.collectionId) ?? p.collectionId },
          { header: 'Upstreams', cell: (p) => p.upstreams.join(', ') },
        ]}
      />
    </>
  );
}

function NewCollection() {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const create = useWrite(
    () => unwrap(api.POST('/collections', { body: { name, slug } })),
    () => {
      setName('');
      setSlug('');
    },
  );
  return (
    <form
      className="inline-form"
      aria-label="New collection"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(undefined);
      }}
    >
      <Field label="Collection name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
      <Field label="Slug">{(id) => <input id={id} value={slug} onChange={(e) => setSlug(e.target.value)} pattern="[a-z0-9][a-z0-9\-]{0,62}" required />}</Field>
      <button type="submit" disabled={create.isPending}>
        Create collection
      </button>
      <ErrorBox error={create.error} />
    </form>
  );
}
