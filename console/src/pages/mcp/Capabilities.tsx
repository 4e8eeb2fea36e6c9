import { Table } from '../../ui/Table';
import type { Probe } from './probe';

/** What a server answered a probe with: its name, then its tools, prompts and resources. */
export function Capabilities({ probe, label }: { probe: Probe; label: string }) {
  if (!probe.reachable) {
    return (
      <div role="alert" className="error" aria-label={`${label}: not reachable`}>
        <strong>{probe.error?.code}</strong>: {probe.error?.message}
      </div>
    );
  }
  return (
    <section className="panel" aria-label={label}>
      <p role="status" className="ok" data-testid="probe-summary">
        ✓ Connected{probe.serverInfo ? ` to ${probe.serverInfo.name} ${probe.serverInfo.version}` : ''}: {probe.tools.length} tools, {probe.prompts.length}{' '}
        prompts, {probe.resources.length} resources.
      </p>
      <Table
        caption="Tools"
        rows={probe.tools}
        rowKey={(t) => t.name}
        empty="This server offers no tools."
        columns={[
          { header: 'Tool', cell: (t) => <code>{t.name}</code> },
          { header: 'Description', cell: (t) => t.description ?? '' },
        ]}
      />
      <div className="grid">
        <Table
          caption="Prompts"
          rows={probe.prompts}
          rowKey={(p) => p.name}
          empty="No prompts."
          columns={[
            { header: 'Prompt', cell: (p) => <code>{p.name}</code> },
            { header: 'Description', cell: (p) => p.description ?? '' },
          ]}
        />
        <Table
          caption="Resources"
          rows={probe.resources}
          rowKey={(r) => r.uri}
          empty="No resources."
          columns={[
            { header: 'Resource', cell: (r) => <code>{r.uri}</code> },
            { header: 'Name', cell: (r) => r.name ?? '' },
          ]}
        />
      </div>
    </section>
  );
}
