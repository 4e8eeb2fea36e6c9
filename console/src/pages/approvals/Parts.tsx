import { Link } from 'wouter';
import type { Approval } from './approval';
import { concreteCall, templateOf, workflowIdOf } from './approval';
import type { useNames } from './useNames';

type Names = ReturnType<typeof useNames>;

/** The call as made (`DELETE /payments/v1/accounts/1`), with the endpoint template it matched beside it, quieter. */
export function Target({ approval }: { approval: Approval }) {
  const made = concreteCall(approval);
  const template = templateOf(approval.target);
  return (
    <>
      <span data-testid="concrete-call">{made}</span>
      {approval.mcp === null && template !== made && !made.startsWith(`${template}?`) ? <span className="muted"> — {template}</span> : null}
    </>
  );
}

/** A person or service account by display name, their id on hover; the id itself when the gateway knows no name. */
export function Person({ name, subject }: { name: string | null; subject: string }) {
  return name ? (
    <span title={subject} data-testid="person">
      {name}
    </span>
  ) : (
    <code className="preview-line">{subject}</code>
  );
}

/** Who called: a client by name (linked) with its profile, a person or service account by name, or a JWT subject; `raw` adds the caller as the approval records it. */
export function Caller({ approval, names, raw = false }: { approval: Approval; names: Names; raw?: boolean }) {
  const profile = /\/profile:(\S+)$/.exec(approval.caller)?.[1];
  if (approval.clientId) {
    return (
      <>
        <Link href={`/clients/${approval.clientId}`} title={approval.caller}>
          {approval.callerName ?? names.client(approval.clientId) ?? approval.clientId}
        </Link>
        {profile ? (
          <>
            {' '}
            <span className="muted">
              via <Link href={`/profiles/${profile}`}>profile</Link>
            </span>
          </>
        ) : null}
        {raw ? (
          <>
            <br />
            <code className="preview-line">{approval.caller}</code>
          </>
        ) : null}
      </>
    );
  }
  return <Person name={approval.callerName} subject={approval.caller} />;
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
