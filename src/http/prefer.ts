import type { FastifyRequest } from 'fastify';

/** The longest `Prefer: wait` honoured: a caller that wants longer polls the job. */
const MAX_WAIT_MS = 60_000;

/**
 * Whether the caller asks for a job (RFC 7240 `Prefer: respond-async`, or `?async=true` beside
 * `?dryRun=true` for callers that cannot set headers), and how long it will wait for the result
 * before taking a 202 (`Prefer: wait=N`, seconds; 0 when absent). Null: answer directly.
 */
export function asyncPreference(req: FastifyRequest): { waitMs: number } | null {
  const prefer = [req.headers.prefer ?? []].flat().join(',').toLowerCase();
  const tokens = prefer.split(/[,;]/).map((t) => t.trim());
  const query = (req.query as Record<string, unknown>).async;
  if (!tokens.includes('respond-async') && query !== 'true') return null;
  const wait = tokens.map((t) => /^wait\s*=\s*"?(\d+(?:\.\d+)?)"?$/.exec(t)).find((m) => m !== null);
  return { waitMs: wait ? Math.min(MAX_WAIT_MS, Math.round(Number(wait[1]) * 1000)) : 0 };
}

/** What `promise` settles to within `ms`, or null once that time has passed. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  if (ms <= 0) return null;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
