import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { FilterForm, type FilterOption, useFilters } from '../../ui/FilterForm';
import { num, when } from '../../ui/format';
import { Table } from '../../ui/Table';
import { Person } from '../approvals/Parts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const CHANNELS = ['rest', 'mcp', 'federation'] as const;
const MCP_METHODS = ['tools/call', 'tools/list', 'prompts/list', 'prompts/get', 'resources/list', 'resources/read', 'initialize'] as const;
const NUMBERS = new Set(['status', 'minLatencyMs', 'maxLatencyMs']);

/** A virtual server's tool as it shows it; the log's `<shown> → <upstream>/<name>` keeps where it went for the hover. */
function shownTool(recorded: string): string {
  return recorded.split(' → ')[0] ?? recorded;
}

export default function RequestLogs() {
  const filters = useFilters();
  const query = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, NUMBERS.has(k) ? Number(v) : v]));
  const logs = useQuery({
    queryKey: ['request-logs', filters],
    queryFn: () => unwrap(api.GET('/request-logs', { params: { query: { limit: 100, ...query } } })),
    refetchInterval: 10_000,
  });
  const clients = useQuery({ queryKey: ['clients'], queryFn: () => unwrap(api.GET('/clients', { params: { query: { limit: 500 } } })) });
  const clientName = new Map((clients.data?.items ?? []).map((c) => [c.id, c.name]));
  // People to filter by: those the role may list, and those the page's calls name (the log carries their names).
  const users = useQuery({ queryKey: ['users'], retry: false, queryFn: () => unwrap(api.GET('/users', { params: { query: { limit: 500 } } })) });
  const accounts = useQuery({
    queryKey: ['service-accounts'],
    retry: false,
    queryFn: () => unwrap(api.GET('/service-accounts', { params: { query: { limit: 500 } } })),
  });
  const people = new Map<string, string>([
    ...(logs.data?.items ?? []).flatMap((l) => (l.subject && l.subjectName ? [[l.subject, l.subjectName] as [string, string]] : [])),
    ...(users.data?.items ?? []).map((u) => [`user:${u.id}`, u.username] as [string, string]),
    ...(accounts.data?.items ?? []).map((a) => [`service:${a.id}`, `${a.name} (service account)`] as [string, string]),
  ]);
  const userOptions: FilterOption[] = [...people.entries()].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  return (
    <>
      <h1>Request logs</h1>
      <FilterForm
        key={JSON.stringify(filters)}
        label="Request log filters"
        defs={[
          { name: 'path', label: 'Path' },
          { name: 'status', label: 'Status', type: 'number' },
          { name: 'method', label: 'Method', options: METHODS },
          { name: 'channel', label: 'Channel', options: CHANNELS },
          { name: 'mcpMethod', label: 'MCP method', options: MCP_METHODS },
          { name: 'mcpTool', label: 'Tool' },
          { name: 'subject', label: 'User', options: userOptions },
          { name: 'clientId', label: 'Client id' },
          { name: 'profileId', label: 'Profile id' },
          { name: 'collectionId', label: 'Collection id' },
          { name: 'minLatencyMs', label: 'Latency ≥ ms', type: 'number' },
          { name: 'maxLatencyMs', label: 'Latency ≤ ms', type: 'number' },
          { name: 'bodyText', label: 'Body contains' },
          { name: 'from', label: 'From', type: 'datetime' },
          { name: 'to', label: 'To', type: 'datetime' },
        ]}
      />
      <ErrorBox error={logs.error} />
      <Table
        caption="Calls, newest first"
        rows={logs.data?.items ?? []}
        rowKey={(l) => l.id}
        columns={[
          { header: 'Time', cell: (l) => <Link href={`/request-logs/${l.id}`}>{when(l.time)}</Link> },
          { header: 'Method', cell: (l) => <code>{l.method}</code> },
          { header: 'Path', cell: (l) => <code>{l.path}</code> },
          { header: 'MCP method', cell: (l) => (l.mcpMethod ? <code>{l.mcpMethod}</code> : '—') },
          {
            header: 'Tool',
            cell: (l) =>
              l.mcpTool ? (
                <code title={l.mcpTool} data-testid="log-tool">
                  {shownTool(l.mcpTool)}
                </code>
              ) : (
                '—'
              ),
          },
          { header: 'User', cell: (l) => (l.subject ? <Person name={l.subjectName} subject={l.subject} /> : '—') },
          {
            header: 'Status',
            cell: (l) => (
              <span className={l.status >= 500 || l.errorCode ? 'bad' : l.status >= 400 ? 'warn' : ''} title={l.errorCode ?? undefined}>
                {l.status}
                {l.errorCode && l.status < 400 ? ' · failed' : ''}
              </span>
            ),
          },
          { header: 'Latency', cell: (l) => `${num(l.latencyMs, 1)} ms` },
          { header: 'Client', cell: (l) => (l.clientId ? (clientName.get(l.clientId) ?? l.clientId) : '—') },
        ]}
      />
    </>
  );
}
