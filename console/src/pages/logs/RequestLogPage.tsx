import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { api, unwrap } from '../../api/client';
import { Details } from '../../resources/Details';
import { ErrorBox } from '../../ui/ErrorBox';

export default function RequestLogPage() {
  const { id } = useParams<{ id: string }>();
  const log = useQuery({ queryKey: ['request-log', id], queryFn: () => unwrap(api.GET('/request-logs/{id}', { params: { path: { id } } })) });
  const l = log.data;
  return (
    <>
      <p>
        <Link href="/request-logs">← Request logs</Link>
      </p>
      <ErrorBox error={log.error} />
      {l ? (
        <>
          <h1>
            {l.method} {l.path} → {l.status}
          </h1>
          <Details
            resource="request-logs"
            item={Object.fromEntries(Object.entries(l).filter(([k, v]) => v !== null && typeof v !== 'object' && !['requestBody', 'responseBody'].includes(k)))}
          />
          {l.requestBody ? (
            <>
              <h2>Request body</h2>
              <pre className="json">{typeof l.requestBody === 'string' ? l.requestBody : JSON.stringify(l.requestBody, null, 2)}</pre>
            </>
          ) : null}
          {l.responseBody ? (
            <>
              <h2>Response body</h2>
              <pre className="json">{typeof l.responseBody === 'string' ? l.responseBody : JSON.stringify(l.responseBody, null, 2)}</pre>
            </>
          ) : null}
          {l.workflow ? (
            <>
              <h2>Workflow</h2>
              <pre className="json">{JSON.stringify(l.workflow, null, 2)}</pre>
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
