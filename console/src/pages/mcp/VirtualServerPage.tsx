import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { useCanWrite } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { RefLink } from '../../resources/references';
import { CopyButton } from '../../ui/CopyButton';
import { ErrorBox } from '../../ui/ErrorBox';
import { Table } from '../../ui/Table';
import { useWrite } from '../../ui/useWrite';
import { VirtualServerConnect } from '../connect/VirtualServerConnect';
import { AttachGuardrail } from '../workflows/AttachGuardrail';
import { ContextCost } from './ContextCost';
import { Findings } from './Findings';
import { RestToolStates } from './RestToolStates';
import { ToolDiff } from './ToolDiff';
import { type AttachedWorkflow, keyOf } from './types';
import { virtualUrl } from './urls';
import { WhoHasAccess } from './WhoHasAccess';

const STATE_TEXT: Record<string, string> = {
  approved: 'approved',
  changed: 'changed upstream: withheld until approved',
  unapproved: 'not approved yet: withheld',
  missing: 'no longer offered upstream',
  unreachable: 'upstream unreachable',
};

/** A virtual MCP server: its URL and client snippets, publishing, and each tool's pinning state with a diff and approval of changed definitions. */
export default function VirtualServerPage() {
  const { id } = useParams<{ id: string }>();
  const canWrite = useCanWrite('virtual-mcps');
  const vmcp = useQuery({ queryKey: ['virtual-mcp', id], queryFn: () => unwrap(api.GET('/virtual-mcps/{id}', { params: { path: { id } } })) });
  const status = useQuery({ queryKey: ['tool-status', id], queryFn: () => unwrap(api.GET('/virtual-mcps/{id}/tool-status', { params: { path: { id } } })) });
  const [open, setOpen] = useState<string | null>(null);
  const publish = useWrite(
    (published: boolean) => unwrap(api.PATCH('/virtual-mcps/{id}', { params: { path: { id } }, body: { published } })),
    undefined,
    (out) => (out.published ? `Published ${out.name}: clients can connect.` : `Unpublished ${out.name}.`),
  );
  // Named upstream tools, named REST tools, or (neither) every waiting, unflagged tool of both kinds.
  const approve = useWrite(
    (named: { tools?: Array<{ upstreamId: string; name: string }>; restTools?: string[] } | undefined) =>
      unwrap(api.POST('/virtual-mcps/{id}/approve-tools', { params: { path: { id } }, body: named ?? {} })),
    () => setOpen(null),
    'Approved: the tool is served with its new definition.',
  );
  const v = vmcp.data;
  const waiting = [...(status.data?.items ?? []), ...(status.data?.restTools ?? [])].filter((s) => s.state === 'changed' || s.state === 'unapproved');
  // What "approve all" approves: the gateway skips a flagged definition unless it is named.
  const approvable = waiting.filter((s) => !s.findings);
  const flagged = waiting.length - approvable.length;
  const url = v ? virtualUrl(v.slug) : '';
  return (
    <>
      <p>
        <Link href="/mcp/virtual">← Virtual MCP servers</Link>
      </p>
      <ErrorBox error={vmcp.error ?? publish.error ?? approve.error} />
      {v ? (
        <>
          <h1>{v.name}</h1>
          <p>
            <code data-testid="virtual-url">{url}</code> <CopyButton value={url} label="Copy URL" /> ·{' '}
            {v.published ? <span className="ok">published</span> : <span className="muted">draft: not served</span>} · {v.tools.length} tools ·{' '}
            <Link href={`/resources/virtual-mcps/${v.id}`}>all settings</Link>
          </p>
          <Workflows workflows={v.workflows} />
          <ContextCost id={v.id} />
          <WhoHasAccess id={v.id} />
          {canWrite ? (
            <div className="row">
              <Link className="button" href={`/mcp/virtual/${v.id}/edit`}>
                Edit tools
              </Link>
              <button type="button" className={v.published ? '' : 'primary'} disabled={publish.isPending} onClick={() => publish.mutate(!v.published)}>
                {v.published ? 'Unpublish' : 'Publish'}
              </button>
            </div>
          ) : null}
          <AttachGuardrail target={{ virtualMcpId: v.id }} busy={busyWith(v.workflows)} />
        </>
      ) : null}
      <h2>Tools</h2>
      <ErrorBox error={status.error} />
      {canWrite && approvable.length > 1 ? (
        <p className="row">
          <button type="button" onClick={() => approve.mutate(undefined)} disabled={approve.isPending}>
            Approve all {approvable.length} waiting{flagged > 0 ? ' unflagged' : ''}
          </button>
          {flagged > 0 ? <span className="muted">{flagged} flagged by the description scan: review and approve each by name.</span> : null}
        </p>
      ) : null}
      <Table
        caption="Tools and their pinned definitions"
        rows={status.data?.items ?? []}
        rowKey={keyOf}
        loading={status.isLoading}
        empty={<>No tools picked yet. {canWrite ? <Link href={`/mcp/virtual/${id}/edit`}>Pick tools from its MCP servers.</Link> : null}</>}
        columns={[
          { header: 'Tool', cell: (s) => <code>{s.servedName}</code> },
          { header: 'Upstream', cell: (s) => `${s.upstream} / ${s.name}` },
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
              s.state === 'changed' || s.state === 'unapproved' ? (
                <button type="button" aria-expanded={open === keyOf(s)} onClick={() => setOpen(open === keyOf(s) ? null : keyOf(s))}>
                  Review <span className="sr-only">{s.name}</span>
                </button>
              ) : null,
          },
        ]}
      />
      {(status.data?.items ?? [])
        .filter((s) => keyOf(s) === open)
        .map((s) => (
          <section key={keyOf(s)} className="panel" aria-label={`Review ${s.name}`}>
            <h3>
              {s.name}: {STATE_TEXT[s.state]}
            </h3>
            {s.findings ? <Findings tool={s.name} findings={s.findings} /> : null}
            <ToolDiff status={s} />
            {canWrite ? (
              <button
                type="button"
                className={s.findings ? 'danger' : 'primary'}
                disabled={approve.isPending}
                onClick={() => approve.mutate({ tools: [{ upstreamId: s.upstreamId, name: s.name }] })}
              >
                Approve {s.name}
                {s.findings ? ' despite the findings' : ''}
              </button>
            ) : null}
          </section>
        ))}
      <RestToolStates
        items={status.data?.restTools ?? []}
        canWrite={canWrite}
        busy={approve.isPending}
        approve={(names) => approve.mutate({ restTools: names })}
      />
      {v ? <ConnectPanel slug={v.slug} url={url} published={v.published} /> : null}
    </>
  );
}

/** Why a guardrail for every call cannot be attached: a call runs one workflow, and one already runs on every call. */
function busyWith(workflows: AttachedWorkflow[] = []): string | undefined {
  return workflows.some((w) => w.tools === undefined)
    ? 'Every call already runs a workflow, and a call runs one: add a guardrail’s steps to it, or attach guardrails to some tools under Edit tools.'
    : undefined;
}

/** The workflows its calls run, by name with a link, and which calls each runs on. */
function Workflows({ workflows = [] }: { workflows?: AttachedWorkflow[] | undefined }) {
  if (workflows.length === 0) return null;
  return (
    <section aria-label="Workflows its calls run">
      <h2>Workflows</h2>
      <ul>
        {workflows.map((w, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the same workflow may be attached twice (for all calls, and for some tools)
          <li key={i}>
            <RefLink resource="workflows" id={w.workflowId} />: {w.tools ? `calls of ${w.tools.join(', ')}` : 'every call'}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** How people and headless agents connect to it: sign-in snippets, install links, a service account's token. */
function ConnectPanel({ slug, url, published }: { slug: string; url: string; published: boolean }) {
  return (
    <section aria-label="Connect">
      <h2>Connect</h2>
      <VirtualServerConnect slug={slug} url={url} published={published} />
    </section>
  );
}
