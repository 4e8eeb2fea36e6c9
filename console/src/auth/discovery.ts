/** Where to sign in, found from the gateway itself (RFC 9728, then the issuer's metadata), as the CLI does. */
export interface Discovery {
  /** The admin API's resource identifier: the audience our tokens must carry (RFC 8707). */
  resource: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
}

export const CONSOLE_CLIENT_ID = 'gatehouse-console';
export const ADMIN_API = '/admin/api/v1';

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
