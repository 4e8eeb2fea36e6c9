import { Link } from 'wouter';
import { useCanWrite } from '../../access/access';
import { ErrorBox } from '../../ui/ErrorBox';
import { useWrite } from '../../ui/useWrite';
import { type AttachTarget, attachedText, attachTemplate, useTemplates } from './templates';

/**
 * One button per guardrail template: a click creates the workflow with the template's defaults and
 * attaches it here (one change on the gateway). `busy` says why the target cannot take one now.
 */
export function AttachGuardrail({ target, busy }: { target: AttachTarget; busy?: string | undefined }) {
  const canWrite = useCanWrite('workflows');
  const templates = useTemplates();
  const attach = useWrite((template: string) => attachTemplate(template, target), undefined, attachedText);
  const guardrails = (templates.data?.items ?? []).filter((t) => t.category === 'guardrail');
  if (!canWrite || guardrails.length === 0) return null;
  return (
    <section className="panel" aria-label="Attach a guardrail">
      <h2>Attach a guardrail</h2>
      <p className="muted">
        Creates a workflow from the template, with its defaults, and attaches it here. Adjust it afterwards, or{' '}
        <Link href="/resources/workflows/new">start from a template with your own settings</Link>.
      </p>
      {busy ? <p className="warn">{busy}</p> : null}
      <ul className="template-list">
        {guardrails.map((t) => (
          <li key={t.name}>
            <button type="button" disabled={attach.isPending || busy !== undefined} onClick={() => attach.mutate(t.name)}>
              Attach {t.title}
            </button>{' '}
            <span className="muted small">{t.description}</span>
          </li>
        ))}
      </ul>
      <ErrorBox error={attach.error} />
    </section>
  );
}
