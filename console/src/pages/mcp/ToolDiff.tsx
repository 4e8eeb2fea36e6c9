import { lineDiff, stableJson } from './line-diff';
import type { ToolStatus } from './types';

/** The approved definition of a tool beside the upstream's definition now (or a REST tool's contract now), changed lines marked. */
export function ToolDiff({ status, now = 'Upstream now' }: { status: Pick<ToolStatus, 'name' | 'approved' | 'current'>; now?: string }) {
  const approved = status.approved ? stableJson(status.approved) : '';
  const current = status.current ? stableJson(status.current) : '';
  const rows = lineDiff(approved, current);
  return (
    <table className="diff side-by-side" aria-label={`Changes to ${status.name}`}>
      <thead>
        <tr>
          <th scope="col">Approved{status.approved ? '' : ' (not recorded on this gateway)'}</th>
          <th scope="col">{now}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: diff rows are positional
          <tr key={i} className={r.changed ? 'changed' : ''}>
            <td className={r.changed && r.left !== null ? 'removed' : ''}>{r.left ?? ''}</td>
            <td className={r.changed && r.right !== null ? 'added' : ''}>{r.right ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
