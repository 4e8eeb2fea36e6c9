import { useQuery } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { useAccess } from '../access/access';
import { rawCall } from '../api/client';
import { ErrorBox } from '../ui/ErrorBox';
import { useWrite } from '../ui/useWrite';
import { Actions } from './Actions';
import { Details } from './Details';
import { EXTRAS } from './extras';
import { type Draft, draftOf, SchemaFields, bodyOf } from './schema-form';
import { itemPath, labelOf, singular, titleOf, useResource } from './useResource';

/** The detail page of any registry resource, with an edit form from its `update` operation and a delete button. */
export default function ResourceItem() {
  const { id } = useParams<{ id: string }>();
  const { name } = useResource();
  // A new item is a new form: no draft or "saved" note carried over from the page before.
  return <Item key={`${name}/${id}`} id={id} />;
}

function Item({ id }: { id: string }) {
  const { name, resource } = useResource();
  const access = useAccess();
  const [, navigate] = useLocation();
  const [draft, setDraft] = useState<Draft | null>(null);
  const item = useQuery({
    queryKey: ['resource', name, id],
    enabled: resource?.get !== undefined,
    queryFn: () => rawCall<Record<string, unknown>>('GET', itemPath(resource!.get!.path, id)),
  });
  const update = resource?.update;
  const body = update?.body;
  const save = useWrite(
    () => {
      const fields = Object.keys(body?.properties ?? {});
      // Send only what changed: a PATCH of untouched fields would still be a change in the audit diff.
      const before = draftOf(body!, item.data, name);
      const changed = new Set(fields.filter((f) => (draft ?? before)[f] !== before[f]));
      return rawCall<Record<string, unknown>>('PATCH', itemPath(update!.path, id), bodyOf(body!, draft ?? before, changed, name));
    },
    () => setDraft(null),
    (out) => `Saved ${labelOf(out)}${typeof out.version === 'number' ? ` (version ${out.version})` : ''}.`,
  );
  const remove = useWrite(
    () => rawCall('DELETE', itemPath(resource!.delete!.path, id)),
    () => navigate(`/resources/${name}`),
    'Deleted.',
  );
  if (!resource) return <p className="loading">Loading…</p>;
  const Extra = EXTRAS[name];
  return (
    <>
      <p>
        <Link href={`/resources/${name}`}>← {titleOf(name)}</Link>
      </p>
      <ErrorBox error={item.error} />
      {item.data ? (
        <>
          <h1>{labelOf(item.data)}</h1>
          <p className="muted">{singular(name)}</p>
          <Details resource={name} item={item.data} />
          <details>
            <summary>As JSON</summary>
            <pre className="json">{JSON.stringify(item.data, null, 2)}</pre>
          </details>
          {Extra ? (
            <Suspense fallback={<p className="loading">Loading…</p>}>
              <Extra id={id} item={item.data} />
            </Suspense>
          ) : null}
          <Actions actions={resource.actions.filter((a) => a.on === 'item')} id={id} label={labelOf(item.data)} />
          {update && body && access.can(update) ? (
            <form
              className="stack"
              aria-label={`Edit ${labelOf(item.data)}`}
              onSubmit={(e) => {
                e.preventDefault();
                save.mutate(undefined);
              }}
            >
              <h2>Edit</h2>
              <SchemaFields resource={name} body={body} draft={draft ?? draftOf(body, item.data, name)} onChange={setDraft} />
              <ErrorBox error={save.error} />
              <div className="row">
                <button type="submit" className="primary" disabled={save.isPending}>
                  Save changes
                </button>
                {save.isSuccess && draft === null ? (
                  <span className="ok" role="status">
                    ✓ Saved
                  </span>
                ) : null}
              </div>
            </form>
          ) : null}
          {resource.delete && access.can(resource.delete) ? (
            <>
              <ErrorBox error={remove.error} />
              <button
                type="button"
                className="danger"
                onClick={() => {
                  if (confirm(`Delete ${labelOf(item.data!)}?`)) remove.mutate(undefined);
                }}
              >
                Delete
              </button>
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
