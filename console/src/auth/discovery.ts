/** Where to sign in, found from the gateway itself (RFC 9728, then the issuer's metadata), as the CLI does. */
export interface Discovery {
  /** The admin API's resource identifier: the audience our tokens must carry (RFC 8707). */
  resource: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
}

/** How this console signs in, as the gateway wrote it into the page (built-in server or external IdP). */
export interface SignInSettings {
  clientId: string;
  scope: string;
  /** The resource indicator to send, if any (RFC 8707): the admin API audience. */
  resource: string | undefined;
  subjectClaim: string;
  groupsClaim: string;
  nameClaim: string | undefined;
}

export const ADMIN_API = '/admin/api/v1';

function meta(name: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
}

export function signInSettings(): SignInSettings {
  const clientId = meta('gatehouse-client-id');
  if (!clientId) {
    throw new Error(
      'This gateway signs in through an external identity provider and has no console client registered there: set GATEHOUSE_OIDC_CONSOLE_CLIENT_ID.',
    );
  }
  return {
    clientId,
    scope: meta('gatehouse-scope') || 'openid offline_access',
    resource: meta('gatehouse-resource') || undefined,
    subjectClaim: meta('gatehouse-subject-claim') || 'sub',
    groupsClaim: meta('gatehouse-groups-claim') || 'groups',
    nameClaim: meta('gatehouse-name-claim') || undefined,
  };
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

export async function discover(): Promise<Discovery> {
  const metadata = await getJson(`/.well-known/oauth-protected-resource${ADMIN_API}`);
  const issuer = (metadata.authorization_servers as string[] | undefined)?.[0];
  if (typeof metadata.resource !== 'string' || !issuer) throw new Error('The gateway does not name its authorization server.');
  const as = await getJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  const str = (k: string) => (typeof as[k] === 'string' ? (as[k] as string) : undefined);
  const authorizationEndpoint = str('authorization_endpoint');
  const tokenEndpoint = str('token_endpoint');
  if (!authorizationEndpoint || !tokenEndpoint) throw new Error(`${issuer} has no authorization or token endpoint.`);
  const revocationEndpoint = str('revocation_endpoint');
  return { resource: metadata.resource, issuer, authorizationEndpoint, tokenEndpoint, ...(revocationEndpoint ? { revocationEndpoint } : {}) };
}
