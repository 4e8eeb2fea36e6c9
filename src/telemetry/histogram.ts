/**
 * Fixed latency bucket upper bounds in ms. Rollups store one counter per bucket (`h0`…`h13`,
 * the last one open-ended), so rollups merge by plain addition and percentiles never need raw rows.
 */
export const LATENCY_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] as const;

/** Number of histogram columns: one per bound plus the overflow bucket. */
export const HISTOGRAM_SIZE = LATENCY_BOUNDS_MS.length + 1;

/** The histogram column names, `h0` … `h13`. */
export const HISTOGRAM_COLUMNS = Array.from({ length: HISTOGRAM_SIZE }, (_, i) => `h${i}` as HistogramColumn);

export type HistogramColumn = 'h0' | 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6' | 'h7' | 'h8' | 'h9' | 'h10' | 'h11' | 'h12' | 'h13';

/** The bucket a latency falls in: the first whose upper bound it does not exceed. */
export function latencyBucket(ms: number): number {
  for (let i = 0; i < LATENCY_BOUNDS_MS.length; i++) {
    if (ms <= LATENCY_BOUNDS_MS[i]!) return i;
  }
  return LATENCY_BOUNDS_MS.length;
}

/**
 * The p-quantile (0–1) from bucket counts, interpolating linearly inside the bucket that holds it.
 * Accurate to the bucket's width; a quantile in the open-ended bucket reports its lower bound (10 s).
 */
export function percentile(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = p * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && seen + c >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
      const upper = LATENCY_BOUNDS_MS[i];
      if (upper === undefined) return lower;
      return round(lower + ((upper - lower) * (rank - seen)) / c);
    }
    seen += c;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
}

/** Rounds to 0.01 ms: finer digits would only be noise from interpolation. */
export function round(n: number): number {
  return Math.round(n * 100) / 100;
}
