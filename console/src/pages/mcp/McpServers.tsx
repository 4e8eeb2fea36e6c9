import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useAccess, useCanWrite } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { resourceOf, useApiDoc } from '../../api/openapi-doc';
import { Details } from '../../resources/Details';
import { ErrorBox } from '../../ui/ErrorBox';
import { when } from '../../ui/format';
import { Table } from '../../ui/Table';
import { useWrite } from '../../ui/useWrite';
import { AddServer } from './AddServer';
import { Capabilities } from './Capabilities';
import { useProbe } from './probe';
import { commandLine } from './StdioFields';

type Server = Record<string, unknown> & { id: string; name: string; url?: string; auth: string };

/** The upstream MCP servers: add one (tested before it is saved), see what each offers and how it is doing, and people's own connections to per-user ones. */
export default function McpServers() {
  const doc = useApiDoc();
  const canWrite = useCanWrite('mcp-servers');
  const access = useAccess();
  const create = doc.data ? resourceOf(doc.data, 'mcp-servers')?.create : undefined;
  const servers = useQuery({ queryKey: ['mcp-servers'], queryFn: () => unwrap(api.GET('/mcp-servers', { params: { query: { limit: 500 } } })) });
  const [adding, setAdding] = useState(false);
  const [testing, setTesting] = useState<string | null>(null);
  const probe = useProbe();
  const items = (servers.data?.items ?? []) as Server[];
  return (
    <>
      <h1>MCP servers</h1>
      <p className="muted">Upstream MCP servers the gateway connects to. Put their tools behind one URL with a virtual MCP server.</p>
      <ErrorBox error={servers.error ?? probe.error} />
      {canWrite && create?.body ? (
        adding ? (
          <AddServer body={create.body} onSaved={() => setAdding(false)} />
        ) : (
          <p>
            <button type="button" className="primary" onClick={() => setAdding(true)}>
              Add an MCP server
            </button>
          </p>
        )
      ) : null}
      <Table
        caption="MCP servers"
        rows={items}
        rowKey={(s) => s.id}
        loading={servers.isLoading}
        empty={
          <>
            No MCP servers yet. Add one by its URL or the program it runs{canWrite ? ' (Add an MCP server, above)' : ''}, test the connection and see its tools.
          </>
        }
        columns={[
          { header: 'Name', cell: (s) => <Link href={`/resources/mcp-servers/${s.id}`}>{s.name}</Link> },
          { header: 'Where', cell: (s) => <code>{s.url ?? commandLine(s.stdio as { command?: unknown; args?: unknown } | undefined)}</code> },
          { header: 'Auth', cell: (s) => s.auth },
          { header: 'Health', cell: (s) => <Health server={s} /> },
          { header: 'Updated', cell: (s) => when(s.updatedAt as string) },
          {
            header: 'Test',
            cell: (s) =>
              canWrite ? (
                <button
                  type="button"
                  disabled={probe.isPending && testing === s.id}
                  onClick={() => {
                    setTesting(s.id);
                    probe.mutate({ id: s.id });
                  }}
                >
                  Test <span className="sr-only">{s.name}</span>
                </button>
              ) : null,
          },
        ]}
      />
      {testing && probe.data ? <Capabilities probe={probe.data} label={`What ${items.find((s) => s.id === testing)?.name ?? 'the server'} offers`} /> : null}
      <Connections canRevoke={access.can({ permission: 'write', resource: 'mcp-connections' })} servers={items} />
    </>
  );
}

/** What the registry reports of a server's health (last call, last error, session state…), under `health` or as top-level fields; nothing where it reports none. */
function Health({ server }: { server: Server }) {
  const fields =
    server.health && typeof server.health === 'object'
      ? (server.health as Record<string, unknown>)
      : Object.fromEntries(Object.entries(server).filter(([k]) => HEALTH_FIELD.test(k)));
  if (Object.keys(fields).length === 0) return <span className="muted">—</span>;
  return <Details resource="mcp-servers" item={fields} />;
}

const HEALTH_FIELD = /^(last[A-Z]|session[A-Z]|toolsCount$|toolCount$|healthy$|state$)/;

/** People's own accounts at per-user servers: who, which server, until when; an admin revokes one here. */
function Connections({ canRevoke, servers }: { canRevoke: boolean; servers: Server[] }) {
  const connections = useQuery({ queryKey: ['mcp-connections'], queryFn: () => unwrap(api.GET('/mcp-connections', {})) });
  const revoke = useWrite(
    (c: { serverId: string; subject: string }) => unwrap(api.POST('/mcp-connections/revoke', { body: c })),
    undefined,
    'Revoked the connection: their next call asks them to connect again.',
  );
  const perUser = servers.some((s) => s.auth === 'oauth_per_user');
  return (
    <>
      <h2>Per-user connections</h2>
      <ErrorBox error={connections.error ?? revoke.error} />
      <Table
        caption="Per-user connections"
        rows={connections.data?.items ?? []}
        rowKey={(c) => `${c.serverId}/${c.subject}`}
        loading={connections.isLoading}
        empty={
          perUser
            ? 'Nobody has connected their own account yet: people get a connect link when they first call a tool of a per-user server.'
            : 'None: connections exist for servers whose auth is oauth_per_user (each person signs in to the upstream with their own account).'
        }
        columns={[
          { header: 'Person', cell: (c) => c.username ?? c.subject },
          { header: 'Server', cell: (c) => <Link href={`/resources/mcp-servers/${c.serverId}`}>{c.server}</Link> },
          { header: 'Scope', cell: (c) => c.scope || '—' },
          { header: 'Token expires', cell: (c) => when(c.expiresAt) },
          { header: 'Connected', cell: (c) => when(c.connectedAt) },
          {
            header: 'Revoke',
            cell: (c) =>
              canRevoke ? (
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    if (confirm(`Revoke ${c.username ?? c.subject}'s connection to ${c.server}?`)) revoke.mutate({ serverId: c.serverId, subject: c.subject });
                  }}
                >
                  Revoke <span className="sr-only">{`${c.username ?? c.subject} → ${c.server}`}</span>
                </button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
