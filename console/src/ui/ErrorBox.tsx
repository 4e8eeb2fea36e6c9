import { ApiError } from '../api/client';

/** The gateway's own message and request id, so an operator can find the call in the logs. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  return (
    <div role="alert" className="error">
      <strong>{e ? e.code : 'Error'}</strong>: {error instanceof Error ? error.message : String(error)}
      {e?.requestId ? <span className="muted"> (request id {e.requestId})</span> : null}
    </div>
  );
}
