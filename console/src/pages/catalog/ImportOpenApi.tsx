import { useState } from 'react';
import { rawCall } from '../../api/client';
import type { paths } from '../../api/schema';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { useWrite } from '../../ui/useWrite';

type ImportResult = paths['/collections/{collectionId}/import-openapi']['post']['responses']['200']['content']['application/json'];

/** Import an OpenAPI document (uploaded or by URL): preview the changes (the dry run), then apply them. */
export function ImportOpenApi({ collectionId }: { collectionId: string }) {
  const [source, setSource] = useState<'file' | 'url'>('file');
  const [document, setDocument] = useState('');
  const [url, setUrl] = useState('');
  const [basePath, setBasePath] = useState('');
  const [upstream, setUpstream] = useState('');
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [applied, setApplied] = useState<ImportResult | null>(null);
  const input = () => ({
    basePath,
    ...(source === 'file' ? { document } : { url }),
    ...(upstream ? { upstreams: [upstream] } : {}),
  });
  const path = `/collections/${collectionId}/import-openapi`;
  // A dry run answers the plan with the operation's result inside it; nothing is written or audited.
  const dryRun = useWrite(
    () => rawCall<{ result: ImportResult }>('POST', path, input(), { dryRun: 'true' }),
    (plan) => setPreview(plan.result),
  );
  const apply = useWrite(
    () => rawCall<ImportResult>('POST', path, input()),
    (out) => {
      setApplied(out);
      setPreview(null);
    },
  );
  return (
    <section aria-labelledby="import-title" className="panel">
      <h2 id="import-title">Import an OpenAPI document</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(null);
          dryRun.mutate(undefined);
        }}
      >
        <fieldset>
          <legend>Source</legend>
          <label>
            <input type="radio" name="source" checked={source === 'file'} onChange={() => setSource('file')} /> Upload a file
          </label>
          <label>
            <input type="radio" name="source" checked={source === 'url'} onChange={() => setSource('url')} /> From a URL
          </label>
        </fieldset>
        {source === 'file' ? (
          <Field label="OpenAPI document (JSON or YAML)">
            {(id) => <input id={id} type="file" accept=".json,.yaml,.yml" onChange={async (e) => setDocument((await e.target.files?.[0]?.text()) ?? '')} />}
          </Field>
        ) : (
          <Field label="Document URL">{(id) => <input id={id} type="url" value={url} onChange={(e) => setUrl(e.target.value)} required />}</Field>
        )}
        <Field label="Base path" hint="Where the API is served on this gateway, e.g. /partners/orders/v1">
          {(id, hint) => <input id={id} aria-describedby={hint} value={basePath} onChange={(e) => setBasePath(e.target.value)} required />}
        </Field>
        <Field label="Upstream URL" hint="Optional: taken from the document's servers when left empty">
          {(id, hint) => <input id={id} aria-describedby={hint} type="url" value={upstream} onChange={(e) => setUpstream(e.target.value)} />}
        </Field>
        <button type="submit" disabled={dryRun.isPending}>
          Preview import
        </button>
      </form>
      <ErrorBox error={dryRun.error ?? apply.error} />
      {preview ? (
        <div className="preview" aria-live="polite">
          <h3>Preview: {preview.document.title}</h3>
          <ImportSummary result={preview} />
          <button type="button" className="primary" onClick={() => apply.mutate(undefined)} disabled={apply.isPending}>
            Apply import
          </button>
        </div>
      ) : null}
      {applied ? (
        <p role="status">
          Imported {applied.document.title}: {applied.counts.created} created, {applied.counts.updated} updated, {applied.counts.removed} removed.
        </p>
      ) : null}
    </section>
  );
}

function ImportSummary({ result }: { result: ImportResult }) {
  const c = result.counts;
  const list = (title: string, items: { method: string; path: string }[]) =>
    items.length ? (
      <>
        <h4>{title}</h4>
        <ul>
          {items.map((i) => (
            <li key={`${i.method} ${i.path}`}>
              <code>
                {i.method} {i.path}
              </code>
            </li>
          ))}
        </ul>
      </>
    ) : null;
  return (
    <>
      <p data-testid="import-counts">
        {result.proxyCreated ? 'A new proxy; ' : ''}
        {c.created} to create, {c.updated} to change, {c.removed} to remove, {c.unchanged} unchanged, {c.skipped} skipped.
      </p>
      {list('Created', result.created)}
      {list('Changed', result.updated)}
      {list('Removed', result.removed)}
      {result.warnings.length ? (
        <ul className="warnings">
          {result.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
