import { type ChildProcess, spawn } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { CLI } from './cli.js';
import { freshDatabase, type TestDatabase } from './databases.js';
import { ADMIN_PASSWORD, call } from './gatehouse.js';
import { browse, CookieJar, loginWithPassword } from './oauth.js';
import { type OAuthMcpUpstream, type OAuthMcpUpstreamOptions, startOAuthMcpUpstream } from './oauth-mcp-upstream.js';

/** The pre-registered client the upstream's authorization server knows the gateway as. */
export const PRE = { clientId: 'gatehouse-pre', clientSecret: 'pre-registered-Secret-5d1c9e' };

/**
 * A real gateway process (`gatehouse serve`, its built-in authorization server) in front of an
 * OAuth-protected upstream MCP server with its own authorization server, and what the per-user
 * tests do with them: admin API calls, AI clients of virtual servers, the connect flow in a browser.
 */
export interface PerUserGateway {
  api: string;
  proxy: string;
  issuer: string;
  adminToken: string;
  upstream: OAuthMcpUpstream;
  /** The gateway's stdout and stderr so far. */
  output(): string;
  /** Everything the gateway said to anyone (responses, pages, tool results): searched for tokens. */
  said: string[];
  /** The AI clients' own gateway tokens, by `user/slug`: they must never reach the upstream. */
  aiTokens: Map<string, string>;
  /** An admin API call (as the admin unless `token` is given). */
  admin(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  /**
   * Creates a gateway user with a role; their id and an admin API token of theirs (empty with
   * `signIn: false`: sign-ins count against the authorization server's per-address limit).
   */
  user(username: string, password: string, role?: string, options?: { signIn?: boolean }): Promise<{ id: string; apiToken: string }>;
  /** An `oauth_per_user` server in front of the upstream, registered with the pre-registered client, and a published virtual server of it (slug = name). */
  perUserServer(name: string, extra?: Record<string, unknown>): Promise<{ serverId: string; virtualId: string }>;
  /** An AI client of a virtual server, signed in as a gateway user. */
  aiClient(username: string, password: string, slug: string): Promise<Client>;
  callTool(client: Client, name: string): Promise<{ text: string; error?: { code: string; message: string; connectUrl?: string } }>;
  /** Calls a tool expecting the connect error; its connect link. */
  connectRequired(client: Client, tool: string): Promise<string>;
  /** Follows a connect link as a browser: signs in at the gateway, then at the upstream as `upstreamLogin`; the last page. */
  connect(link: string, gatewayUser: string, gatewayPassword: string, upstreamLogin: string): Promise<{ status: number; page: string }>;
  close(): Promise<void>;
}

/** Starts the gateway (SQLite store) and the OAuth-protected upstream. */
export async function startPerUserGateway(upstreamOptions: Omit<OAuthMcpUpstreamOptions, 'callbackUrl' | 'preregistered'>): Promise<PerUserGateway> {
  const db: TestDatabase = await freshDatabase('sqlite', { migrated: false });
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      GATEHOUSE_DATA_DIR: db.dataDir,
      GATEHOUSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      GATEHOUSE_LOG_LEVEL: 'trace',
      GATEHOUSE_TOKEN_ENDPOINTS_ALLOW_PRIVATE_NETWORKS: '1',
      GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 30_000;
  while (!/OAuth issuer:\s+(\S+)/.test(output)) {
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      await db.drop();
      throw new Error(`serve did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const api = /Admin API:\s+(\S+)/.exec(output)![1]!;
  const proxy = /Proxy:\s+(\S+)/.exec(output)![1]!;
  const issuer = /OAuth issuer:\s+(\S+)/.exec(output)![1]!;
  const adminToken = (await loginWithPassword({ issuer, username: 'admin', password: ADMIN_PASSWORD, resource: api })).accessToken;
  const upstream = await startOAuthMcpUpstream({ ...upstreamOptions, callbackUrl: `${proxy}/mcp/connect/callback`, preregistered: PRE });
  const said: string[] = [];
  const aiTokens = new Map<string, string>();
  const clients: Client[] = [];

  const admin: PerUserGateway['admin'] = async (method, path, body, token = adminToken) => {
    const res = await call(api, token, method, path, body);
    said.push(JSON.stringify(res.body));
    return res;
  };
  const callTool: PerUserGateway['callTool'] = async (client, name) => {
    const result = await client.callTool({ name, arguments: {} });
    said.push(JSON.stringify(result));
    const text = (result.content as { text?: string }[]).map((c) => c.text ?? '').join('');
    if (!result.isError) return { text };
    return { text, error: JSON.parse(text).error };
  };
  return {
    api,
    proxy,
    issuer,
    adminToken,
    upstream,
    output: () => output,
    said,
    aiTokens,
    admin,
    async user(username, password, role = 'viewer', { signIn = true } = {}) {
      const created = await admin('POST', '/users', { username, password, role });
      if (created.status !== 201) throw new Error(`creating ${username}: ${JSON.stringify(created.body)}`);
      const apiToken = signIn ? (await loginWithPassword({ issuer, username, password, resource: api })).accessToken : '';
      return { id: created.body.id, apiToken };
    },
    async perUserServer(name, extra = {}) {
      const server = await admin('POST', '/mcp-servers', {
        name,
        url: upstream.url,
        auth: 'oauth_per_user',
        oauth: { registration: 'preregistered', clientId: PRE.clientId, scope: 'mcp' },
        oauthClientSecret: PRE.clientSecret,
      });
      if (server.status !== 201) throw new Error(`creating MCP server ${name}: ${JSON.stringify(server.body)}`);
      const virtual = await admin('POST', '/virtual-mcps', {
        slug: name,
        name,
        upstreamIds: [server.body.id],
        tools: [{ upstreamId: server.body.id, name: 'whoami' }],
        published: true,
        ...extra,
      });
      if (virtual.status !== 201) throw new Error(`creating virtual MCP server ${name}: ${JSON.stringify(virtual.body)}`);
      return { serverId: server.body.id, virtualId: virtual.body.id };
    },
    async aiClient(username, password, slug) {
      const resource = `${proxy}/mcp/v/${slug}`;
      const { accessToken } = await loginWithPassword({ issuer, username, password, resource });
      aiTokens.set(`${username}/${slug}`, accessToken);
      const client = new Client({ name: `ai-${username}`, version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } }));
      clients.push(client);
      return client;
    },
    callTool,
    async connectRequired(client, tool) {
      const out = await callTool(client, tool);
      const link = out.error?.connectUrl;
      if (out.error?.code !== 'GATEHOUSE_MCP_CONNECT_REQUIRED' || !link?.startsWith(`${proxy}/mcp/connect?ticket=`) || !out.error.message.includes(link)) {
        throw new Error(`expected the connect error with the gateway's link, got ${out.text}`);
      }
      return link;
    },
    async connect(link, gatewayUser, gatewayPassword, upstreamLogin) {
      const jar = new CookieJar();
      const signedIn = await browse(link, `${proxy}/mcp/connect/signed-in`, { username: gatewayUser, password: gatewayPassword, jar });
      if (!signedIn.landedAt) return { status: signedIn.status ?? 0, page: signedIn.page ?? '' };
      const upstreamDone = await browse(signedIn.landedAt, `${proxy}/mcp/connect/callback`, { username: upstreamLogin, password: 'any', jar });
      if (!upstreamDone.landedAt) return { status: upstreamDone.status ?? 0, page: upstreamDone.page ?? '' };
      const res = await fetch(upstreamDone.landedAt, { headers: { cookie: jar.header() }, redirect: 'manual' });
      const page = await res.text();
      said.push(page);
      return { status: res.status, page };
    },
    async close() {
      for (const c of clients) await c.close().catch(() => undefined);
      child.kill('SIGTERM');
      await upstream.close();
      await db.drop();
    },
  };
}
