import { loadedClientSdk } from './client-sdk.js';
import { unreachable } from './upstream-errors.js';

/**
 * The session the client holds is gone at the upstream: 404, as the transport specification says,
 * or the 400 that servers built on the SDKs' examples send for a session id they do not know ("No
 * valid session ID provided", "Session not found", "Invalid or missing session ID"), or one refusing
 * the protocol version recorded with the session (the upstream restarted speaking another).
 */
export function sessionGone(err: unknown): boolean {
  const sdk = loadedClientSdk();
  if (!sdk || !(err instanceof sdk.SdkHttpError)) return false;
  if (err.status === 404) return true;
  if (err.status !== 400) return false;
  const text = `${err.message} ${String((err.data as { text?: unknown } | undefined)?.text ?? '')}`;
  return /session/i.test(text) || /protocol[ -]version/i.test(text);
}

/** A failure after which the pooled client must not be reused. */
export function brokenConnection(err: unknown): boolean {
  if (sessionGone(err)) return true;
  const sdk = loadedClientSdk();
  if (sdk && err instanceof sdk.SdkError) {
    const codes = sdk.SdkErrorCode;
    return err.code === codes.ConnectionClosed || err.code === codes.SendFailed || err.code === codes.NotConnected;
  }
  return err instanceof TypeError || unreachable(err); // fetch failed (the client), or a lean call's refused or reset connection
}
