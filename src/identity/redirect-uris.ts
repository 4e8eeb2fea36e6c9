const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
// Schemes that run code or read local data in the browser instead of handing the code to an app.
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'vbscript:', 'data:', 'blob:', 'file:', 'about:', 'ftp:', 'ws:', 'wss:', 'mailto:', 'tel:']);

/** An http URL on a loopback host (any port): where a native app listens for its code (RFC 8252 §7.3). */
export function isLoopbackRedirectUri(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/** A private-use URI scheme a native app registered with the OS, e.g. `cursor://…`, `vscode://…`, `com.example.app:/cb` (RFC 8252 §7.1). */
export function isPrivateUseRedirectUri(url: URL): boolean {
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) && url.protocol !== 'http:' && url.protocol !== 'https:' && !FORBIDDEN_SCHEMES.has(url.protocol);
}

/**
 * True for a redirect URI a registered or metadata-document client may use: https, http on a
 * loopback host (any port), or a native app's private-use scheme.
 */
export function isAllowedRedirectUri(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2_000) return false;
  const url = URL.parse(value);
  if (!url || url.hash || value.includes('#') || url.username || url.password) return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  return isLoopbackRedirectUri(url) || isPrivateUseRedirectUri(url);
}

/**
 * Whether redirect URIs are a native app's (all loopback http or private-use schemes): such a
 * client is registered as `native`, so its scheme is accepted and its loopback port may change
 * from one sign-in to the next (RFC 8252 §7.3), whatever `application_type` it forgot to send.
 */
export function isNativeRedirectSet(values: readonly unknown[]): boolean {
  return (
    values.length > 0 &&
    values.every((v) => {
      const url = typeof v === 'string' ? URL.parse(v) : null;
      return url !== null && (isLoopbackRedirectUri(url) || isPrivateUseRedirectUri(url));
    })
  );
}

/** How the consent page names where the code goes: native destinations said plainly. */
export function describeRedirect(value: string): string {
  const url = URL.parse(value);
  if (url && isPrivateUseRedirectUri(url)) return `${value} (the ${url.protocol.slice(0, -1)} app on your computer)`;
  if (url && isLoopbackRedirectUri(url)) return `${value} (a program on your computer)`;
  return value;
}
