import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { rawCall } from '../api/client';
import { ErrorBox } from '../ui/ErrorBox';
import { useWrite } from '../ui/useWrite';
import { draftOf, SchemaFields, bodyOf } from './schema-form';
import { singular, titleOf, useResource } from './useResource';

/** The create page of any registry resource, its form generated from the `create` operation's body schema; `embedded`: the form alone, inside another page. */
export default function ResourceCreate({ embedded = false }: { embedded?: boolean }) {
  const { name, resource } = useResource();
  const [, navigate] = useLocation();
  const body = resource?.create?.body;
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const create = useWrite(
    () => rawCall<{ id: string }>('POST', resource!.create!.path, bodyOf(body!, draft ?? draftOf(body!, {}, name), undefined, name)),
    (out) => navigate(`/resources/${name}/${out.id}`),
    `Created the ${singular(name)}.`,
  );
  if (!resource?.create || !body) return <p className="loading">Loading…</p>;
  return (
    <>
      {embedded ? null : (
        <>
          <p>
            <Link href={`/resources/${name}`}>← {titleOf(name)}</Link>
          </p>
          <h1>New {singular(name)}</h1>
        </>
      )}
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(undefined);
        }}
      >
        <SchemaFields resource={name} body={body} draft={draft ?? draftOf(body, {}, name)} onChange={setDraft} />
        <ErrorBox error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending}>
          Create
        </button>
      </form>
    </>
  );
}
