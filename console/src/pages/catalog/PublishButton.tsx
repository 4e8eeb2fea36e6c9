import { useCanWriteIn } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { useWrite } from '../../ui/useWrite';

/** Publish or unpublish; shown only where the user's role reaches the collection. */
export function PublishButton({ collection }: { collection: { id: string; name: string; published: boolean } }) {
  const allowed = useCanWriteIn('collections', collection.id);
  const path = { params: { path: { id: collection.id } }, body: {} };
  const toggle = useWrite(() =>
    collection.published ? unwrap(api.POST('/collections/{id}/unpublish', path)) : unwrap(api.POST('/collections/{id}/publish', path)),
  );
  if (!allowed) return null;
  return (
    <>
      <button type="button" onClick={() => toggle.mutate(undefined)} disabled={toggle.isPending}>
        {collection.published ? 'Unpublish' : 'Publish'} <span className="sr-only">{collection.name}</span>
      </button>
      <ErrorBox error={toggle.error} />
    </>
  );
}
