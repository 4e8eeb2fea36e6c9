import type { FetchLike } from '@modelcontextprotocol/client';

/**
 * A fetch that never hands the caller's signal itself to the HTTP client. The SDK client's transport
 * passes its own long-lived signal with requests that carry none of their own (notifications, answers
 * to the upstream's requests, its event stream); fetch adds an abort listener to the signal it is
 * given and lets it go only when the request is garbage-collected, so under concurrent load a pooled
 * session's signal piled up listeners (MaxListenersExceededWarning). Each request gets a signal of its
 * own that follows the caller's (`AbortSignal.any` links them without a listener on the caller's).
 */
export function withOwnSignal(send: FetchLike): FetchLike {
  return (url, init) => send(url, init?.signal ? { ...init, signal: AbortSignal.any([init.signal]) } : init);
}
