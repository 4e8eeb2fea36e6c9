/** The overview's time ranges: how far back, and the bucket of the volume and latency charts. */
export const RANGES = {
  '15m': { ms: 15 * 60_000, bucket: 'minute' },
  '1h': { ms: 3600_000, bucket: 'minute' },
  '24h': { ms: 24 * 3600_000, bucket: 'hour' },
  '7d': { ms: 7 * 24 * 3600_000, bucket: 'day' },
} as const;
export type RangeKey = keyof typeof RANGES;

export const BUCKET_MS = { minute: 60_000, hour: 3600_000, day: 24 * 3600_000 } as const;

/** The query of a request-log search for the calls behind a chart point. */
export function logsLink(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return `/request-logs?${q}`;
}
