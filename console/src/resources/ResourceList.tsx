import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useAccess } from '../access/access';
import { rawCall } from '../api/client';
import { ErrorBox } from '../ui/ErrorBox';
import { when } from '../ui/format';
import { Table } from '../ui/Table';
import { Actions } from './Actions';
import { labelOf, singular, titleOf, useResource } from './useResource';

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
    placeholderData: keepPreviousData,
    queryFn: () =>
      rawCall<{ items: Item[]; nextCursor?: string | null }>('GET', resource!.list!.path, undefined, {
        limit: String(PAGE_SIZE),
        ...(cursor ? { cursor } : {}),
      }),
  });
  if (loading) return <p className="loading">Loading…</p>;
  if (!resource) return <ErrorBox error={error ?? new Error(`No resource named ${name}.`)} />;
  const hasStatus = list.data?.items.some((i) => 'status' in i);
  const next = list.data?.nextCursor ?? undefined;
  const pageNumber = cursors.length;
  return (
    <>
      <h1>{titleOf(name)}</h1>
      {resource.list ? <p className="muted">{resource.list.summary}</p> : null}
      {resource.create && access.can(resource.create) && !resource.create.path.includes('{') ? (
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
          rowKey={(i) => i.id}
          columns={[
            { header: 'Name', cell: (i) => (resource.get ? <Link href={`/resources/${name}/${i.id}`}>{labelOf(i)}</Link> : labelOf(i)) },
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
