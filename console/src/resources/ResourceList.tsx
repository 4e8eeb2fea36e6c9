import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useAccess } from '../access/access';
import { rawCall } from '../api/client';
import { ErrorBox } from '../ui/ErrorBox';
import { when } from '../ui/format';
import { Table } from '../ui/Table';
import { Actions } from './Actions';
import { labelOfResource } from './labels';
import { pageQuery } from './references';
import { keyOf, labelOf, singular, titleOf, useResource } from './useResource';

type Item = Record<string, unknown> & { id: string };

/** Items per page: the admin API's own default page size. */
export const PAGE_SIZE = 50;

/** The list page of any registry resource, generated from its `list` operation, a page at a time (the API's cursor). */
export default function ResourceList() {
  const { name, resource, loading, error } = useResource();
  const access = useAccess();
  // The cursors of the pages before the current one: "Previous" pops back to the one before.
  const [trail, setTrail] = useState<{ resource: string; cursors: (string | undefined)[] }>({ resource: name, cursors: [undefined] });
  const cursors = trail.resource === name ? trail.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const list = useQuery({
    queryKey: ['resource', name, 'page', cursor ?? ''],
    enabled: resource?.list !== undefined && !resource.list.path.includes('{'),
    // The previous page stays while the next loads, but never another resource's rows.
    placeholderData: (previous, query) => (query?.queryKey[1] === name ? keepPreviousData(previous) : undefined),
    // Only the paging parameters the list declares (a list that is not paged refuses unknown ones).
    queryFn: () => {
      const list = resource!.list!;
      const query = pageQuery(list, cursor && list.parameters.some((p) => p.name === 'cursor') ? { cursor } : {});
      if (query.limit) query.limit = String(PAGE_SIZE);
      return rawCall<{ items: Item[]; nextCursor?: string | null }>('GET', list.path, undefined, query);
    },
  });
  if (loading) return <p className="loading">Loading…</p>;
  if (!resource) return <ErrorBox error={error ?? new Error(`No resource named ${name}.`)} />;
  const hasStatus = list.data?.items.some((i) => 'status' in i);
  const next = list.data?.nextCursor ?? undefined;
  const pageNumber = cursors.length;
  const label = labelOfResource(name);
  const canCreate = resource.create !== undefined && access.can(resource.create) && !resource.create.path.includes('{');
  const empty = (
    <>
      No {label.plural.charAt(0).toLowerCase() + label.plural.slice(1)} yet. {label.explain}{' '}
      {canCreate ? <Link href={`/resources/${name}/new`}>Create the first {singular(name)}.</Link> : label.next}
    </>
  );
  return (
    <>
      <h1>{titleOf(name)}</h1>
      <p className="muted">{label.explain || resource.list?.summary}</p>
      {canCreate ? (
        <p>
          <Link className="button" href={`/resources/${name}/new`}>
            New {singular(name)}
          </Link>
        </p>
      ) : null}
      <Actions actions={resource.actions.filter((a) => a.on === 'list')} label={titleOf(name)} />
      <ErrorBox error={list.error} />
      {resource.list ? (
        <Table
          caption={titleOf(name)}
          rows={list.data?.items ?? []}
          rowKey={keyOf}
          loading={list.isLoading}
          empty={empty}
          columns={[
            { header: 'Name', cell: (i) => (resource.get && i.id ? <Link href={`/resources/${name}/${i.id}`}>{labelOf(i)}</Link> : labelOf(i)) },
            ...(hasStatus ? [{ header: 'Status', cell: (i: Item) => String(i.status ?? '') }] : []),
            { header: 'Updated', cell: (i) => when((i.updatedAt ?? i.createdAt) as string | undefined) },
          ]}
        />
      ) : null}
      {pageNumber > 1 || next ? (
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={pageNumber === 1 || list.isFetching} onClick={() => setTrail({ resource: name, cursors: cursors.slice(0, -1) })}>
            Previous page
          </button>
          <span aria-live="polite">Page {pageNumber}</span>
          <button type="button" disabled={!next || list.isFetching} onClick={() => setTrail({ resource: name, cursors: [...cursors, next] })}>
            Next page
          </button>
        </nav>
      ) : null}
    </>
  );
}
