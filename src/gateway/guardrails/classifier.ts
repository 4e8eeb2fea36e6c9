import { guardedFetch } from '../federation/guarded-fetch.js';

const MAX_TEXT = 262_144;

/** The classifier client guardrail nodes share: one connection pool for public addresses (SSRF-guarded) and one for private ones, made on first use. */
export function createClassifierClient(): {
  classify(url: string, text: string, phase: 'request' | 'response', timeoutMs: number, allowPrivate: boolean): Promise<number>;
  close(): Promise<void>;
} {
  const pools: { public?: ReturnType<typeof guardedFetch>; private?: ReturnType<typeof guardedFetch> } = {};
  return {
    async classify(url, text, phase, timeoutMs, allowPrivate) {
      const key = allowPrivate ? 'private' : 'public';
      pools[key] ??= guardedFetch({ allowPrivateNetworks: allowPrivate, timeoutMs: 10_000, maxBytes: 16_384 });
      const res = await pools[key]!(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text, phase }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`the classifier answered ${res.status}`);
      const body = (await res.json()) as { score?: unknown };
      if (typeof body.score !== 'number' || !(body.score >= 0 && body.score <= 1)) throw new Error('the classifier answered without a score between 0 and 1');
      return body.score;
    },
    async close() {
      await Promise.all([pools.public?.close(), pools.private?.close()]);
    },
  };
}
