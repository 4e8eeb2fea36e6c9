import { useId, useState } from 'react';
import { Link } from 'wouter';
import { RefLink, useOptions } from '../../resources/references';
import type { AttachedWorkflow } from './types';

/** The API's bound on workflows attached to one virtual server. */
const MAX_WORKFLOWS = 20;

/** One attached workflow: every call, or only the calls of the tools ticked (by the names the server shows). */
function Attached({
  value,
  name,
  tools,
  onChange,
  onRemove,
}: {
  value: AttachedWorkflow;
  name: string;
  tools: string[];
  onChange: (v: AttachedWorkflow) => void;
  onRemove: () => void;
}) {
  const scope = useId();
  const chosen = value.tools;
  // A tool renamed or unpicked since stays listed, ticked, so the admin sees it and can untick it.
  const gone = (chosen ?? []).filter((t) => !tools.includes(t));
  const toggle = (tool: string, on: boolean) => onChange({ ...value, tools: on ? [...(chosen ?? []), tool] : (chosen ?? []).filter((t) => t !== tool) });
  return (
    <section className="panel" aria-label={`Workflow ${name}`}>
      <div className="row">
        <strong>
          <RefLink resource="workflows" id={value.workflowId} />
        </strong>
        <label>
          <input type="radio" name={scope} checked={chosen === undefined} onChange={() => onChange({ workflowId: value.workflowId })} /> Every call
        </label>
        <label>
          <input type="radio" name={scope} checked={chosen !== undefined} onChange={() => onChange({ ...value, tools: chosen ?? [] })} /> Only calls of the
          tools ticked
        </label>
        <button type="button" className="danger" onClick={onRemove}>
          Remove <span className="sr-only">{name}</span>
        </button>
      </div>
      {chosen !== undefined ? (
        <fieldset className="checks" aria-label={`Tools that run ${name}`}>
          {tools.length === 0 && gone.length === 0 ? <span className="muted">Pick tools above first.</span> : null}
          {[...tools, ...gone].map((tool) => (
            <label key={tool}>
              <input type="checkbox" checked={chosen.includes(tool)} onChange={(e) => toggle(tool, e.target.checked)} /> {tool}
              {gone.includes(tool) ? <span className="warn small"> (not a tool of this server now)</span> : null}
            </label>
          ))}
          {chosen.length === 0 ? <small className="field-error">Tick at least one tool, or choose every call.</small> : null}
        </fieldset>
      ) : null}
    </section>
  );
}

/**
 * The workflows a virtual server's calls run, picked by name: each on every call (prompts and
 * resource reads included) or only on calls of the tools ticked, which then runs over one for every call.
 */
export function WorkflowsEditor({ value, onChange, tools }: { value: AttachedWorkflow[]; onChange: (v: AttachedWorkflow[]) => void; tools: string[] }) {
  const { options } = useOptions('workflows');
  const [adding, setAdding] = useState('');
  const pickId = useId();
  const nameOf = (id: string) => options?.find((o) => o.id === id)?.label ?? id;
  return (
    <fieldset className="group" aria-label="Workflows">
      <legend>Workflows its calls run</legend>
      <p className="muted small">
        Request steps see a call's arguments before the upstream does; response steps see its result. A workflow limited to some tools runs on their calls
        instead of one attached to every call.
      </p>
      {value.map((w, i) => (
        <Attached
          // biome-ignore lint/suspicious/noArrayIndexKey: the same workflow may be attached twice (for all calls, and for some tools)
          key={i}
          value={w}
          name={nameOf(w.workflowId)}
          tools={tools}
          onChange={(next) => onChange(value.map((x, j) => (j === i ? next : x)))}
          onRemove={() => onChange(value.filter((_, j) => j !== i))}
        />
      ))}
      {options?.length === 0 ? (
        <p className="muted">
          No workflows yet: <Link href="/resources/workflows/new">create one</Link> from a template (PII redaction, prompt-injection block, approval of
          destructive calls), then attach it here — or attach a guardrail in one click from the server’s page.
        </p>
      ) : (
        <div className="row">
          <label htmlFor={pickId}>Workflow to attach</label>
          <select id={pickId} value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">(choose a workflow)</option>
            {options?.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={adding === '' || value.length >= MAX_WORKFLOWS}
            onClick={() => {
              onChange([...value, { workflowId: adding }]);
              setAdding('');
            }}
          >
            Attach workflow
          </button>
          {value.length >= MAX_WORKFLOWS ? <span className="muted small">At most {MAX_WORKFLOWS}.</span> : null}
        </div>
      )}
    </fieldset>
  );
}
