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
