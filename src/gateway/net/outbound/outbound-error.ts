/** Why an outbound request failed: refused by policy, not reached, too slow, too large, or a redirect not followed. */
export type OutboundFailure = 'refused' | 'unreachable' | 'timeout' | 'too-large' | 'redirect';

/** A refused or failed outbound request; the message names the host and the reason, never what was sent. */
export class OutboundError extends Error {
  constructor(
    readonly reason: OutboundFailure,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** The code of a network error (undici's, the system's, or the vetting lookup's), else its name. */
export function codeOf(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  if (typeof code === 'string') return code;
  return typeof e?.name === 'string' ? e.name : 'network error';
}
