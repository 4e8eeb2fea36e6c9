import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { useWrite } from '../../ui/useWrite';
import { type Approval, concreteCall } from './approval';

/**
 * Approve or deny a pending held call, with a reason (required to deny: the caller is told it).
 * The gateway judges who may decide (it refuses the caller's own call); its message is shown as is.
 */
export function Decide({ approval, own }: { approval: Approval; own: boolean }) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const path = { params: { path: { id: approval.id } } };
  const decide = useWrite(
    (verdict: 'approve' | 'deny') => {
      const body = reason.trim() ? { reason: reason.trim() } : {};
      return verdict === 'approve'
        ? unwrap(api.POST('/approvals/{id}/approve', { ...path, body }))
        : unwrap(api.POST('/approvals/{id}/deny', { ...path, body: { reason: reason.trim() } }));
    },
    undefined,
    (out) => `${out.status === 'denied' ? 'Denied' : 'Approved'} ${concreteCall(approval)}.`,
  );
  return (
    <form
      className="panel"
      aria-label="Decide"
      onSubmit={(e) => {
        e.preventDefault();
        const verdict = (e.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'deny' ? 'deny' : 'approve';
        if (verdict === 'deny' && !reason.trim()) return setMissing(true);
        setMissing(false);
        decide.mutate(verdict);
      }}
    >
      <h2>Decide</h2>
      {own ? <p className="muted">This is your own call: the gateway lets another approver decide it.</p> : null}
      <Field label="Reason (required to deny; the caller is told it)" error={missing ? 'Say why you deny it: the caller is told your reason.' : undefined}>
        {(id, describedBy) => (
          <textarea
            id={id}
            aria-describedby={describedBy}
            rows={2}
            maxLength={500}
            value={reason}
            aria-invalid={missing || undefined}
            onChange={(e) => {
              setReason(e.target.value);
              setMissing(false);
            }}
          />
        )}
      </Field>
      <p>
        <button type="submit" className="primary" value="approve" disabled={decide.isPending}>
          Approve
        </button>{' '}
        <button type="submit" value="deny" disabled={decide.isPending}>
          Deny
        </button>
      </p>
      <ErrorBox error={decide.error} />
    </form>
  );
}
