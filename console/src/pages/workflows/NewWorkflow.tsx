import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import type { JsonSchema } from '../../api/openapi-doc';
import { useOptions } from '../../resources/references';
import ResourceCreate from '../../resources/ResourceCreate';
import { bodyOf, type Draft, draftOf, SchemaFields } from '../../resources/schema-form';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { useWrite } from '../../ui/useWrite';
import { type AttachTarget, attachTemplate, type Template, useTemplates } from './templates';

const BLANK = '';
const GROUPS = [
  { category: 'guardrail', title: 'Guardrails' },
  { category: 'traffic', title: 'Traffic' },
] as const;

/** `virtualMcpId:vmcp_…` → the attach target it names; '' → none. */
function targetOf(choice: string): AttachTarget | null {
  const [kind, id] = choice.split(':');
  if (!id) return null;
  return kind === 'proxyId' ? { proxyId: id } : { virtualMcpId: id };
}

/** A template's name, parameters and (optionally) where to attach it, then one create. */
function FromTemplate({ template }: { template: Template }) {
  const [, navigate] = useLocation();
  const params = template.parameters as JsonSchema;
  const [name, setName] = useState(template.name);
  const [draft, setDraft] = useState<Draft>(() => draftOf(params));
  const [target, setTarget] = useState('');
  const servers = useOptions('virtual-mcps');
  const proxies = useOptions('proxies');
  const create = useWrite(
    async () => {
      const body = { name, params: bodyOf(params, draft) };
      const to = targetOf(target);
      if (to) return (await attachTemplate(template.name, to, body)).workflow;
      return unwrap(api.POST('/workflows/templates/{template}/instantiate', { params: { path: { template: template.name } }, body }));
    },
    (wf) => navigate(`/resources/workflows/${wf.id}`),
    (wf) => `Created ${wf.name} from ${template.title}${targetOf(target) ? ' and attached it' : ''}.`,
  );
  return (
    <form
      className="stack panel"
      aria-label={`From ${template.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(undefined);
      }}
    >
      <h2>{template.title}</h2>
      <p className="muted">{template.description}</p>
      <Field label="Name (required)">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
      <SchemaFields body={params} draft={draft} onChange={setDraft} />
      <Field label="Attach to" hint="Optional: the workflow is created and attached in one change.">
        {(id, described) => (
          <select id={id} aria-describedby={described} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">(nothing yet: only create it)</option>
            <optgroup label="Virtual MCP servers (every call)">
              {servers.options?.map((o) => (
                <option key={o.id} value={`virtualMcpId:${o.id}`}>
                  {o.label}
                </option>
              ))}
            </optgroup>
            <optgroup label="Proxies">
              {proxies.options?.map((o) => (
                <option key={o.id} value={`proxyId:${o.id}`}>
                  {o.label}
                </option>
              ))}
            </optgroup>
          </select>
        )}
      </Field>
      <ErrorBox error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending}>
        Create workflow
      </button>
    </form>
  );
}

/**
 * "New workflow": start from one of the gateway's templates (guardrails first, then traffic
 * shapes), or from a blank workflow edited field by field.
 */
export default function NewWorkflow() {
  const templates = useTemplates();
  const [chosen, setChosen] = useState<string | null>(null);
  const items = templates.data?.items ?? [];
  const picked = items.find((t) => t.name === chosen);
  return (
    <>
      <p>
        <Link href="/resources/workflows">← Workflows</Link>
      </p>
      <h1>New workflow</h1>
      <ErrorBox error={templates.error} />
      <fieldset className="group" aria-label="Start from">
        <legend>Start from</legend>
        {GROUPS.map((g) => (
          <fieldset key={g.category} className="group" aria-label={g.title}>
            <legend>{g.title}</legend>
            {items
              .filter((t) => t.category === g.category)
              .map((t) => (
                <label key={t.name} className="choice">
                  <input type="radio" name="start" checked={chosen === t.name} onChange={() => setChosen(t.name)} /> <strong>{t.title}</strong>{' '}
                  <span className="muted small">{t.description}</span>
                </label>
              ))}
          </fieldset>
        ))}
        <label className="choice">
          <input type="radio" name="start" checked={chosen === BLANK} onChange={() => setChosen(BLANK)} /> <strong>Blank workflow</strong>{' '}
          <span className="muted small">Request and response steps of your own.</span>
        </label>
      </fieldset>
      {picked ? <FromTemplate key={picked.name} template={picked} /> : null}
      {chosen === BLANK ? <ResourceCreate embedded /> : null}
    </>
  );
}
