import { CONSOLE_CLIENT_ID } from './clients.js';

/**
 * How the web console signs in: the OAuth client it is at the authorization server and what it
 * asks for. The gateway tells the page (it has no other configuration), so the same build signs in
 * through the built-in server or any external IdP.
 */
export interface ConsoleSignIn {
  /** The console's public client at the authorization server; absent when an external IdP has none registered. */
  clientId: string | undefined;
  scope: string;
  /** The RFC 8707 resource indicator to send (the admin API audience); absent when the audience is not a URL. */
  resource: string | undefined;
  /** The claims the admin API reads the subject, groups and display name from (the page shows them; the server decides). */
  subjectClaim: string;
  groupsClaim: string;
  nameClaim: string | undefined;
}

/** The built-in authorization server's first-party console client. */
export function builtInConsoleSignIn(adminApi: string): ConsoleSignIn {
  return { clientId: CONSOLE_CLIENT_ID, scope: 'openid offline_access', resource: adminApi, subjectClaim: 'sub', groupsClaim: 'groups', nameClaim: undefined };
}

/** An external IdP's client registered for the console (a public client: code + PKCE, redirect `<admin URL>/console/callback`). */
export function externalConsoleSignIn(opts: {
  clientId: string | undefined;
  scope: string | undefined;
  adminApiAudience: string;
  subjectClaim: string;
  groupsClaim: string;
  nameClaim: string | undefined;
}): ConsoleSignIn {
  return {
    clientId: opts.clientId,
    // `profile` for a display name; `offline_access` for a refresh token (most IdPs need it asked for).
    scope: opts.scope ?? 'openid profile offline_access',
    // A resource indicator must be an absolute URI (RFC 8707); an audience such as `gatehouse-admin`
    // is the IdP's own business (Keycloak audience mappers, Entra scopes), reached through `scope`.
    resource: URL.canParse(opts.adminApiAudience) && /^https?:/.test(opts.adminApiAudience) ? opts.adminApiAudience : undefined,
    subjectClaim: opts.subjectClaim,
    groupsClaim: opts.groupsClaim,
    nameClaim: opts.nameClaim,
  };
}
