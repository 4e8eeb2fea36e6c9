import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { WindowRateLimiter } from './rate-limit.js';
import type Provider from 'oidc-provider';
import { errors, type InteractionResults } from 'oidc-provider';
import type { DB } from '../store/schema.js';
import { findUserByName, type UserRow } from '../store/repositories/users.js';
import { GatehouseError, requestIdFrom } from '../core/index.js';
import { federatedPerson, signInIdps } from './federated-accounts.js';
import { type FederationDeps, startFederatedLogin } from './federated-login.js';
import { accountChoices, type RecordSignIn } from './mcp-sign-in.js';
import { GATEWAY_MCP_SCOPE } from './scopes.js';
import { FIRST_PARTY_CLIENTS } from './clients.js';
import { consentPage, errorPage, loginPage, sendPage } from './login-pages.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { describeRedirect } from './redirect-uris.js';
import { refusedVirtualServer, type VirtualServerAccess } from './virtual-server-grant.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

const MAX_FORM_BYTES = 16 * 1024;
const OIDC_SCOPES = new Set(['openid', 'offline_access']);
const LOGIN_FAILED = 'Invalid username or password.';
const EXPIRED = 'This sign-in attempt has expired or is not known here. Start again from your application.';

export interface InteractionDeps {
  provider: Provider;
  db: Kysely<DB>;
  /** Path prefix the provider is mounted under, e.g. `/oauth`. */
  mountPath: string;
  /** Key for the per-interaction CSRF token. */
  csrfKey: Buffer;
  /** Sign-in attempts per client IP, and failed ones per username: password guessing is slowed to a crawl. */
  loginThrottle: { perIp: WindowRateLimiter; failuresPerUser: WindowRateLimiter };
  /** The Gateway MCP resource: a sign-in for it is as one consumer profile, picked on the consent page. */
  gatewayMcpResource?: string;
  /** Records a Gateway MCP sign-in through the executor (required with gatewayMcpResource). */
  recordSignIn?: RecordSignIn;
  /** Sign-in at the IdPs consumer profiles trust (Gateway MCP sign-ins only). */
  federation?: FederationDeps;
  /** Who may use which virtual MCP server: consent to one is refused to people it does not admit. */
  virtualServers?: VirtualServerAccess;
}

const NO_PROFILE = 'No consumer profile lets you sign in to this API catalog. Ask the gateway’s operator to add you to one.';

const THROTTLED = 'Too many sign-in attempts. Wait a few minutes and try again.';
const notAdmitted = (slug: string) =>
  `You may not use the MCP server “${slug}”: it is not published, or you are not on its access list. Ask the gateway’s operator for access.`;
const CONSUMER_ONLY = 'You signed in at an identity provider for the API catalog only. Sign in again with a Gatehouse account for this application.';

/** The interaction URL oidc-provider redirects the browser to for login and consent. */
export function interactionPath(mountPath: string, uid: string): string {
  return `${mountPath}/interaction/${encodeURIComponent(uid)}`;
}

/** Serves GET (render) and POST (submit) of the login and consent pages for one interaction. */
export async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string, deps: InteractionDeps): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'POST') {
    res.setHeader('Allow', 'GET, POST');
    return sendPage(res, 405, errorPage('Method not allowed.'));
  }
  let interaction: Interaction;
  try {
    interaction = await deps.provider.interactionDetails(req, res);
  } catch (err) {
    if (err instanceof errors.SessionNotFound) return sendPage(res, 400, errorPage(EXPIRED));
    throw err;
  }
  // The interaction cookie is path-bound to this uid; the check makes the binding explicit.
  if (interaction.uid !== uid) return sendPage(res, 400, errorPage(EXPIRED));
  const clientId = String(interaction.params.client_id);
  const client = await deps.provider.Client.find(clientId);
  if (!client) return sendPage(res, 400, errorPage(EXPIRED));
  const view = {
    action: interactionPath(deps.mountPath, uid),
    csrf: csrfToken(deps.csrfKey, interaction),
    clientName: client.clientName ?? clientId,
  };
  const prompt = interaction.prompt.name;

  const gatewayMcp = forGatewayMcp(interaction, deps);
  // People of an external IdP are consumers: their session never reaches any other resource.
  if (prompt === 'consent' && federatedPerson(interaction.session?.accountId) && !gatewayMcp) return sendPage(res, 403, errorPage(CONSUMER_ONLY));
  // A person a virtual server does not admit is told so here, not handed a token it would refuse at the first call.
  const accountId = interaction.session?.accountId;
  if (prompt === 'consent' && accountId && deps.virtualServers) {
    const refused = await refusedVirtualServer(deps.db, deps.virtualServers, accountId, requested(interaction).resources);
    if (refused !== null) return sendPage(res, 403, errorPage(notAdmitted(refused)));
  }

  // The identity providers consumer profiles trust, offered on the login page of a Gateway MCP sign-in.
  const idps = async () => (gatewayMcp && deps.federation ? (await signInIdps(deps.db)).map(({ key, label }) => ({ key, label })) : []);

  if (req.method === 'GET') {
    if (prompt === 'login') return sendPage(res, 200, loginPage({ ...view, idps: await idps() }));
    if (prompt === 'consent' && FIRST_PARTY_CLIENTS.has(clientId)) {
      const grantId = await saveGrant(deps.provider, interaction, interaction.session?.accountId ?? '');
      return deps.provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    if (prompt === 'consent') {
      const asked = requested(interaction);
      const choices = gatewayMcp ? ((await accountChoices(deps.db, interaction.session?.accountId))?.choices ?? []) : undefined;
      if (choices?.length === 0) return sendPage(res, 403, errorPage(NO_PROFILE));
      return sendPage(
        res,
        200,
        consentPage({ ...view, clientId, ...asked, redirectUri: describeRedirect(asked.redirectUri), ...(choices ? { profiles: choices } : {}) }),
      );
    }
    return sendPage(res, 400, errorPage(EXPIRED));
  }

  const form = await readForm(req);
  if (!form) return sendPage(res, 400, errorPage('The form could not be read.'));
  if (!sameToken(form.get('csrf') ?? '', view.csrf)) return sendPage(res, 403, errorPage(EXPIRED));

  if (prompt === 'login' && form.has('idp')) {
    if (!gatewayMcp || !deps.federation) return sendPage(res, 400, errorPage(EXPIRED));
    const started = await startFederatedLogin(res, deps.federation, uid, form.get('idp') ?? '').catch(() => null);
    if (started === null) return sendPage(res, 502, errorPage('The identity provider could not be reached. Try again later.'));
    if (!started) return sendPage(res, 400, errorPage(EXPIRED));
    return;
  }
  if (prompt === 'login') {
    const username = (form.get('username') ?? '').slice(0, 200);
    const throttle = deps.loginThrottle;
    const userKey = username.toLowerCase();
    if (!throttle.perIp.take(req.socket.remoteAddress ?? '') || throttle.failuresPerUser.exhausted(userKey)) {
      res.setHeader('Retry-After', '300');
      return sendPage(res, 429, loginPage({ ...view, username, error: THROTTLED, idps: await idps() }));
    }
    const user = await authenticate(deps.db, username, (form.get('password') ?? '').slice(0, 1000));
    if (!user) {
      throttle.failuresPerUser.take(userKey);
      return sendPage(res, 401, loginPage({ ...view, username, error: LOGIN_FAILED, idps: await idps() }));
    }
    const result: InteractionResults = { login: { accountId: user.id } };
    if (FIRST_PARTY_CLIENTS.has(clientId)) result.consent = { grantId: await saveGrant(deps.provider, interaction, user.id) };
    return deps.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  if (prompt === 'consent') {
    if (form.get('decision') !== 'allow' || !accountId) {
      const denied = { error: 'access_denied', error_description: 'The user denied the request.' };
      return deps.provider.interactionFinished(req, res, denied, { mergeWithLastSubmission: false });
    }
    let signIn: { profileId: string; username: string } | undefined;
    if (gatewayMcp) {
      const who = await accountChoices(deps.db, accountId);
      const choice = who?.choices.find((c) => c.profileId === form.get('profile'));
      if (!who || !choice) return sendPage(res, 403, errorPage(NO_PROFILE));
      signIn = { profileId: choice.profileId, username: who.username };
    }
    const grantId = await saveGrant(deps.provider, interaction, accountId);
    if (signIn) {
      if (!deps.recordSignIn) throw new Error('Gateway MCP sign-ins need recordSignIn');
      const consent = {
        oidcGrantId: grantId,
        profileId: signIn.profileId,
        accountId,
        username: signIn.username,
        appClientId: clientId,
        appName: view.clientName,
        ip: req.socket.remoteAddress ?? null,
        requestId: requestIdFrom(req.headers['x-request-id']),
      };
      try {
        await deps.recordSignIn(consent);
      } catch (err) {
        if (err instanceof GatehouseError && err.status === 403) return sendPage(res, 403, errorPage(NO_PROFILE));
        throw err;
      }
    }
    return deps.provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return sendPage(res, 400, errorPage(EXPIRED));
}

/** Whether the request is for the Gateway MCP (by resource, or by its scope when the client named no resource). */
function forGatewayMcp(interaction: Interaction, deps: InteractionDeps): boolean {
  if (!deps.gatewayMcpResource) return false;
  const asked = requested(interaction);
  return asked.resources.includes(deps.gatewayMcpResource) || (asked.resources.length === 0 && asked.scopes.includes(GATEWAY_MCP_SCOPE));
}

let dummyHash: Promise<string> | undefined;

/** Checks a username and password; unknown, wrong and disabled all look the same and take the same time. */
export async function authenticate(db: Kysely<DB>, username: string, password: string): Promise<UserRow | undefined> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const user = username ? await findUserByName(db, username) : undefined;
  const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash));
  return user && ok && user.disabled !== 1 ? user : undefined;
}

// Grants what the request asked for: the OIDC scopes, claims and resource scopes it named. A grant
// from an earlier sign-in is extended only when it belongs to the same account.
async function saveGrant(provider: Provider, interaction: Interaction, accountId: string): Promise<string> {
  const clientId = String(interaction.params.client_id);
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing && existing.accountId === accountId && existing.clientId === clientId ? existing : new provider.Grant({ accountId, clientId });
  const details = interaction.prompt.details;
  // Resource scopes that are also client-registrable scopes show up as missing OIDC scopes too.
  const missing = Array.isArray(details.missingOIDCScope) ? details.missingOIDCScope.map(String) : [];
  const scopes = [...new Set([...requested(interaction).scopes.filter((s) => OIDC_SCOPES.has(s)), ...missing])];
  if (scopes.length) grant.addOIDCScope(scopes.join(' '));
  if (Array.isArray(details.missingOIDCClaims)) grant.addOIDCClaims(details.missingOIDCClaims.map(String));
  const resourceScopes = details.missingResourceScopes;
  if (resourceScopes && typeof resourceScopes === 'object') {
    for (const [resource, list] of Object.entries(resourceScopes)) {
      if (Array.isArray(list)) grant.addResourceScope(resource, list.map(String).join(' '));
    }
  }
  return grant.save();
}

function requested(interaction: Interaction): { redirectUri: string; scopes: string[]; resources: string[] } {
  const { scope, resource, redirect_uri: redirectUri } = interaction.params;
  return {
    redirectUri: String(redirectUri ?? ''),
    scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
    resources: Array.isArray(resource) ? resource.map(String) : typeof resource === 'string' ? [resource] : [],
  };
}

// Bound to the interaction's server-side cid, which never leaves the server, so a page that
// learned the uid still cannot forge the token.
function csrfToken(key: Buffer, interaction: Interaction): string {
  return createHmac('sha256', key).update(`${interaction.uid}.${interaction.cid}`).digest('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
