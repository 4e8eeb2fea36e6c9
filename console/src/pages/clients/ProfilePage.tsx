import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { useCanWrite } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { when } from '../../ui/format';
import { SecretOnce } from '../../ui/SecretOnce';
import { Table } from '../../ui/Table';
import { useWrite } from '../../ui/useWrite';

export default function ProfilePage() {
  const { id } = useParams<{ id: string }>();
  const canWrite = useCanWrite('credentials');
  const [secret, setSecret] = useState<string | null>(null);
  const [grace, setGrace] = useState('86400');
  const profile = useQuery({ queryKey: ['profile', id], queryFn: () => unwrap(api.GET('/profiles/{id}', { params: { path: { id } } })) });
  const credentials = useQuery({
    queryKey: ['credentials', id],
    queryFn: () => unwrap(api.GET('/profiles/{profileId}/credentials', { params: { path: { profileId: id } } })),
  });
  const path = { path: { profileId: id } };
  const issue = useWrite(
    () => unwrap(api.POST('/profiles/{profileId}/credentials', { params: path, body: {} })),
    (out) => setSecret(out.token),
    'Issued a credential: copy it now.',
  );
  const rotate = useWrite(
    () => unwrap(api.POST('/profiles/{profileId}/credentials/rotate', { params: path, body: { gracePeriodSeconds: Number(grace) } })),
    (out) => setSecret(out.token),
    'Rotated: the old credential works until its grace period ends.',
  );
  const revoke = useWrite(
    (credentialId: string) => unwrap(api.POST('/credentials/{id}/revoke', { params: { path: { id: credentialId } }, body: {} })),
    undefined,
    'Revoked: the credential stops working everywhere within a second.',
  );
  const p = profile.data;
  return (
    <>
      <p>{p ? <Link href={`/clients/${p.clientId}`}>← Client</Link> : null}</p>
      <ErrorBox error={profile.error ?? credentials.error ?? issue.error ?? rotate.error ?? revoke.error} />
      {p ? (
        <>
          <h1>Profile {p.name}</h1>
          <p>
            {p.authType} · <Link href={`/resources/profiles/${id}`}>all settings</Link>
          </p>
        </>
      ) : null}
      {secret ? <SecretOnce label="New credential" value={secret} onDone={() => setSecret(null)} /> : null}
      {canWrite && p?.authType === 'token' ? (
        <div className="row">
          <button type="button" onClick={() => issue.mutate(undefined)} disabled={issue.isPending}>
            Issue credential
          </button>
          <form
            className="row"
            aria-label="Rotate credentials"
            onSubmit={(e) => {
              e.preventDefault();
              rotate.mutate(undefined);
            }}
          >
            <Field label="Grace period (seconds)">
              {(fid) => <input id={fid} type="number" min={0} max={2592000} value={grace} onChange={(e) => setGrace(e.target.value)} />}
            </Field>
            <button type="submit" disabled={rotate.isPending}>
              Rotate credentials
            </button>
          </form>
        </div>
      ) : null}
      <Table
        caption="Credentials"
        rows={credentials.data?.items ?? []}
        rowKey={(c) => c.id}
        columns={[
          { header: 'Prefix', cell: (c) => <code>{c.prefix}…</code> },
          { header: 'Status', cell: (c) => <span data-testid="credential-status">{c.status}</span> },
          { header: 'Created', cell: (c) => when(c.createdAt) },
          { header: 'Works until', cell: (c) => (c.status === 'rotated' ? when(c.graceUntil) : when(c.expiresAt)) },
          {
            header: 'Actions',
            cell: (c) =>
              canWrite && c.status !== 'revoked' ? (
                <button type="button" className="danger" onClick={() => revoke.mutate(c.id)}>
                  Revoke <span className="sr-only">{c.prefix}</span>
                </button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
