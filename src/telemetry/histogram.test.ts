import { describe, expect, it } from 'vitest';
import { HISTOGRAM_SIZE, LATENCY_BOUNDS_MS, latencyBucket, percentile } from './histogram.js';

describe('latency histogram', () => {
  it('puts a latency in the first bucket whose upper bound it does not exceed', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(1)).toBe(0);
    expect(latencyBucket(1.01)).toBe(1);
    expect(latencyBucket(100)).toBe(6);
    expect(latencyBucket(10_000)).toBe(12);
    expect(latencyBucket(10_000.5)).toBe(13);
    expect(HISTOGRAM_SIZE).toBe(LATENCY_BOUNDS_MS.length + 1);
  });

  it('interpolates percentiles inside the bucket holding the rank', () => {
    const counts = new Array<number>(HISTOGRAM_SIZE).fill(0);
    counts[latencyBucket(15)] = 100; // (10, 20]
    expect(percentile(counts, 0.5)).toBe(15);
    expect(percentile(counts, 0.99)).toBeCloseTo(19.9, 5);
    counts[latencyBucket(150)] = 100; // (100, 200]
    expect(percentile(counts, 0.5)).toBe(20);
    expect(percentile(counts, 0.75)).toBe(150);
  });

  it('reports no percentile without data, and the open bucket by its lower bound', () => {
    const counts = new Array<number>(HISTOGRAM_SIZE).fill(0);
    expect(percentile(counts, 0.5)).toBeNull();
    counts[HISTOGRAM_SIZE - 1] = 3;
    expect(percentile(counts, 0.99)).toBe(10_000);
  });
});
