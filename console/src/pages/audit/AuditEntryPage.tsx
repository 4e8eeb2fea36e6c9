import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { when } from '../../ui/format';
import { DiffView } from './DiffView';

export default function AuditEntryPage() {
  const { id } = useParams<{ id: string }>();
  const entry = useQuery({ queryKey: ['audit-entry', id], queryFn: () => unwrap(api.GET('/audit-logs/{id}', { params: { path: { id } } })) });
  const e = entry.data;
  return (
    <>
      <p>
        <Link href="/audit">← Audit</Link>
      </p>
      <ErrorBox error={entry.error} />
      {e ? (
        <>
          <h1>
            {e.action} · {e.outcome}
          </h1>
          <dl className="details">
            <div>
              <dt>Time</dt>
              <dd>{when(e.time)}</dd>
            </div>
            <div>
              <dt>Actor</dt>
              <dd>
                {e.actor.name} ({e.actor.kind}, {e.actor.subject})
              </dd>
            </div>
            <div>
              <dt>Channel</dt>
              <dd>{e.channel}</dd>
            </div>
            <div>
              <dt>Client application</dt>
              <dd>{e.clientApp ?? '—'}</dd>
            </div>
            <div>
              <dt>Resource</dt>
              <dd>
                {e.resourceType} {e.resourceId ?? ''}
              </dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                {e.status} {e.errorCode ?? ''}
              </dd>
            </div>
            <div>
              <dt>Request id</dt>
              <dd>{e.requestId ?? '—'}</dd>
            </div>
            <div>
              <dt>Hash</dt>
              <dd>
                <code>{e.hash}</code>
              </dd>
            </div>
          </dl>
          <h2>Change</h2>
          <DiffView diff={e.diff} />
        </>
      ) : null}
    </>
  );
}
