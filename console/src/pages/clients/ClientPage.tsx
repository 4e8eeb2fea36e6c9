import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { useCanWrite } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { Table } from '../../ui/Table';
import { useWrite } from '../../ui/useWrite';

export default function ClientPage() {
  const { id } = useParams<{ id: string }>();
  const canWrite = useCanWrite('profiles');
  const client = useQuery({ queryKey: ['client', id], queryFn: () => unwrap(api.GET('/clients/{id}', { params: { path: { id } } })) });
  const profiles = useQuery({ queryKey: ['profiles', id], queryFn: () => unwrap(api.GET('/profiles', { params: { query: { clientId: id, limit: 500 } } })) });
  return (
    <>
      <p>
        <Link href="/clients">← Clients</Link>
      </p>
      <ErrorBox error={client.error ?? profiles.error} />
      {client.data ? (
        <>
          <h1>{client.data.name}</h1>
          <p>
            {client.data.status} · <Link href={`/resources/clients/${id}`}>all settings</Link>
          </p>
        </>
      ) : null}
      {canWrite ? <NewProfile clientId={id} /> : null}
      <Table
        caption="Token profiles"
        rows={profiles.data?.items ?? []}
        rowKey={(p) => p.id}
        columns={[
          { header: 'Name', cell: (p) => <Link href={`/profiles/${p.id}`}>{p.name}</Link> },
          { header: 'Authentication', cell: (p) => p.authType },
          { header: 'Methods', cell: (p) => p.allowedMethods.join(', ') },
        ]}
      />
    </>
  );
}

function NewProfile({ clientId }: { clientId: string }) {
  const [name, setName] = useState('');
  const create = useWrite(
    () => unwrap(api.POST('/profiles', { body: { clientId, name, authType: 'token' } })),
    () => setName(''),
  );
  return (
    <form
      className="inline-form"
      aria-label="New token profile"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(undefined);
      }}
    >
      <Field label="Profile name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
      <button type="submit" disabled={create.isPending}>
        Create token profile
      </button>
      <ErrorBox error={create.error} />
    </form>
  );
}
