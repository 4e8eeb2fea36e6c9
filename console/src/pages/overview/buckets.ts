export interface Point {
  start: string;
  count: number;
  errors: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  p99LatencyMs: number | null;
}

/**
 * Every bucket of the range, the empty ones as zero calls: the metrics answer only buckets that
 * had calls, and a chart of those alone would hide the quiet stretches (and a single point has no axis).
 */
export function fillBuckets(points: readonly Point[], fromMs: number, toMs: number, bucketMs: number): Point[] {
  const byStart = new Map(points.map((p) => [Math.floor(Date.parse(p.start) / bucketMs) * bucketMs, p]));
  const out: Point[] = [];
  for (let t = Math.floor(fromMs / bucketMs) * bucketMs; t <= toMs; t += bucketMs) {
    out.push(byStart.get(t) ?? { start: new Date(t).toISOString(), count: 0, errors: 0, p50LatencyMs: null, p95LatencyMs: null, p99LatencyMs: null });
  }
  return out;
}
