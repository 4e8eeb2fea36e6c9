import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { FilterForm, useFilters } from '../../ui/FilterForm';
import { num, when } from '../../ui/format';
import { Table } from '../../ui/Table';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const NUMBERS = new Set(['status', 'minLatencyMs', 'maxLatencyMs']);

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
          { header: 'Status', cell: (l) => <span className={l.status >= 500 ? 'bad' : l.status >= 400 ? 'warn' : ''}>{l.status}</span> },
          { header: 'Latency', cell: (l) => `${num(l.latencyMs, 1)} ms` },
          { header: 'Client', cell: (l) => (l.clientId ? (clientName.get(l.clientId) ?? l.clientId) : '—') },
        ]}
      />
    </>
  );
}
