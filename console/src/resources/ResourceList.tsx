import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useAccess } from '../access/access';
import { rawCall } from '../api/client';
import { ErrorBox } from '../ui/ErrorBox';
import { when } from '../ui/format';
import { Table } from '../ui/Table';
import { labelOf, singular, titleOf, useResource } from './useResource';

type Item = Record<string, unknown> & { id: string };

/** The list page of any registry resource, generated from its `list` operation. */
export default function ResourceList() {
  const { name, resource, loading, error } = useResource();
  const access = useAccess();
  const list = useQuery({
    queryKey: ['resource', name],
    enabled: resource !== undefined && !resource.list.path.includes('{'),
    queryFn: () => rawCall<{ items: Item[] }>('GET', resource!.list.path, undefined, { limit: '500' }),
  });
  if (loading) return <p className="loading">Loading…</p>;
  if (!resource) return <ErrorBox error={error ?? new Error(`No resource named ${name}.`)} />;
  const hasStatus = list.data?.items.some((i) => 'status' in i);
  return (
    <>
      <h1>{titleOf(name)}</h1>
      <p className="muted">{resource.list.summary}</p>
      {resource.create && access.can(resource.create) && !resource.create.path.includes('{') ? (
        <p>
          <Link className="button" href={`/resources/${name}/new`}>
            New {singular(name)}
          </Link>
        </p>
      ) : null}
      <ErrorBox error={list.error} />
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
    </>
  );
}
