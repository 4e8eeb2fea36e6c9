import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, customFetch, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Kysely } from 'kysely';
import type Provider from 'oidc-provider';
import { getSecret } from '../store/repositories/secrets.js';
import type { DB } from '../store/schema.js';
import type { SecretBox } from '../store/secret-box.js';
import { type FederatedPerson, federatedAccountId, recordAdmission, type SignInIdp, signInIdps } from './federated-accounts.js';
import { idpHttp } from './idp-http.js';
import { fetchIssuerMetadata, type IssuerMetadata } from './issuer-metadata.js';
import { errorPage, sendPage } from './login-pages.js';
import { StoreAdapter } from './oidc-adapter.js';

/** The owner type of a profile's sealed IdP client secret (`oidcSignIn.clientSecret`) in the secrets table. */
export const PROFILE_SIGN_IN_SECRETS = 'profile-sign-in';
/** Where the IdP sends the person back, under the authorization server's mount path: the redirect URI to register at the IdP. */
export const FEDERATED_CALLBACK = '/federated/callback';

const LOGINS = 'FederatedLogin';
const LOGIN_TTL_SECONDS = 10 * 60;
const METADATA_TTL_MS = 5 * 60_000;
const TOKEN_TIMEOUT_MS = 10_000;
const MAX_TOKEN_RESPONSE_BYTES = 256 * 1024;
const CLOCK_TOLERANCE_SECONDS = 30;
// Asymmetric only: an ID token signed with the client secret (HS*) or unsigned is never accepted.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const EXPIRED = 'This sign-in attempt has expired or is not known here. Start again from your application.';
const NO_PROFILE = 'No consumer profile lets you sign in to this API catalog. Ask the gateway’s operator to add you to one.';

/** What the relying-party side of the authorization server needs. */
export interface FederationDeps {
  provider: Provider;
  db: Kysely<DB>;
  secrets: SecretBox;
  /** The authorization server's public issuer URL (its mount path included). */
  issuer: string;
}

/** A sign-in the IdP or its answer refused: shown to the person, and no token is issued. */
class Refused extends Error {}

/** Starts "Sign in with <IdP>" for an interaction: redirects the browser to the IdP (code + PKCE, state, nonce). False when the IdP is unknown. */
export async function startFederatedLogin(res: ServerResponse, deps: FederationDeps, uid: string, key: string): Promise<boolean> {
  const idp = (await signInIdps(deps.db)).find((i) => i.key === key);
  if (!idp) return false;
  const metadata = await metadataOf(idp.issuer);
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  const verifier = randomBytes(32).toString('base64url');
  // The state is also bound to this browser, so a callback URL handed to someone else does nothing.
  const binding = randomBytes(32).toString('base64url');
  await logins(deps.db).upsert(digest(state), { uid, key, nonce, verifier, binding: digest(binding) }, LOGIN_TTL_SECONDS);
  const target = new URL(metadata.authorization_endpoint as string);
  const params = {
    response_type: 'code',
    client_id: idp.clientId,
    redirect_uri: callbackUrl(deps.issuer),
    scope: idp.scope.split(' ').includes('openid') ? idp.scope : `openid ${idp.scope}`,
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  res.statusCode = 303;
  res.setHeader('Set-Cookie', bindingCookie(deps.issuer, binding, LOGIN_TTL_SECONDS));
  res.setHeader('Location', target.href);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
  return true;
}

/**
 * The IdP's redirect back: the state is looked up (once) and checked against this browser, the code
 * redeemed with the PKCE verifier, the ID token verified (signature against the IdP's JWKS, issuer,
 * audience, nonce), the person mapped to the profiles that admit them, and the interaction resumed
 * as that person. Anything wrong ends on an error page with no token issued.
 */
export async function finishFederatedLogin(req: IncomingMessage, res: ServerResponse, deps: FederationDeps): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET');
    return sendPage(res, 405, errorPage('Method not allowed.'));
  }
  const query = new URL(req.url ?? '/', 'http://callback').searchParams;
  const state = query.get('state') ?? '';
  const store = logins(deps.db);
  const login = state ? await store.find(digest(state)) : undefined;
  if (!login) return sendPage(res, 400, errorPage(EXPIRED));
  // One use: a replayed callback finds nothing.
  await store.destroy(digest(state));
  res.setHeader('Set-Cookie', bindingCookie(deps.issuer, '', 0));
  if (!sameText(digest(cookieValue(req, cookieName(deps.issuer)) ?? ''), String(login.binding))) return sendPage(res, 400, errorPage(EXPIRED));
  const idp = (await signInIdps(deps.db)).find((i) => i.key === login.key);
  if (!idp) return sendPage(res, 400, errorPage(EXPIRED));
  const refusedBy = query.get('error');
  if (refusedBy) return sendPage(res, 403, errorPage(`${idp.label} did not sign you in (${refusedBy.slice(0, 100)}).`));
  // RFC 9207: an IdP that names itself must name the one this sign-in went to.
  const iss = query.get('iss');
  if (iss !== null && iss !== idp.issuer) return sendPage(res, 400, errorPage('The sign-in came back from an identity provider it was not sent to.'));
  const code = query.get('code');
  if (!code) return sendPage(res, 400, errorPage(EXPIRED));

  let claims: JWTPayload;
  try {
    claims = await redeem(deps, idp, code, String(login.verifier), String(login.nonce));
  } catch (err) {
    if (err instanceof Refused) return sendPage(res, 403, errorPage(err.message));
    throw err;
  }
  const username = typeof claims[idp.usernameClaim] === 'string' && claims[idp.usernameClaim] ? String(claims[idp.usernameClaim]) : String(claims.sub);
  const person: FederatedPerson = { issuer: idp.issuer, subject: String(claims.sub), username: username.slice(0, 200) };
  const admitted = idp.profiles.filter((p) => p.admits(person, claims)).map((p) => p.profileId);
  if (admitted.length === 0) return sendPage(res, 403, errorPage(NO_PROFILE));

  const interaction = await deps.provider.Interaction.find(String(login.uid));
  if (!interaction) return sendPage(res, 400, errorPage(EXPIRED));
  const accountId = federatedAccountId(person);
  await recordAdmission(deps.db, accountId, admitted);
  // What oidc-provider's interactionFinished does, for an interaction found by its uid: the
  // browser's resume cookie (set when the authorization started) still has to match.
  interaction.result = { login: { accountId } };
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
  res.statusCode = 303;
  res.setHeader('Location', interaction.returnTo);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
}

async function redeem(deps: FederationDeps, idp: SignInIdp, code: string, verifier: string, nonce: string): Promise<JWTPayload> {
  const metadata = await metadataOf(idp.issuer).catch(() => {
    throw new Refused(`${idp.label} could not be reached to finish the sign-in. Try again later.`);
  });
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: callbackUrl(deps.issuer), code_verifier: verifier });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const secret = await clientSecret(deps, idp);
  if (secret) {
    const encode = (s: string) => encodeURIComponent(s);
    headers.authorization = `Basic ${Buffer.from(`${encode(idp.clientId)}:${encode(secret)}`).toString('base64')}`;
  } else {
    form.set('client_id', idp.clientId);
  }
  let answer: Record<string, unknown>;
  let ok: boolean;
  try {
    const res = await idpHttp.request(metadata.token_endpoint as string, {
      method: 'POST',
      headers,
      body: form.toString(),
      timeoutMs: TOKEN_TIMEOUT_MS,
      maxBytes: MAX_TOKEN_RESPONSE_BYTES,
    });
    ok = res.status >= 200 && res.status < 300;
    answer = jsonObject(res.body);
  } catch {
    throw new Refused(`${idp.label} could not be reached to finish the sign-in. Try again later.`);
  }
  if (!ok) throw new Refused(`${idp.label} did not accept the sign-in (${String(answer.error ?? 'refused').slice(0, 100)}).`);
  if (typeof answer.id_token !== 'string') throw new Refused(`${idp.label} returned no ID token.`);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(answer.id_token, jwksOf(metadata.jwks_uri), {
      issuer: idp.issuer,
      audience: idp.clientId,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (err) {
    throw new Refused(`The ID token from ${idp.label} was refused: ${reason(err)}`);
  }
  // OIDC Core 3.1.3.7: with several audiences the token must name us as its authorized party.
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== idp.clientId) {
    throw new Refused(`The ID token from ${idp.label} was refused: it was issued to another party.`);
  }
  if (typeof payload.nonce !== 'string' || !sameText(payload.nonce, nonce)) {
    throw new Refused(`The ID token from ${idp.label} was refused: it does not belong to this sign-in (nonce).`);
  }
  return payload;
}

async function clientSecret(deps: FederationDeps, idp: SignInIdp): Promise<string | undefined> {
  for (const p of idp.profiles) {
    const sealed = await getSecret(deps.db, PROFILE_SIGN_IN_SECRETS, p.profileId);
    if (sealed) return deps.secrets.open(sealed);
  }
  return undefined;
}

const metadataCache = new Map<string, { at: number; doc: IssuerMetadata }>();
const jwksCache = new Map<string, JWTVerifyGetKey>();

// Plain http only for an IdP on this machine (a local IdP, tests); anywhere else it must be https.
async function metadataOf(issuer: string): Promise<IssuerMetadata> {
  const cached = metadataCache.get(issuer);
  if (cached && Date.now() - cached.at < METADATA_TTL_MS) return cached.doc;
  const doc = await fetchIssuerMetadata(issuer, { allowHttp: isLoopback(issuer) });
  for (const field of ['authorization_endpoint', 'token_endpoint'] as const) {
    const value = doc[field];
    if (typeof value !== 'string' || !URL.canParse(value)) throw new Error(`the identity provider's metadata has no ${field}`);
    const url = new URL(value);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(value))) throw new Error(`the ${field} must be an https URL: ${value}`);
  }
  metadataCache.set(issuer, { at: Date.now(), doc });
  return doc;
}

function jwksOf(uri: string): JWTVerifyGetKey {
  let keys = jwksCache.get(uri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(uri), { timeoutDuration: 5_000, [customFetch]: idpHttp.fetch });
    jwksCache.set(uri, keys);
  }
  return keys;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function jsonObject(body: Buffer): Record<string, unknown> {
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

// Which check failed, never the token itself.
function reason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'it has expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return 'it is from another issuer.';
    if (err.claim === 'aud') return 'it was issued to another client.';
    return `it failed the "${err.claim}" check.`;
  }
  if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'its signature is not the identity provider’s.';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'it uses a signing algorithm that is not allowed.';
  if (err instanceof joseErrors.JWKSTimeout) return 'the identity provider’s keys could not be fetched in time.';
  return 'it is malformed.';
}

function logins(db: Kysely<DB>): StoreAdapter {
  return new StoreAdapter(db, LOGINS);
}

function callbackUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}${FEDERATED_CALLBACK}`;
}

function cookieName(issuer: string): string {
  return issuer.startsWith('https:') ? '__Secure-gh_federated' : 'gh_federated';
}

function bindingCookie(issuer: string, value: string, maxAge: number): string {
  const path = new URL(callbackUrl(issuer)).pathname;
  const secure = issuer.startsWith('https:') ? '; Secure' : '';
  // Lax: the IdP's redirect back is a top-level GET navigation, which carries it.
  return `${cookieName(issuer)}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
