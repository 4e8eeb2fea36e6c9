import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAccess } from '../access/access';
import type { ActionDoc, JsonSchema } from '../api/openapi-doc';
import { rawCall } from '../api/client';
import { CopyButton } from '../ui/CopyButton';
import { announce } from '../ui/toast';
import { ErrorBox } from '../ui/ErrorBox';
import { bodyOf, type Draft, draftOf, SchemaFields } from './schema-form';

/** `rotate-secret` → `Rotate secret`, `templates.instantiate` → `Templates instantiate`. */
function titleOfAction(action: string): string {
  const words = action.replace(/[.-]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Everything an action takes besides the item's own id, as one form schema: the remaining path
 * parameters, the query parameters (GET/DELETE) and the body's fields. A body that is not an object
 * is one JSON field, `body`.
 */
function inputSchema(op: ActionDoc): { schema: JsonSchema; pathNames: string[]; queryNames: string[]; wholeBody: boolean } {
  const params = op.parameters.filter((p, i) => !(op.on === 'item' && p.in === 'path' && i === 0));
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const p of params) {
    properties[p.name] = p.schema;
    if (p.required) required.push(p.name);
  }
  const wholeBody = op.body !== undefined && op.body.properties === undefined;
  if (op.body?.properties) {
    Object.assign(properties, op.body.properties);
    required.push(...(op.body.required ?? []));
  } else if (wholeBody) {
    properties.body = { ...op.body, type: 'object' };
    required.push('body');
  }
  return {
    schema: { type: 'object', properties, required },
    pathNames: params.filter((p) => p.in === 'path').map((p) => p.name),
    queryNames: params.filter((p) => p.in === 'query').map((p) => p.name),
    wholeBody,
  };
}

/** Fills `{name}` path parameters: the first with the item id (item actions), the rest from the form. */
function pathOf(op: ActionDoc, id: string | undefined, values: Record<string, unknown>): string {
  let first = op.on === 'item';
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = first ? id : values[name];
    first = false;
    if (value === undefined || value === '') throw new Error(`${name} is required.`);
    return encodeURIComponent(String(value));
  });
}

function ActionForm({ op, id, label, onClose }: { op: ActionDoc; id?: string; label: string; onClose: () => void }) {
  const queries = useQueryClient();
  const input = inputSchema(op);
  const [draft, setDraft] = useState<Draft>(() => draftOf(input.schema, {}, op.resource));
  const run = useMutation({
    mutationFn: async (dryRun: boolean) => {
      const values = bodyOf(input.schema, draft, undefined, op.resource);
      const path = pathOf(op, id, values);
      const query: Record<string, string> = {};
      for (const name of input.queryNames)
        if (values[name] !== undefined) query[name] = typeof values[name] === 'string' ? values[name] : JSON.stringify(values[name]);
      if (dryRun) query.dryRun = 'true';
      const rest = Object.fromEntries(Object.entries(values).filter(([k]) => !input.pathNames.includes(k) && !input.queryNames.includes(k)));
      const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : input.wholeBody ? rest.body : rest;
      return { dryRun, result: await rawCall<unknown>(op.method, path, body, query) };
    },
    // A real write changes what the other views show; a read or a dry run does not.
    onSuccess: async ({ dryRun }) => {
      if (op.permission !== 'read' && !dryRun) {
        await queries.invalidateQueries();
        announce(`${titleOfAction(op.action)}: done.`);
      }
    },
  });
  const title = titleOfAction(op.action);
  const hasFields = Object.keys(input.schema.properties ?? {}).length > 0;
  const result = run.data ? JSON.stringify(run.data.result, null, 2) : '';
  return (
    <section className="action" aria-label={title}>
      <h3>{title}</h3>
      <p>
        {op.summary}
        {op.on === 'item' ? (
          <>
            {' '}
            — <strong>{label}</strong>
          </>
        ) : null}
        {op.destructive ? <span className="badge bad">cannot be undone</span> : null}
      </p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate(false);
        }}
      >
        {hasFields ? <SchemaFields resource={op.resource} body={input.schema} draft={draft} onChange={setDraft} /> : null}
        <ErrorBox error={run.error} />
        <div className="row">
          <button type="submit" className={op.destructive ? 'danger' : 'primary'} disabled={run.isPending}>
            Confirm {title.toLowerCase()}
          </button>
          {op.permission !== 'read' ? (
            <button type="button" disabled={run.isPending} onClick={() => run.mutate(true)}>
              Dry run
            </button>
          ) : null}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
      {run.data ? (
        <section aria-label={`Result of ${title.toLowerCase()}`}>
          <h4>{run.data.dryRun ? 'Dry run: nothing was changed' : 'Done'}</h4>
          <pre className="json">{result}</pre>
          <div className="row">
            <CopyButton value={result} label="Copy result" />
            {op.operationId === 'config.export' && run.data && !run.data.dryRun ? <DownloadYaml value={run.data.result} /> : null}
          </div>
        </section>
      ) : null}
    </section>
  );
}

/** The exported config as the YAML file `gatehouse apply` reads (the YAML library loads only when asked). */
function DownloadYaml({ value }: { value: unknown }) {
  return (
    <button
      type="button"
      onClick={async () => {
        const { stringify } = await import('yaml');
        const url = URL.createObjectURL(new Blob([stringify(value, { lineWidth: 0 })], { type: 'application/yaml' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = 'gatehouse.yaml';
        a.click();
        URL.revokeObjectURL(url);
      }}
    >
      Download as YAML
    </button>
  );
}

/**
 * A button per action the signed-in user may run, each opening a confirm step (its inputs from the
 * operation's schema, a dry run for writes) and showing the gateway's answer: generated from the
 * admin OpenAPI document, so an action added to the registry appears here with no console change.
 */
export function Actions({ actions, id, label }: { actions: ActionDoc[]; id?: string; label: string }) {
  const access = useAccess();
  const [open, setOpen] = useState<string | null>(null);
  const allowed = actions.filter((a) => access.can(a));
  if (allowed.length === 0) return null;
  const current = allowed.find((a) => a.operationId === open);
  return (
    <section aria-label="Actions">
      <h2>Actions</h2>
      <div className="row">
        {allowed.map((a) => (
          <button key={a.operationId} type="button" aria-expanded={open === a.operationId} onClick={() => setOpen(a.operationId)}>
            {titleOfAction(a.action)}…
          </button>
        ))}
      </div>
      {current ? <ActionForm key={current.operationId} op={current} {...(id ? { id } : {})} label={label} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}
