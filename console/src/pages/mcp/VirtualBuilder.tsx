import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { api, unwrap } from '../../api/client';
import { RefMulti } from '../../resources/references';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { useWrite } from '../../ui/useWrite';
import { AccessEditor } from './AccessEditor';
import { RestToolPicker } from './RestToolPicker';
import { shownToolNames } from './tool-names';
import { ToolPicker, useUpstreamTools } from './ToolPicker';
import {
  type Access,
  type AttachedWorkflow,
  type Curated,
  type CuratedPrompt,
  type CuratedResource,
  keyOf,
  type RestToolInput,
  type Virtual,
  type VirtualInput,
} from './types';
import { WorkflowsEditor } from './WorkflowsEditor';

/** Prompts and resources of one upstream, passed through as they are when picked. */
function ExtrasPicker({
  upstreamId,
  upstreamName,
  prompts,
  resources,
  onPrompts,
  onResources,
}: {
  upstreamId: string;
  upstreamName: string;
  prompts: CuratedPrompt[];
  resources: CuratedResource[];
  onPrompts: (p: CuratedPrompt[]) => void;
  onResources: (r: CuratedResource[]) => void;
}) {
  const probe = useUpstreamTools(upstreamId);
  const offered = probe.data;
  if (!offered || (offered.prompts.length === 0 && offered.resources.length === 0)) return null;
  const hasPrompt = (name: string) => prompts.some((p) => p.upstreamId === upstreamId && p.name === name);
  const hasResource = (uri: string) => resources.some((r) => r.upstreamId === upstreamId && r.uri === uri);
  return (
    <details className="panel">
      <summary>
        Prompts and resources of {upstreamName} ({offered.prompts.length} prompts, {offered.resources.length} resources)
      </summary>
      <fieldset className="checks" aria-label={`Prompts of ${upstreamName}`}>
        {offered.prompts.map((p) => (
          <label key={p.name}>
            <input
              type="checkbox"
              checked={hasPrompt(p.name)}
              onChange={(e) =>
                onPrompts(
                  e.target.checked ? [...prompts, { upstreamId, name: p.name }] : prompts.filter((x) => !(x.upstreamId === upstreamId && x.name === p.name)),
                )
              }
            />{' '}
            {p.name}
          </label>
        ))}
      </fieldset>
      <fieldset className="checks" aria-label={`Resources of ${upstreamName}`}>
        {offered.resources.map((r) => (
          <label key={r.uri}>
            <input
              type="checkbox"
              checked={hasResource(r.uri)}
              onChange={(e) =>
                onResources(
                  e.target.checked ? [...resources, { upstreamId, uri: r.uri }] : resources.filter((x) => !(x.upstreamId === upstreamId && x.uri === r.uri)),
                )
              }
            />{' '}
            {r.name ?? r.uri}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

function Builder({ existing }: { existing?: Virtual }) {
  const [, navigate] = useLocation();
  const servers = useQuery({ queryKey: ['mcp-servers'], queryFn: () => unwrap(api.GET('/mcp-servers', { params: { query: { limit: 500 } } })) });
  const [name, setName] = useState(existing?.name ?? '');
  const [slug, setSlug] = useState(existing?.slug ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [upstreamIds, setUpstreams] = useState<string[]>(existing?.upstreamIds ?? []);
  const [tools, setTools] = useState(() => new Map<string, Curated>((existing?.tools ?? []).map((t) => [keyOf(t), t])));
  const [restTools, setRestTools] = useState<RestToolInput[]>(existing?.restTools ?? []);
  const [prompts, setPrompts] = useState<CuratedPrompt[]>(existing?.prompts ?? []);
  const [resources, setResources] = useState<CuratedResource[]>(existing?.resources ?? []);
  const [access, setAccess] = useState<Access | undefined>(existing?.access);
  const [workflows, setWorkflows] = useState<AttachedWorkflow[]>(existing?.workflows ?? []);
  const [published, setPublished] = useState(existing?.published ?? false);
  const body = (): VirtualInput => {
    const inUse = (t: { upstreamId: string }) => upstreamIds.includes(t.upstreamId);
    return {
      name,
      slug,
      description,
      upstreamIds,
      tools: [...tools.values()].filter(inUse),
      restTools,
      prompts: prompts.filter(inUse),
      resources: resources.filter(inUse),
      ...(access ? { access } : {}),
      workflows,
      published,
    };
  };
  const save = useWrite(
    () =>
      existing
        ? unwrap(api.PATCH('/virtual-mcps/{id}', { params: { path: { id: existing.id } }, body: body() }))
        : unwrap(api.POST('/virtual-mcps', { body: body() })),
    (out) => navigate(`/mcp/virtual/${out.id}`),
    (out) => `Saved virtual MCP server ${out.name}${out.published ? ' (published)' : ''}.`,
  );
  const nameOf = (id: string) => servers.data?.items.find((s) => s.id === id)?.name ?? id;
  return (
    <form
      className="stack wide"
      aria-label={existing ? `Edit ${existing.name}` : 'New virtual MCP server'}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <div className="row">
        <Field label="Name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
        <Field label="Slug" hint="Its URL: /mcp/v/<slug>">
          {(id, hint) => (
            <input id={id} aria-describedby={hint} value={slug} onChange={(e) => setSlug(e.target.value)} required pattern="[a-z0-9][a-z0-9\-]{0,62}" />
          )}
        </Field>
      </div>
      <Field label="Description">{(id) => <input id={id} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
      <Field label="Upstream MCP servers">
        {(id) => <RefMulti id={id} resource="mcp-servers" label="Upstream MCP servers" value={upstreamIds} onChange={setUpstreams} />}
      </Field>
      {servers.data?.items.length === 0 ? (
        <p className="muted">
          No MCP servers yet: <Link href="/mcp/servers">add one</Link> first.
        </p>
      ) : null}
      {upstreamIds.map((u) => (
        <div key={u}>
          <ToolPicker upstreamId={u} upstreamName={nameOf(u)} composed={upstreamIds.length > 1} picked={tools} onChange={setTools} />
          <ExtrasPicker upstreamId={u} upstreamName={nameOf(u)} prompts={prompts} resources={resources} onPrompts={setPrompts} onResources={setResources} />
        </div>
      ))}
      <RestToolPicker value={restTools} onChange={setRestTools} />
      <WorkflowsEditor
        value={workflows}
        onChange={setWorkflows}
        tools={[...shownToolNames(tools.values(), upstreamIds, nameOf), ...restTools.map((t) => t.name)]}
      />
      <AccessEditor value={access} onChange={setAccess} canClear={existing?.access === undefined} />
      <label>
        <input type="checkbox" checked={published} onChange={(e) => setPublished(e.target.checked)} /> Published (clients can connect)
      </label>
      <ErrorBox error={save.error} />
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {existing ? 'Save changes' : 'Create virtual MCP server'}
        </button>
        <span className="muted">{[...tools.values()].filter((t) => upstreamIds.includes(t.upstreamId)).length + restTools.length} tools picked</span>
      </div>
    </form>
  );
}

/** Creates a virtual MCP server (`/mcp/virtual/new`) or edits one (`/mcp/virtual/:id/edit`) by picking tools from the upstreams' live lists. */
export default function VirtualBuilder() {
  const { id } = useParams<{ id?: string }>();
  const existing = useQuery({
    queryKey: ['virtual-mcp', id],
    enabled: id !== undefined,
    queryFn: () => unwrap(api.GET('/virtual-mcps/{id}', { params: { path: { id: id! } } })),
  });
  return (
    <>
      <p>
        <Link href={id ? `/mcp/virtual/${id}` : '/mcp/virtual'}>← {id ? (existing.data?.name ?? 'Back') : 'Virtual MCP servers'}</Link>
      </p>
      <h1>{id ? `Edit ${existing.data?.name ?? ''}` : 'New virtual MCP server'}</h1>
      <ErrorBox error={existing.error} />
      {id === undefined ? <Builder /> : existing.data ? <Builder existing={existing.data} /> : <p className="loading">Loading…</p>}
    </>
  );
}
