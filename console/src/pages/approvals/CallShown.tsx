import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { type Approval, sizeOf } from './approval';

/** Saves the whole stored call (the admin API's `GET /approvals/{id}/call`) as a JSON file. */
function DownloadCall({ id }: { id: string }) {
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button
        type="button"
        data-testid="download-call"
        onClick={async () => {
          setError(null);
          try {
            const whole = await unwrap(api.GET('/approvals/{id}/call', { params: { path: { id } } }));
            const url = URL.createObjectURL(new Blob([JSON.stringify(whole, null, 2)], { type: 'application/json' }));
            const a = document.createElement('a');
            a.href = url;
            a.download = `${id}-call.json`;
            a.click();
            URL.revokeObjectURL(url);
          } catch (err) {
            setError(err);
          }
        }}
      >
        Download the whole call
      </button>
      <ErrorBox error={error} />
    </>
  );
}

/**
 * What the approver decides on: the method, the concrete path and the query (REST) or the server
 * and tool (MCP), where the call goes, the headers bound with it, then the body or the arguments pretty-printed and scrollable. A call longer than
 * the page shows says so and can be downloaded whole; nothing is cut silently.
 */
export function CallShown({ approval: a }: { approval: Approval }) {
  const cut = a.callShownBytes < a.callBytes;
  return (
    <section>
      <h2>{a.mcp ? 'Arguments' : 'Request'}</h2>
      <dl className="details">
        {a.mcp ? (
          <>
            <div>
              <dt>Server</dt>
              <dd>
                <code>{a.mcp.server}</code>
              </dd>
            </div>
            <div>
              <dt>Tool</dt>
              <dd>
                <code>{a.mcp.tool}</code>
              </dd>
            </div>
          </>
        ) : a.method !== null && a.path !== null ? (
          <>
            <div>
              <dt>Method and path</dt>
              <dd>
                <code data-testid="request-line">
                  {a.method} {a.path}
                </code>
              </dd>
            </div>
            <div>
              <dt>Query</dt>
              <dd>{a.query ? <code>{a.query}</code> : <span className="muted">none</span>}</dd>
            </div>
          </>
        ) : null}
        {a.upstream ? (
          <div>
            <dt>Goes to</dt>
            <dd>
              <code data-testid="call-upstream">{a.upstream}</code>
            </dd>
          </div>
        ) : null}
        {a.headers && Object.keys(a.headers).length > 0 ? (
          <div>
            <dt>Headers bound</dt>
            <dd>
              <pre data-testid="call-headers">
                {Object.entries(a.headers)
                  .map(([name, value]) => `${name}: ${value}`)
                  .join('\n')}
              </pre>
            </dd>
          </div>
        ) : null}
        {a.bodySha256 ? (
          <div>
            <dt>{a.mcp ? 'Arguments' : 'Body'} as sent</dt>
            <dd>
              {sizeOf(a.bodyBytes ?? 0)}, SHA-256 <code className="preview-line">{a.bodySha256}</code>
            </dd>
          </div>
        ) : null}
      </dl>
      {cut ? (
        <p className="warn" data-testid="call-cut">
          Too large to show in full: showing the first {sizeOf(a.callShownBytes)} of {sizeOf(a.callBytes)}. Download the whole call to read all of it before you
          decide. <DownloadCall id={a.id} />
        </p>
      ) : null}
      {a.call === '' && !a.mcp ? (
        <p className="muted">No body.</p>
      ) : (
        <pre className="json" data-testid="arguments">
          {a.call}
        </pre>
      )}
    </section>
  );
}
