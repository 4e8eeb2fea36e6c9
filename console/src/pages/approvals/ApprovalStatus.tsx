import type { Approval } from './approval';

const CLASS: Record<Approval['status'], string> = { pending: 'badge', approved: 'ok', used: 'ok', denied: 'bad', expired: 'muted' };
const TEXT: Record<Approval['status'], string> = {
  pending: 'pending',
  approved: 'approved (not used yet)',
  used: 'approved and used',
  denied: 'denied',
  expired: 'expired',
};

/** Where a held call stands, in words. */
export function ApprovalStatus({ status }: { status: Approval['status'] }) {
  return (
    <span className={CLASS[status]} data-testid="approval-status">
      {TEXT[status]}
    </span>
  );
}
