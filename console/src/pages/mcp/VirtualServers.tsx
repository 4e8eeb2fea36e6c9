import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useCanWrite } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { when } from '../../ui/format';
import { Table } from '../../ui/Table';
import { virtualUrl } from './urls';

/** The virtual MCP servers: each a curated set of upstream tools behind one URL. */
export default function VirtualServers() {
  const canWrite = useCanWrite('virtual-mcps');
  const list = useQuery({ queryKey: ['virtual-mcps'], queryFn: () => unwrap(api.GET('/virtual-mcps', { params: { query: { limit: 500 } } })) });
  const servers = useQuery({ queryKey: ['mcp-servers'], queryFn: () => unwrap(api.GET('/mcp-servers', { params: { query: { limit: 500 } } })) });
  const noUpstreams = servers.data?.items.length === 0;
  return (
    <>
      <h1>Virtual MCP servers</h1>
      <p className="muted">
        Curated, renamed tools of your MCP servers behind one URL each, signed in with Gatehouse, with per-tool limits and an access list.
      </p>
      {canWrite ? (
        <p>
          <Link className="button primary" href="/mcp/virtual/new">
            New virtual MCP server
          </Link>
        </p>
      ) : null}
      <ErrorBox error={list.error} />
      <Table
        caption="Virtual MCP servers"
        rows={list.data?.items ?? []}
        rowKey={(v) => v.id}
        loading={list.isLoading}
        empty={
          noUpstreams ? (
            <>
              No virtual MCP servers yet. First <Link href="/mcp/servers">add an MCP server</Link>, then pick its tools here.
            </>
          ) : (
            <>
              No virtual MCP servers yet.{' '}
              {canWrite ? <Link href="/mcp/virtual/new">Build one by picking tools.</Link> : 'An admin builds one by picking tools.'}
            </>
          )
        }
        columns={[
          { header: 'Name', cell: (v) => <Link href={`/mcp/virtual/${v.id}`}>{v.name}</Link> },
          { header: 'URL', cell: (v) => <code>{virtualUrl(v.slug)}</code> },
          { header: 'Tools', cell: (v) => v.tools.length },
          { header: 'State', cell: (v) => (v.published ? <span className="ok">published</span> : <span className="muted">draft</span>) },
          { header: 'Updated', cell: (v) => when(v.updatedAt) },
        ]}
      />
    </>
  );
}
