import type { Counts } from './scanner.js';

/** `email=2,card=1`: what a guardrail found, by kind and count (never a matched value), for the request log and the span. */
export function countsText(counts: Counts): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}=${n}`)
    .join(',');
}
