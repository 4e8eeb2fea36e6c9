import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { FilterForm, useFilters } from '../../ui/FilterForm';
import { when } from '../../ui/format';
import { Table } from '../../ui/Table';

export default function Audit() {
  const filters = useFilters();
  const query = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, k === 'status' ? Number(v) : v]));
  const entries = useQuery({ queryKey: ['audit', filters], queryFn: () => unwrap(api.GET('/audit-logs', { params: { query: { limit: 100, ...query } } })) });
  const verify = useQuery({ queryKey: ['audit-verify'], queryFn: () => unwrap(api.GET('/audit-logs/verify')) });
  const v = verify.data;
  return (
    <>
      <h1>Audit</h1>
      <p role="status" data-testid="chain" className={v && !v.ok ? 'error' : 'ok'}>
        {v
          ? v.ok
            ? `Hash chain intact: ${v.entries} entries verified.`
            : `Hash chain broken at entry ${v.brokenAt.seq}: ${v.brokenAt.reason}`
          : 'Checking the hash chain…'}{' '}
        <button type="button" onClick={() => void verify.refetch()}>
          Verify again
        </button>
      </p>
      <ErrorBox error={verify.error} />
      <FilterForm
        key={JSON.stringify(filters)}
        label="Audit filters"
        defs={[
          { name: 'actor', label: 'Actor' },
          { name: 'resourceType', label: 'Resource type' },
          { name: 'resourceId', label: 'Resource id' },
          { name: 'action', label: 'Action' },
          { name: 'channel', label: 'Channel', options: ['api', 'mcp', 'cli', 'console'] },
          { name: 'outcome', label: 'Outcome', options: ['success', 'denied', 'failure'] },
          { name: 'from', label: 'From', type: 'datetime' },
          { name: 'to', label: 'To', type: 'datetime' },
        ]}
      />
      <ErrorBox error={entries.error} />
      <Table
        caption="Audit entries, newest first"
        rows={entries.data?.items ?? []}
        rowKey={(e) => e.id}
        columns={[
          { header: 'Time', cell: (e) => <Link href={`/audit/${e.id}`}>{when(e.time)}</Link> },
          { header: 'Actor', cell: (e) => e.actor.name },
          { header: 'Channel', cell: (e) => e.channel },
          { header: 'Action', cell: (e) => <code>{e.action}</code> },
          { header: 'Resource', cell: (e) => `${e.resourceType} ${e.resourceId ?? ''}` },
          { header: 'Outcome', cell: (e) => <span className={e.outcome === 'success' ? '' : 'bad'}>{`${e.outcome} ${e.status}`}</span> },
        ]}
      />
    </>
  );
}
