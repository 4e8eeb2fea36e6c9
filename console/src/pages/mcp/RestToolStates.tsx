import { useState } from 'react';
import { Table } from '../../ui/Table';
import { Findings } from './Findings';
import { ToolDiff } from './ToolDiff';
import type { RestToolStatus } from './types';

const STATE_TEXT: Record<string, string> = {
  approved: 'approved',
  changed: 'contract changed: withheld until approved',
  unapproved: 'not approved yet: withheld',
  missing: 'operation not published or not exposed to MCP',
};

const waiting = (s: RestToolStatus) => s.state === 'changed' || s.state === 'unapproved';

/**
 * A virtual server's REST tools and their pinned contracts: a re-import that changed an
 * operation's contract shows here, the approved definition beside the contract now, to approve.
 */
export function RestToolStates({
  items,
  canWrite,
  busy,
  approve,
}: {
  items: RestToolStatus[];
  canWrite: boolean;
  busy: boolean;
  approve: (names: string[]) => void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  if (items.length === 0) return null;
  return (
    <section aria-label="REST tools">
      <h2>REST tools</h2>
      <Table
        caption="REST tools and their pinned contracts"
        rows={items}
        rowKey={(s) => s.name}
        columns={[
          { header: 'Tool', cell: (s) => <code>{s.name}</code> },
          { header: 'Operation', cell: (s) => <code>{s.operation}</code> },
          {
            header: 'State',
            cell: (s) => (
              <>
                <span className={s.state === 'approved' ? 'ok' : 'warn'}>{STATE_TEXT[s.state] ?? s.state}</span>
                {s.findings ? <div className="bad small">flagged: {s.findings.rules.map((r) => r.rule).join(', ')}</div> : null}
              </>
            ),
          },
          {
            header: 'Review',
            cell: (s) =>
              waiting(s) ? (
                <button type="button" aria-expanded={open === s.name} onClick={() => setOpen(open === s.name ? null : s.name)}>
                  Review <span className="sr-only">{s.name}</span>
                </button>
              ) : null,
          },
        ]}
      />
      {items
        .filter((s) => s.name === open)
        .map((s) => (
          <section key={s.name} className="panel" aria-label={`Review ${s.name}`}>
            <h3>
              {s.name}: {STATE_TEXT[s.state]}
            </h3>
            {s.findings ? <Findings tool={s.name} findings={s.findings} /> : null}
            <ToolDiff status={s} now="Contract now" />
            {canWrite ? (
              <button
                type="button"
                className={s.findings ? 'danger' : 'primary'}
                disabled={busy}
                onClick={() => {
                  approve([s.name]);
                  setOpen(null);
                }}
              >
                Approve {s.name}
                {s.findings ? ' despite the findings' : ''}
              </button>
            ) : null}
          </section>
        ))}
    </section>
  );
}
