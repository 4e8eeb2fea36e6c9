import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { bearerAuthChallengeResponse, McpServer, OAuthError, OAuthErrorCode, type OAuthTokenVerifier, verifyBearerToken } from '@modelcontextprotocol/server';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import Provider, { type ClientMetadata, errors } from 'oidc-provider';
import { z } from 'zod';

/** A separate authorization server and an MCP server that accepts only its tokens, for per-user upstream OAuth tests. */
export interface OAuthMcpUpstream {
  /** The MCP server's URL (also its resource identifier). */
  url: string;
  issuer: string;
  /** Every access and refresh token the authorization server issued. */
  issued: string[];
  /** Access tokens the MCP server accepted, in order. */
  accepted: string[];
  /** Every Authorization header the MCP server got, accepted or not. */
  authorizations: string[];
  /** Access tokens the MCP server refuses from now on (as if revoked upstream). */
  rejected: Set<string>;
  /** Token endpoint requests by grant type. */
  grants: string[];
  /** Clients registered dynamically. */
  registered: string[];
  /** Revocation requests (RFC 7009) in order, each as `<token type hint> <status>`. */
  revocations: string[];
  /** The refresh token last issued for each upstream account (the subject of its access token). */
  refreshTokens: Map<string, string>;
  /** While set, the revocation endpoint answers 503 (an authorization server that is down). */
  refuseRevocations: boolean;
  /** Redeems a refresh token as the pre-registered client; the token endpoint's status (200 while it is honoured). */
  tryRefresh(refreshToken: string): Promise<number>;
  /** From now on, advertise Client ID Metadata Document support and take this document's client (as fetched from its URL). */
  acceptMetadataDocument(document: ClientMetadata): void;
  close(): Promise<void>;
}

export interface OAuthMcpUpstreamOptions {
  /** Where the gateway's connect callback is, for the pre-registered client. */
  callbackUrl: string;
  preregistered: { clientId: string; clientSecret: string };
  /** Access token lifetime, seconds. */
  accessTokenTtl: number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * An `oidc-provider` authorization server (its own key, JWT access tokens audience-bound to the
 * resource indicator, refresh tokens, dynamic registration, a login page that takes any name) and an
 * SDK v2 MCP server that requires its bearer tokens (RFC 9728 metadata, 401 challenges) and offers
 * `whoami` (the token's subject) and `echo_token` (echoes the token it got, as a careless server might).
 */
export async function startOAuthMcpUpstream(opts: OAuthMcpUpstreamOptions): Promise<OAuthMcpUpstream> {
  const asServer = createServer();
  const mcpServer = createServer();
  const issuer = await listen(asServer);
  const base = await listen(mcpServer);
  const url = `${base}/mcp`;
  const metadataUrl = `${base}/.well-known/oauth-protected-resource/mcp`;
  const issued: string[] = [];
  const accepted: string[] = [];
  const authorizations: string[] = [];
  const rejected = new Set<string>();
  const grants: string[] = [];
  const registered: string[] = [];
  const revocations: string[] = [];
  const refreshTokens = new Map<string, string>();
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });

  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'upstream-as' }] },
    clients: [
      {
        client_id: opts.preregistered.clientId,
        client_secret: opts.preregistered.clientSecret,
        redirect_uris: [opts.callbackUrl],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code'], response_types: ['code'] },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    scopes: ['openid', 'offline_access', 'mcp'],
    pkce: { required: () => true },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: opts.accessTokenTtl, AuthorizationCode: 60, RefreshToken: 3600, Grant: 3600, Interaction: 600, Session: 3600 },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => url,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== url) throw new errors.InvalidTarget('unknown resource');
          return { scope: 'mcp', audience: url, accessTokenFormat: 'jwt', accessTokenTTL: opts.accessTokenTtl, jwt: { sign: { alg: 'ES256' } } };
        },
      },
    },
  });
  provider.on('registration_create.success', (_ctx, client) => registered.push(client.clientId));
  const documents = new Map<string, ClientMetadata>();
  // Stands in for fetching the document at its URL (what a CIMD authorization server does on first sight of the client id).
  const findClient = provider.Client.find.bind(provider.Client);
  // The typings omit the constructor's metadata argument.
  const ClientOf = provider.Client as unknown as new (metadata: ClientMetadata) => Awaited<ReturnType<typeof findClient>>;
  provider.Client.find = async (id: string) => {
    const document = documents.get(id);
    if (document) return new ClientOf({ ...document, id_token_signed_response_alg: 'ES256' });
    return findClient(id);
  };
  const state = { refuseRevocations: false };
  provider.use(async (ctx, next) => {
    if (state.refuseRevocations && ctx.path === '/token/revocation') {
      ctx.status = 503;
      ctx.body = { error: 'temporarily_unavailable' };
      revocations.push('refused 503');
      return;
    }
    await next();
    if (ctx.oidc?.route === 'discovery' && documents.size > 0) (ctx.body as Record<string, unknown>).client_id_metadata_document_supported = true;
    if (ctx.oidc?.route === 'revocation') revocations.push(`${String(ctx.oidc.params?.token_type_hint ?? '')} ${ctx.status}`);
  });
  const callback = provider.callback();

  asServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const uid = /^\/interaction\/([\w-]+)$/.exec(path)?.[1];
      if (uid && req.method === 'GET') {
        await provider.interactionDetails(req, res);
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            `<form method="post" action="/interaction/${uid}"><input type="hidden" name="csrf" value="na"><input name="username"><input name="password" type="password"></form>`,
          );
        return;
      }
      if (uid && req.method === 'POST') {
        const login = new URLSearchParams(await readBody(req)).get('username') ?? '';
        const details = await provider.interactionDetails(req, res);
        const grant = new provider.Grant({ accountId: login, clientId: String(details.params.client_id) });
        const asked = String(details.params.scope ?? '');
        if (asked) grant.addOIDCScope(asked);
        grant.addResourceScope(url, 'mcp');
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: login }, consent: { grantId } }, { mergeWithLastSubmission: false });
        return;
      }
      if (path === '/token' && req.method === 'POST') {
        // Note every token the endpoint hands out, so a test can look for them where they must not be.
        const chunks: Buffer[] = [];
        const write = res.write.bind(res);
        const end = res.end.bind(res);
        res.write = ((chunk: Buffer | string, ...rest: never[]) => {
          chunks.push(Buffer.from(chunk));
          return write(chunk, ...rest);
        }) as typeof res.write;
        res.end = ((chunk?: Buffer | string, ...rest: never[]) => {
          if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { access_token?: string; refresh_token?: string };
            for (const t of [body.access_token, body.refresh_token]) if (t) issued.push(t);
            if (body.access_token && body.refresh_token) {
              const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: string };
              if (claims.sub) refreshTokens.set(claims.sub, body.refresh_token);
            }
          } catch {
            // not JSON: an error page
          }
          return end(chunk as never, ...rest);
        }) as typeof res.end;
      }
      callback(req, res);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  provider.on('grant.success', (ctx) => grants.push(String(ctx.oidc.params?.grant_type ?? '')));

  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const verifier: OAuthTokenVerifier = {
    async verifyAccessToken(token) {
      if (rejected.has(token)) throw new OAuthError(OAuthErrorCode.InvalidToken, 'revoked');
      const { payload } = await jwtVerify(token, jwks, { issuer }).catch(() => {
        throw new OAuthError(OAuthErrorCode.InvalidToken, 'not a token of this server');
      });
      return {
        token,
        clientId: String(payload.client_id ?? ''),
        scopes: String(payload.scope ?? '')
          .split(' ')
          .filter(Boolean),
        ...(payload.exp !== undefined ? { expiresAt: payload.exp } : {}),
        resource: new URL(String(payload.aud)),
        extra: { sub: payload.sub },
      };
    },
  };

  mcpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (req.url === '/.well-known/oauth-protected-resource/mcp') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ resource: url, authorization_servers: [issuer], scopes_supported: ['mcp'], bearer_methods_supported: ['header'] }));
        return;
      }
      if (req.headers.authorization) authorizations.push(req.headers.authorization);
      let auth: Awaited<ReturnType<typeof verifyBearerToken>>;
      try {
        auth = await verifyBearerToken(req.headers.authorization, { verifier, expectedResource: new URL(url), resourceMetadataUrl: metadataUrl });
      } catch (err) {
        const answer = bearerAuthChallengeResponse(err, { resourceMetadataUrl: metadataUrl });
        res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(await answer.text());
        return;
      }
      accepted.push(auth.token);
      const subject = String(auth.extra?.sub ?? '');
      const server = new McpServer({ name: 'protected', version: '1' });
      server.registerTool('whoami', { description: 'Says who the token is for', inputSchema: z.object({}) }, async () => ({
        content: [{ type: 'text', text: subject }],
      }));
      server.registerTool('echo_token', { description: 'Echoes the bearer token it got', inputSchema: z.object({}) }, async () => ({
        content: [{ type: 'text', text: `your token is ${auth.token}` }],
      }));
      // Stateless: each request is served by a server built for its token's subject.
      const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await server.connect(transport);
      const body = req.method === 'POST' ? JSON.parse((await readBody(req)) || 'null') : undefined;
      await transport.handleRequest(req, res, body);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });

  return {
    url,
    issuer,
    issued,
    accepted,
    authorizations,
    rejected,
    grants,
    registered,
    revocations,
    refreshTokens,
    get refuseRevocations() {
      return state.refuseRevocations;
    },
    set refuseRevocations(on: boolean) {
      state.refuseRevocations = on;
    },
    async tryRefresh(refreshToken) {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${opts.preregistered.clientId}:${opts.preregistered.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, resource: url }),
      });
      await res.arrayBuffer();
      return res.status;
    },
    acceptMetadataDocument: (document) => void documents.set(String(document.client_id), document),
    close: async () => {
      for (const s of [asServer, mcpServer]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}
