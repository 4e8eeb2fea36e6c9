import { Link } from 'wouter';
import type { Approval } from './approval';
import { workflowIdOf } from './approval';
import type { useNames } from './useNames';

type Names = ReturnType<typeof useNames>;

/** `POST /wf/v1/items (ep_…)`: the call in words, its endpoint id quieter. */
export function Target({ target }: { target: string }) {
  const m = /^(.*?)\s*(\([^)]*\))$/.exec(target);
  if (!m) return <>{target}</>;
  return (
    <>
      {m[1]} <span className="muted">{m[2]}</span>
    </>
  );
}

/** Who called: a person by name (their client beside it), a client by name (linked) with its profile, or a JWT subject; `raw` adds the caller as the approval records it. */
export function Caller({ approval, names, raw = false }: { approval: Approval; names: Names; raw?: boolean }) {
  const profile = /\/profile:(\S+)$/.exec(approval.caller)?.[1];
  const person = names.person(approval.caller);
  const client = approval.clientId ? <Link href={`/clients/${approval.clientId}`}>{names.client(approval.clientId) ?? approval.clientId}</Link> : null;
  const recorded = raw ? (
    <>
      <br />
      <code className="preview-line">{approval.caller}</code>
    </>
  ) : null;
  if (person) {
    return (
      <>
        <span title={approval.caller} data-testid="caller-name">
          {person}
        </span>
        {client ? <span className="muted"> via {client}</span> : null}
        {recorded}
      </>
    );
  }
  if (client) {
    return (
      <>
        {client}
        {profile ? (
          <>
            {' '}
            <span className="muted">
              via <Link href={`/profiles/${profile}`}>profile</Link>
            </span>
          </>
        ) : null}
        {recorded}
      </>
    );
  }
  return <code className="preview-line">{approval.caller}</code>;
}

/** The rule that held it: the policy's reason, and the workflow (by name) and node. */
export function HeldBy({ approval, names }: { approval: Approval; names: Names }) {
  const id = workflowIdOf(approval.workflow);
  const version = approval.workflow.slice(id.length + 1);
  return (
    <>
      {approval.reason ?? 'an approval rule matched'}
      <br />
      <span className="muted">
        workflow <Link href={`/resources/workflows/${id}`}>{names.workflow(id) ?? id}</Link>
        {version ? ` v${version}` : ''}, node <code>{approval.node}</code>
      </span>
    </>
  );
}
