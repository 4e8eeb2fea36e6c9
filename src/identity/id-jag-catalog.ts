import type { Kysely } from 'kysely';
import type { Provider } from 'oidc-provider';
import { mcpGrants } from '../store/repositories/mcp-grants.js';
import type { DB } from '../store/schema.js';
import { IdJagRefusal } from './id-jag.js';
import { type RecordSignIn, signInChoices } from './mcp-sign-in.js';
import { GATEWAY_MCP_SCOPE } from './scopes.js';

/** A person admitted by an ID-JAG for the Gateway MCP, through one client. */
export interface CatalogSignInRequest {
  userId: string;
  username: string;
  appClientId: string;
  appName: string;
  idpId: string;
  ip: string | null;
  requestId: string;
}

/**
 * The authorization-server grant a Gateway MCP (`/mcp`) token from an ID-JAG acts under. A sign-in
 * there is as one consumer profile, which the consent page chooses; with no page, the person's
 * sign-in of this client is reused while its grant stands, else one is made as the one profile that
 * names them (recorded through the executor, so audited). Several profiles: refused, naming why.
 */
export async function catalogGrant(
  provider: Provider,
  db: Kysely<DB>,
  recordSignIn: RecordSignIn,
  who: CatalogSignInRequest,
  gateway: { resource: string; grantTtl: number },
): Promise<string> {
  const existing = (await mcpGrants.all(db)).find((g) => g.subject === who.userId && g.appClientId === who.appClientId && !g.issuer);
  if (existing && (await provider.Grant.find(existing.oidcGrantId))) return existing.oidcGrantId;
  const choices = await signInChoices(db, { id: who.userId, username: who.username });
  if (choices.length !== 1) {
    const why =
      choices.length === 0
        ? `no profile lets ${who.username} sign in to the API catalog`
        : `${who.username} may sign in to the API catalog as several profiles; choose one by signing in through the browser once`;
    throw new IdJagRefusal('not_allowed', why, who.idpId);
  }
  const grant = new provider.Grant({ accountId: who.userId, clientId: who.appClientId });
  // oidc-provider's types omit it, but every token model (a Grant too) takes its own lifetime.
  (grant as unknown as { expiresIn: number }).expiresIn = gateway.grantTtl;
  grant.addResourceScope(gateway.resource, GATEWAY_MCP_SCOPE);
  const grantId = await grant.save();
  await recordSignIn({
    oidcGrantId: grantId,
    profileId: (choices[0] as { profileId: string }).profileId,
    accountId: who.userId,
    username: who.username,
    appClientId: who.appClientId,
    appName: who.appName,
    ip: who.ip,
    requestId: who.requestId,
  });
  return grantId;
}
