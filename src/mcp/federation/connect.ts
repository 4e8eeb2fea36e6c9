import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { GatehouseError } from '../../core/index.js';
import type { PerUserServer, UpstreamOAuth, UpstreamTokens } from '../../gateway/federation/index.js';
import { CONNECT_CLIENT_ID, connectPage, sendPage } from '../../identity/index.js';
import { type McpLog, report } from '../kit/log.js';
import { CLIENT_METADATA_PATH, CONNECT_PATH } from './connect-paths.js';
import type { ConnectTickets } from './connect-ticket.js';

export interface ConnectOptions {
  /** The proxy listener's public URL: the connect endpoints and the client metadata document live under it. */
  publicUrl: string;
  /** The built-in authorization server, where the person proves who they are. */
  issuer: string;
  jwks(): JSONWebKeySet;
  tickets: ConnectTickets;
  /** Seals the flow's cookie (the secret box): it carries PKCE verifiers. */
  seal(plaintext: string): string;
  open(sealed: string): string;
  /** An `oauth_per_user` server by id, with its client settings; null when there is none. */
  server(id: string): Promise<PerUserServer | null>;
  oauth: UpstreamOAuth;
  /** Records the connection (through the registry: audited, with the person as actor). */
  connect(person: { subject: string; name: string }, serverId: string, tokens: UpstreamTokens): Promise<void>;
  log: McpLog;
}

const COOKIE = 'gh_mcp_connect';
const FLOW_TTL_MS = 10 * 60_000;

/** One connect flow, kept sealed in the browser's cookie between the redirects. */
interface Flow {
  step: 'gateway' | 'upstream';
  /** The `state` the next redirect must come back with. */
  state: string;
  verifier: string;
  serverId: string;
  subject: string;
  name?: string;
  exp: number;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The gateway's client metadata at upstream authorization servers that take Client ID Metadata Documents. */
export function clientMetadataDocument(publicUrl: string): Record<string, unknown> {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    client_id: `${base}${CLIENT_METADATA_PATH}`,
    client_name: 'Gatehouse',
    client_uri: base,
    redirect_uris: [`${base}${CONNECT_PATH}/callback`],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
}

/**
 * The connect link of `oauth_per_user` upstreams. The link (a signed, short-lived ticket naming a
 * person and a server) first signs the person in at the gateway's own authorization server — only
 * the person it was made for may use it — then sends them to the upstream's authorization server
 * (PKCE, resource indicator); the callback redeems the code and stores their tokens, sealed.
 */
export function createConnectHandler(opts: ConnectOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const base = opts.publicUrl.replace(/\/+$/, '');
  const signedInUri = `${base}${CONNECT_PATH}/signed-in`;
  const secure = base.startsWith('https:');
  const keys = createLocalJWKSet(opts.jwks());
  const document = JSON.stringify(clientMetadataDocument(base));

  function setFlow(res: ServerResponse, flow: Flow | null): void {
    const attrs = `Path=${CONNECT_PATH}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
    res.setHeader(
      'set-cookie',
      flow ? `${COOKIE}=${opts.seal(JSON.stringify(flow))}; Max-Age=${FLOW_TTL_MS / 1000}; ${attrs}` : `${COOKIE}=; Max-Age=0; ${attrs}`,
    );
  }

  function flowOf(req: IncomingMessage, step: Flow['step'], state: string | null): Flow | null {
    const raw = (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim())
      .find((c) => c.startsWith(`${COOKIE}=`))
      ?.slice(COOKIE.length + 1);
    if (!raw || !state) return null;
    try {
      const flow = JSON.parse(opts.open(raw)) as Flow;
      return flow.step === step && sameText(flow.state, state) && flow.exp > Date.now() ? flow : null;
    } catch {
      return null;
    }
  }

  function redirect(res: ServerResponse, location: string, flow: Flow): void {
    setFlow(res, flow);
    res.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end();
  }

  /** The link: check the ticket, then sign the person in at the gateway. */
  async function start(res: ServerResponse, query: URLSearchParams): Promise<void> {
    const ticket = opts.tickets.verify(query.get('ticket') ?? '');
    if (!ticket)
      return sendPage(
        res,
        400,
        connectPage('Link expired', 'This connect link is not valid or has expired. Call the tool again from your AI client to get a new one.'),
      );
    const server = await opts.server(ticket.srv);
    if (!server) return sendPage(res, 404, connectPage('Unknown server', 'The MCP server this link names no longer exists.'));
    const state = randomBytes(16).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const params = new URLSearchParams({
      client_id: CONNECT_CLIENT_ID,
      response_type: 'code',
      redirect_uri: signedInUri,
      scope: 'openid',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    redirect(res, `${opts.issuer}/auth?${params}`, {
      step: 'gateway',
      state,
      verifier,
      serverId: server.id,
      subject: ticket.sub,
      exp: Date.now() + FLOW_TTL_MS,
    });
  }

  /** Back from the gateway's sign-in: the person must be the one the link was made for; then on to the upstream. */
  async function signedIn(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const flow = flowOf(req, 'gateway', query.get('state'));
    if (!flow)
      return sendPage(
        res,
        400,
        connectPage('Connect expired', 'This sign-in does not belong to a connect flow in this browser, or it took too long. Open the connect link again.'),
      );
    const code = query.get('code');
    if (!code) return sendPage(res, 403, connectPage('Not signed in', 'You did not sign in, so nothing was connected.'));
    const person = await whoSignedIn(code, flow.verifier);
    if (!person) return sendPage(res, 403, connectPage('Not signed in', 'The gateway could not confirm your sign-in. Open the connect link again.'));
    if (person.subject !== flow.subject) {
      return sendPage(
        res,
        403,
        connectPage(
          'Wrong account',
          'This connect link was made for another gateway account. Sign in as the person who called the tool, or call it again as yourself.',
        ),
      );
    }
    const server = await opts.server(flow.serverId);
    if (!server) return sendPage(res, 404, connectPage('Unknown server', 'The MCP server this link names no longer exists.'));
    const state = randomBytes(16).toString('base64url');
    let upstream: { url: string; verifier: string };
    try {
      upstream = await opts.oauth.authorizationUrl(server, state);
    } catch (err) {
      return failed(res, err);
    }
    redirect(res, upstream.url, {
      step: 'upstream',
      state,
      verifier: upstream.verifier,
      serverId: server.id,
      subject: person.subject,
      name: person.name,
      exp: Date.now() + FLOW_TTL_MS,
    });
  }

  /** Back from the upstream's authorization server: redeem the code and keep the tokens. */
  async function callback(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const flow = flowOf(req, 'upstream', query.get('state'));
    if (!flow)
      return sendPage(
        res,
        400,
        connectPage('Connect expired', 'This answer does not belong to a connect flow in this browser, or it took too long. Open the connect link again.'),
      );
    setFlow(res, null);
    const server = await opts.server(flow.serverId);
    if (!server) return sendPage(res, 404, connectPage('Unknown server', 'The MCP server this link names no longer exists.'));
    const code = query.get('code');
    if (!code) {
      const error = /^[a-z_]{1,64}$/.test(query.get('error') ?? '') ? query.get('error') : 'no code';
      return sendPage(res, 403, connectPage('Not connected', `${server.name} did not grant access (${error}). Nothing was connected.`));
    }
    try {
      const tokens = await opts.oauth.exchange(server, code, flow.verifier, query.get('iss') ?? undefined);
      await opts.connect({ subject: flow.subject, name: flow.name ?? flow.subject }, server.id, tokens);
    } catch (err) {
      return failed(res, err);
    }
    sendPage(
      res,
      200,
      connectPage('Connected', `Your account at ${server.name} is connected. You can close this page and call the tool again from your AI client.`),
    );
  }

  /** Redeems the gateway sign-in's code; the ID token says who signed in (the access token is not used). */
  async function whoSignedIn(code: string, verifier: string): Promise<{ subject: string; name: string } | null> {
    const res = await fetch(`${opts.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: signedInUri,
        code_verifier: verifier,
        client_id: CONNECT_CLIENT_ID,
      }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return null;
    const idToken = ((await res.json()) as { id_token?: unknown }).id_token;
    if (typeof idToken !== 'string') return null;
    try {
      const { payload } = await jwtVerify(idToken, keys, { issuer: opts.issuer, audience: CONNECT_CLIENT_ID });
      if (typeof payload.sub !== 'string') return null;
      const name = typeof payload.preferred_username === 'string' ? payload.preferred_username : payload.sub;
      return { subject: payload.sub, name };
    } catch {
      return null;
    }
  }

  function failed(res: ServerResponse, err: unknown): void {
    if (err instanceof GatehouseError) {
      sendPage(res, err.status >= 500 ? 502 : err.status, connectPage('Not connected', err.message));
      return;
    }
    report(opts.log, 'connecting an upstream MCP account failed', err);
    sendPage(res, 500, connectPage('Not connected', 'Connecting failed on the gateway. Try again later.'));
  }

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const route =
      req.method !== 'GET'
        ? null
        : url.pathname === CLIENT_METADATA_PATH
          ? 'document'
          : url.pathname === CONNECT_PATH
            ? 'start'
            : url.pathname === `${CONNECT_PATH}/signed-in`
              ? 'signed-in'
              : url.pathname === `${CONNECT_PATH}/callback`
                ? 'callback'
                : null;
    const work = async () => {
      if (route === 'document') {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300', 'content-length': Buffer.byteLength(document) });
        return void res.end(document);
      }
      if (route === 'start') return start(res, url.searchParams);
      if (route === 'signed-in') return signedIn(req, res, url.searchParams);
      if (route === 'callback') return callback(req, res, url.searchParams);
      sendPage(res, 404, connectPage('Not found', 'There is nothing here.'));
    };
    work().catch((err: unknown) => {
      report(opts.log, 'the connect endpoint failed', err);
      if (!res.headersSent) sendPage(res, 500, connectPage('Not connected', 'Connecting failed on the gateway. Try again later.'));
      else res.destroy();
    });
  };
}
