import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'wouter';
import { useAccess, useCanWrite } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { when } from '../../ui/format';
import { ApprovalStatus } from './ApprovalStatus';
import { Decide } from './Decide';
import { CallShown } from './CallShown';
import { Caller, HeldBy, Person, Target } from './Parts';
import { useNames } from './useNames';

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** One held call, the page a held call's error links to: what was called, by whom, why it is held, and its decision. */
export default function ApprovalPage() {
  const { id } = useParams<{ id: string }>();
  const access = useAccess();
  const names = useNames();
  const canDecide = useCanWrite('approvals');
  const item = useQuery({ queryKey: ['approval', id], queryFn: () => unwrap(api.GET('/approvals/{id}', { params: { path: { id } } })) });
  const a = item.data;
  const decided = Boolean(a?.decidedBy);
  // The decision's audit entry names the approver (the approval keeps only their subject); a role that cannot read the audit log sees the subject.
  const audit = useQuery({
    queryKey: ['approval-audit', id],
    enabled: decided,
    retry: false,
    queryFn: () => unwrap(api.GET('/audit-logs', { params: { query: { resourceType: 'approvals', resourceId: id, outcome: 'success', limit: 5 } } })),
  });
  const decision = audit.data?.items.find((e) => e.action === 'approvals.approve' || e.action === 'approvals.deny');
  const own = a?.caller === `user:${access.user.subject}`;
  return (
    <>
      <p>
        <Link href="/approvals">← Approvals</Link>
      </p>
      <ErrorBox error={item.error} />
      {a ? (
        <>
          <h1>
            <Target approval={a} />
          </h1>
          <p>
            <ApprovalStatus status={a.status} />
          </p>
          <dl className="details">
            <Item term="Caller">
              <Caller approval={a} names={names} raw />
            </Item>
            <Item term="Held by">
              <HeldBy approval={a} names={names} />
            </Item>
            <Item term="Requested">{when(a.requestedAt)}</Item>
            <Item term="Expires">{when(a.expiresAt)}</Item>
            <Item term="ID">
              <code>{a.id}</code>
            </Item>
            {decided ? (
              <>
                <Item term="Decided by">
                  <span data-testid="decided-by">
                    {decision ? (
                      <span title={a.decidedBy ?? ''}>{`${decision.actor.name} (${decision.channel})`}</span>
                    ) : (
                      <Person name={a.decidedByName} subject={a.decidedBy ?? ''} />
                    )}
                    {a.decidedBy === access.user.subject ? ' — you' : ''}
                  </span>
                </Item>
                <Item term="Decided">{when(a.decidedAt)}</Item>
                <Item term="Reason given">
                  <span data-testid="decision-reason">{a.decisionReason ?? '—'}</span>
                </Item>
              </>
            ) : null}
            {a.usedAt ? <Item term="Retry passed">{when(a.usedAt)}</Item> : null}
          </dl>
          <CallShown approval={a} />
          {a.status === 'pending' ? (
            canDecide ? (
              <Decide approval={a} own={own} />
            ) : (
              <p className="muted">Waiting for an approver (a role that may write approvals).</p>
            )
          ) : null}
        </>
      ) : null}
    </>
  );
}
