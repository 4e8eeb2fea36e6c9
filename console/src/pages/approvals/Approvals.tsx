import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from 'wouter';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { when } from '../../ui/format';
import { Table } from '../../ui/Table';
import { callLine } from './approval';
import { ApprovalStatus } from './ApprovalStatus';
import { Caller, HeldBy, Person, Target } from './Parts';
import { useNames } from './useNames';

const VIEWS = { pending: 'Pending', decided: 'Decided' } as const;
type View = keyof typeof VIEWS;

/** The approvals queue: calls a tool policy held for a person's decision, pending first; decided ones on their own tab. */
export default function Approvals() {
  const view: View = new URLSearchParams(useSearch()).get('status') === 'decided' ? 'decided' : 'pending';
  // Decided = everything no longer waiting (approved, used, denied, expired): the list without a status, minus the pending.
  const list = useQuery({
    queryKey: ['approvals', view],
    queryFn: () => unwrap(api.GET('/approvals', { params: { query: { limit: 200, ...(view === 'pending' ? { status: 'pending' as const } : {}) } } })),
    refetchInterval: 10_000,
  });
  const names = useNames();
  const rows = (list.data?.items ?? []).filter((a) => (view === 'pending' ? a.status === 'pending' : a.status !== 'pending'));
  return (
    <>
      <h1>Approvals</h1>
      <p className="muted">
        Calls a workflow’s tool policy held for a person’s decision. Approve one and the caller’s retry with the same arguments passes once; deny one and the
        caller is told your reason.
      </p>
      <nav aria-label="Approval filters" className="tabs">
        {(Object.keys(VIEWS) as View[]).map((v) => (
          <Link key={v} href={`/approvals?status=${v}`} aria-current={v === view ? 'page' : undefined}>
            {VIEWS[v]}
          </Link>
        ))}
      </nav>
      <ErrorBox error={list.error} />
      <Table
        caption={view === 'pending' ? 'Calls waiting for a decision, newest first' : 'Decided and expired calls, newest first'}
        rows={rows}
        rowKey={(a) => a.id}
        loading={list.isLoading}
        empty={
          view === 'pending' ? (
            <>
              No calls are waiting. A call is held here when a <code>tool_policy</code> rule of a workflow decides <code>approval</code>:{' '}
              <Link href="/resources/workflows">add one to a workflow</Link> and attach it to a proxy.
            </>
          ) : (
            <>
              Nothing decided yet. <Link href="/approvals?status=pending">See the pending calls.</Link>
            </>
          )
        }
        columns={[
          {
            header: 'Call',
            cell: (a) => (
              <Link href={`/approvals/${a.id}`}>
                <Target approval={a} />
              </Link>
            ),
          },
          { header: 'Caller', cell: (a) => <Caller approval={a} names={names} /> },
          { header: 'Arguments', cell: (a) => <code className="preview-line">{callLine(a.call)}</code> },
          { header: 'Held by', cell: (a) => <HeldBy approval={a} names={names} /> },
          { header: 'Requested', cell: (a) => <span className="nowrap">{when(a.requestedAt)}</span> },
          view === 'pending'
            ? { header: 'Expires', cell: (a) => <span className="nowrap">{when(a.expiresAt)}</span> }
            : {
                header: 'Decision',
                cell: (a) => (
                  <>
                    <ApprovalStatus status={a.status} />
                    {a.decidedBy ? (
                      <>
                        {' by '}
                        <Person name={a.decidedByName} subject={a.decidedBy} />
                      </>
                    ) : null}
                    {a.decisionReason ? `: ${a.decisionReason}` : ''}
                  </>
                ),
              },
        ]}
      />
    </>
  );
}
