import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useCanWrite } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { Table } from '../../ui/Table';
import { useWrite } from '../../ui/useWrite';

export default function Clients() {
  const canWrite = useCanWrite('clients');
  const clients = useQuery({ queryKey: ['clients'], queryFn: () => unwrap(api.GET('/clients', { params: { query: { limit: 500 } } })) });
  return (
    <>
      <h1>Clients</h1>
      <p className="muted">
        The apps and partners that call your APIs. A client has token profiles; a profile has credentials. Policies:{' '}
        <Link href="/resources/policies">rate limits and quotas</Link>.
      </p>
      <ErrorBox error={clients.error} />
      {canWrite ? <NewClient /> : null}
      <Table
        caption="Clients"
        rows={clients.data?.items ?? []}
        rowKey={(c) => c.id}
        columns={[
          { header: 'Name', cell: (c) => <Link href={`/clients/${c.id}`}>{c.name}</Link> },
          { header: 'Status', cell: (c) => c.status },
          { header: 'Collections', cell: (c) => c.collectionIds.length || 'all published' },
        ]}
      />
    </>
  );
}

function NewClient() {
  const [name, setName] = useState('');
  const [collectionIds, setCollections] = useState<string[]>([]);
  const collections = useQuery({ queryKey: ['collections'], queryFn: () => unwrap(api.GET('/collections', { params: { query: { limit: 500 } } })) });
  const create = useWrite(
    () => unwrap(api.POST('/clients', { body: { name, collectionIds } })),
    () => setName(''),
  );
  return (
    <form
      className="inline-form"
      aria-label="New client"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(undefined);
      }}
    >
      <Field label="Client name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
      <Field label="Collections it may call" hint="None selected: every published collection">
        {(id, hint) => (
          <select
            id={id}
            aria-describedby={hint}
            multiple
            value={collectionIds}
            onChange={(e) => setCollections([...e.target.selectedOptions].map((o) => o.value))}
          >
            {collections.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" disabled={create.isPending}>
        Create client
      </button>
      <ErrorBox error={create.error} />
    </form>
  );
}
