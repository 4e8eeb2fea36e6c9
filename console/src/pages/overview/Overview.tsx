import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import { BarList } from '../../charts/BarList';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { num, pct } from '../../ui/format';
import { fillBuckets } from './buckets';
import { BUCKET_MS, logsLink, RANGES, type RangeKey } from './filters';

// The chart library loads with this page only, never with the shell.
const TimeChart = lazy(() => import('../../charts/TimeChart'));

const REFRESH_MS = 10_000;

export default function Overview() {
  const [range, setRange] = useState<RangeKey>('1h');
  const [collectionId, setCollection] = useState('');
  const [clientId, setClient] = useState('');
  const [, navigate] = useLocation();
  const live = { refetchInterval: REFRESH_MS };
  const { ms, bucket } = RANGES[range];
  // The window moves with every refresh: `to` is "now", rounded so the query key stays put between refreshes.
  const now = Math.ceil(Date.now() / REFRESH_MS) * REFRESH_MS;
  const query = {
    from: new Date(now - ms).toISOString(),
    ...(collectionId ? { collectionId } : {}),
    ...(clientId ? { clientId } : {}),
  };
  const key = [range, collectionId, clientId];
  // One call for all six views: the gateway reads the rollups once for them (metrics.dashboard).
  const dashboard = useQuery({
    queryKey: ['metrics', 'dashboard', ...key],
    queryFn: () => unwrap(api.GET('/metrics/dashboard', { params: { query: { ...query, bucket } } })),
    ...live,
  });
  const d = dashboard.data;
  const collections = useQuery({ queryKey: ['collections'], queryFn: () => unwrap(api.GET('/collections', { params: { query: { limit: 500 } } })) });
  const clients = useQuery({ queryKey: ['clients'], queryFn: () => unwrap(api.GET('/clients', { params: { query: { limit: 500 } } })) });

  const raw = d?.timeseries.points;
  const points = useMemo(() => fillBuckets(raw ?? [], now - ms, now, BUCKET_MS[bucket]), [raw, now, ms, bucket]);
  const times = useMemo(() => points.map((p) => Date.parse(p.start) / 1000), [points]);
  const volume = useMemo(
    () => [
      { label: 'Calls', values: points.map((p) => p.count), color: '#2563eb' },
      { label: 'Errors', values: points.map((p) => p.errors), color: '#dc2626' },
    ],
    [points],
  );
  const latency = useMemo(
    () => [
      { label: 'p50 ms', values: points.map((p) => p.p50LatencyMs), color: '#16a34a', dots: true },
      { label: 'p95 ms', values: points.map((p) => p.p95LatencyMs), color: '#ca8a04', dots: true },
      { label: 'p99 ms', values: points.map((p) => p.p99LatencyMs), color: '#dc2626', dots: true },
    ],
    [points],
  );
  const filters = { collectionId, clientId, from: query.from };
  const pickBucket = (i: number) => {
    const start = points[i]?.start;
    if (start) navigate(logsLink({ collectionId, clientId, from: start, to: new Date(Date.parse(start) + BUCKET_MS[bucket]).toISOString() }));
  };
  const o = d?.overview;
  return (
    <>
      <h1>Overview</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Time range">
          {(id) => (
            <select id={id} value={range} onChange={(e) => setRange(e.target.value as RangeKey)}>
              {Object.keys(RANGES).map((r) => (
                <option key={r} value={r}>
                  Last {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Collection">
          {(id) => (
            <select id={id} value={collectionId} onChange={(e) => setCollection(e.target.value)}>
              <option value="">All</option>
              {collections.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Client">
          {(id) => (
            <select id={id} value={clientId} onChange={(e) => setClient(e.target.value)}>
              <option value="">All</option>
              {clients.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ErrorBox error={dashboard.error} />
      <dl className="kpis" aria-label="Totals">
        <div>
          <dt>Calls</dt>
          <dd data-testid="total-requests">{num(o?.totalRequests)}</dd>
        </div>
        <div>
          <dt>Error rate</dt>
          <dd>{o ? pct(o.errorRate) : '—'}</dd>
        </div>
        <div>
          <dt>p50 / p95 / p99</dt>
          <dd>
            {num(o?.p50LatencyMs, 1)} / {num(o?.p95LatencyMs, 1)} / {num(o?.p99LatencyMs, 1)} ms
          </dd>
        </div>
        <div>
          <dt>4xx / 5xx</dt>
          <dd>
            {num(o?.clientErrors)} / {num(o?.serverErrors)}
          </dd>
        </div>
      </dl>
      <div className="grid">
        <Suspense fallback={<p className="loading">Loading chart…</p>}>
          <TimeChart title="Volume over time (click a point for its calls)" times={times} series={volume} onPick={pickBucket} />
          <TimeChart title="Latency p50 / p95 / p99" times={times} series={latency} onPick={pickBucket} />
        </Suspense>
        <BarList
          title="Status codes"
          bars={(d?.statusCodes.codes ?? []).map((c) => ({
            key: String(c.status),
            label: c.status,
            value: c.count,
            tone: c.status >= 500 ? 'bad' : c.status >= 400 ? 'warn' : 'ok',
            href: logsLink({ ...filters, status: c.status }),
          }))}
        />
        <BarList
          title="Methods"
          bars={(d?.methods.methods ?? []).map((m) => ({
            key: m.method,
            label: m.method,
            value: m.count,
            note: `${pct(m.errorRate)} errors`,
            href: logsLink({ ...filters, method: m.method }),
          }))}
        />
        <BarList
          title="Top endpoints"
          bars={(d?.topEndpoints.endpoints ?? []).map((e) => ({
            key: e.endpointId,
            label: <EndpointName id={e.endpointId} />,
            value: e.count,
            note: `p95 ${num(e.p95LatencyMs, 1)} ms`,
            href: logsLink({ ...filters, collectionId: e.collectionId ?? collectionId }),
          }))}
        />
        <BarList
          title="Endpoints with elevated errors"
          empty={
            o && o.totalRequests > 0
              ? `None: no endpoint's error rate stands out among the ${num(o.totalRequests)} calls in this range.`
              : 'No calls in this range.'
          }
          bars={(d?.errorEndpoints.endpoints ?? []).map((e) => ({
            key: e.endpointId,
            label: <EndpointName id={e.endpointId} />,
            value: e.errors,
            note: `${pct(e.errorRate)} of ${e.count}`,
            tone: 'bad',
            href: logsLink({ ...filters, collectionId: e.collectionId ?? collectionId }),
          }))}
        />
      </div>
    </>
  );
}

/** `GET /orders · Partners`: the collection tells apart two endpoints with the same method and path. */
function EndpointName({ id }: { id: string }) {
  const endpoint = useQuery({ queryKey: ['endpoint', id], queryFn: () => unwrap(api.GET('/endpoints/{id}', { params: { path: { id } } })), staleTime: 60_000 });
  const proxyId = endpoint.data?.proxyId ?? '';
  const proxy = useQuery({
    queryKey: ['proxy', proxyId],
    enabled: proxyId !== '',
    queryFn: () => unwrap(api.GET('/proxies/{id}', { params: { path: { id: proxyId } } })),
    staleTime: 60_000,
  });
  const collectionId = proxy.data?.collectionId ?? '';
  const collection = useQuery({
    queryKey: ['collection', collectionId],
    enabled: collectionId !== '',
    queryFn: () => unwrap(api.GET('/collections/{id}', { params: { path: { id: collectionId } } })),
    staleTime: 60_000,
  });
  if (!endpoint.data) return <>{id}</>;
  return (
    <>
      {endpoint.data.method} {endpoint.data.path}
      {collection.data ? <span className="muted"> · {collection.data.name}</span> : null}
    </>
  );
}
