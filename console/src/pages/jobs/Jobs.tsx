import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { num, when } from '../../ui/format';
import { Table } from '../../ui/Table';

/** Seconds as people read them: `42 s`, `3 min 5 s`. */
function left(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

const UNFINISHED = new Set(['queued', 'running']);

/**
 * Background jobs (declarative applies run with `Prefer: respond-async`): where each stands, read
 * from the admin API like every page. It asks every second while one runs, so the bar moves (every 5 s otherwise); the
 * gateway shows each person their own jobs and admins every job.
 */
export default function Jobs() {
  const list = useQuery({
    queryKey: ['jobs'],
    queryFn: () => unwrap(api.GET('/jobs', { params: { query: { limit: 50 } } })),
    refetchInterval: (query) => (query.state.data?.items.some((j) => UNFINISHED.has(j.state)) ? 1_000 : 5_000),
  });
  const rows = list.data?.items ?? [];
  const running = rows.filter((j) => UNFINISHED.has(j.state)).length;
  return (
    <>
      <h1>Jobs</h1>
      <p className="muted">
        Long changes run in the background: a declarative apply started with <code>gatehouse apply</code> (or <code>Prefer: respond-async</code> on the admin
        API). Nothing of an apply is visible until it commits; a job whose node stopped reads <em>abandoned</em>.
      </p>
      <p data-testid="jobs-running">{running === 0 ? 'No job is running.' : `${running} running.`}</p>
      <ErrorBox error={list.error} />
      <Table
        caption="Jobs, newest first"
        rows={rows}
        rowKey={(j) => j.id}
        loading={list.isLoading}
        empty={
          <>
            No jobs yet. <code>gatehouse apply -f gatehouse.yaml</code> runs one.
          </>
        }
        columns={[
          { header: 'Job', cell: (j) => <Link href={`/resources/jobs/${j.id}`}>{j.id}</Link> },
          { header: 'Operation', cell: (j) => <code>{j.operation}</code> },
          { header: 'State', cell: (j) => <span data-testid="job-state">{j.state}</span> },
          {
            header: 'Progress',
            cell: (j) =>
              j.itemsPlanned === null ? (
                j.phase
              ) : (
                <span className="nowrap">
                  <progress max={Math.max(1, j.itemsPlanned)} value={j.itemsApplied} aria-label={`${j.id} progress`} /> {num(j.itemsApplied)}/
                  {num(j.itemsPlanned)} · {j.phase}
                </span>
              ),
          },
          { header: 'Time left', cell: (j) => left(j.etaSeconds) },
          { header: 'Started by', cell: (j) => j.createdByName ?? j.createdBy },
          { header: 'Updated', cell: (j) => <span className="nowrap">{when(j.finishedAt ?? j.updatedAt)}</span> },
        ]}
      />
    </>
  );
}
