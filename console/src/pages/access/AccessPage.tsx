import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useAccess } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { when } from '../../ui/format';
import { SecretOnce } from '../../ui/SecretOnce';
import { Table } from '../../ui/Table';
import { useWrite } from '../../ui/useWrite';

const ROLES = ['viewer', 'modifier', 'admin'] as const;
type Role = (typeof ROLES)[number];

function RoleSelect({ value, onChange }: { value: Role; onChange: (r: Role) => void }) {
  return (
    <Field label="Role">
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      )}
    </Field>
  );
}

export default function AccessPage() {
  const isAdmin = useAccess().can({ permission: 'admin', resource: 'users' });
  const users = useQuery({ queryKey: ['users'], queryFn: () => unwrap(api.GET('/users', { params: { query: { limit: 500 } } })) });
  const accounts = useQuery({ queryKey: ['service-accounts'], queryFn: () => unwrap(api.GET('/service-accounts', { params: { query: { limit: 500 } } })) });
  const bindings = useQuery({ queryKey: ['role-bindings'], queryFn: () => unwrap(api.GET('/role-bindings', { params: { query: { limit: 500 } } })) });
  const names = new Map<string, string>([
    ...(users.data?.items ?? []).map((u) => [u.id, `user ${u.username}`] as [string, string]),
    ...(accounts.data?.items ?? []).map((a) => [a.clientId, `service account ${a.name}`] as [string, string]),
  ]);
  const removeUser = useWrite((id: string) => unwrap(api.DELETE('/users/{id}', { params: { path: { id } } })));
  const removeAccount = useWrite((id: string) => unwrap(api.DELETE('/service-accounts/{id}', { params: { path: { id } } })));
  const removeBinding = useWrite((id: string) => unwrap(api.DELETE('/role-bindings/{id}', { params: { path: { id } } })));
  return (
    <>
      <h1>Access</h1>
      <ErrorBox error={users.error ?? accounts.error ?? bindings.error ?? removeUser.error ?? removeAccount.error ?? removeBinding.error} />
      <h2>Users</h2>
      {isAdmin ? <NewUser /> : null}
      <Table
        caption="Users"
        rows={users.data?.items ?? []}
        rowKey={(u) => u.id}
        columns={[
          { header: 'Username', cell: (u) => u.username },
          { header: 'Created', cell: (u) => when(u.createdAt) },
          { header: 'Actions', cell: (u) => (isAdmin ? <DeleteButton label={u.username} onDelete={() => removeUser.mutate(u.id)} /> : null) },
        ]}
      />
      <h2>Service accounts</h2>
      {isAdmin ? <NewServiceAccount /> : null}
      <Table
        caption="Service accounts"
        rows={accounts.data?.items ?? []}
        rowKey={(a) => a.id}
        columns={[
          // The generic item page carries the account's other operations (rotate-secret, …) as actions.
          { header: 'Name', cell: (a) => <Link href={`/resources/service-accounts/${a.id}`}>{a.name}</Link> },
          { header: 'Client id', cell: (a) => <code>{a.clientId}</code> },
          { header: 'Role', cell: (a) => a.role },
          { header: 'Actions', cell: (a) => (isAdmin ? <DeleteButton label={a.name} onDelete={() => removeAccount.mutate(a.id)} /> : null) },
        ]}
      />
      <h2>Role bindings</h2>
      {isAdmin ? (
        <p>
          <Link className="button" href="/resources/role-bindings/new">
            New role binding
          </Link>
        </p>
      ) : null}
      <Table
        caption="Role bindings"
        rows={bindings.data?.items ?? []}
        rowKey={(b) => b.id}
        columns={[
          { header: 'Who', cell: (b) => (b.subject ? (names.get(b.subject) ?? b.subject) : `group ${b.group}`) },
          { header: 'Role', cell: (b) => b.role },
          {
            header: 'Scope',
            cell: (b) =>
              [
                b.scope.resourceTypes ? `types: ${b.scope.resourceTypes.join(', ')}` : '',
                b.scope.collectionIds ? `collections: ${b.scope.collectionIds.join(', ')}` : '',
              ]
                .filter(Boolean)
                .join('; ') || 'everything',
          },
          { header: 'Actions', cell: (b) => (isAdmin ? <DeleteButton label={`binding ${b.id}`} onDelete={() => removeBinding.mutate(b.id)} /> : null) },
        ]}
      />
    </>
  );
}

function DeleteButton({ label, onDelete }: { label: string; onDelete: () => void }) {
  return (
    <button
      type="button"
      className="danger"
      onClick={() => {
        if (confirm(`Delete ${label}?`)) onDelete();
      }}
    >
      Delete <span className="sr-only">{label}</span>
    </button>
  );
}

function NewUser() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const create = useWrite(
    () => unwrap(api.POST('/users', { body: { username, password, role } })),
    () => {
      setUsername('');
      setPassword('');
    },
  );
  return (
    <form
      className="inline-form"
      aria-label="New user"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(undefined);
      }}
    >
      <Field label="Username">{(id) => <input id={id} value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />}</Field>
      <Field label="Password" hint="At least 12 characters">
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            type="password"
            minLength={12}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="new-password"
          />
        )}
      </Field>
      <RoleSelect value={role} onChange={setRole} />
      <button type="submit" disabled={create.isPending}>
        Create user
      </button>
      <ErrorBox error={create.error} />
    </form>
  );
}

function NewServiceAccount() {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [secret, setSecret] = useState<{ clientId: string; clientSecret: string } | null>(null);
  const create = useWrite(
    () => unwrap(api.POST('/service-accounts', { body: { name, role } })),
    (out) => {
      setName('');
      setSecret({ clientId: out.serviceAccount.clientId, clientSecret: out.clientSecret });
    },
  );
  return (
    <>
      {secret ? <SecretOnce label={`Client secret of ${secret.clientId}`} value={secret.clientSecret} onDone={() => setSecret(null)} /> : null}
      <form
        className="inline-form"
        aria-label="New service account"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(undefined);
        }}
      >
        <Field label="Service account name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
        <RoleSelect value={role} onChange={setRole} />
        <button type="submit" disabled={create.isPending}>
          Create service account
        </button>
        <ErrorBox error={create.error} />
      </form>
    </>
  );
}
