/** Ready-to-paste configurations for MCP clients; `headers` is empty for an OAuth-protected server (the client signs in). */
export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  /**
   * Where an app that cannot send headers (ChatGPT, claude.ai) signs in instead, and what the person
   * needs for it; absent when `url` itself is the OAuth-protected resource.
   */
  signIn?: { url: string; note: string };
}

export interface Snippet {
  app: string;
  where: string;
  text: string;
}

const json = (v: unknown) => JSON.stringify(v, null, 2);

export function snippets(t: Target): Snippet[] {
  const hasHeaders = Object.keys(t.headers).length > 0;
  const headerArgs = Object.entries(t.headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]);
  return [
    {
      app: 'Claude Desktop',
      where: 'claude_desktop_config.json (Settings → Developer → Edit config)',
      text: json({ mcpServers: { [t.name]: { command: 'npx', args: ['-y', 'mcp-remote', t.url, ...headerArgs] } } }),
    },
    {
      app: 'Claude Code',
      where: 'a terminal',
      text: `claude mcp add --transport http ${t.name} ${t.url}${Object.entries(t.headers)
        .map(([k, v]) => ` --header "${k}: ${v}"`)
        .join('')}`,
    },
    {
      app: 'Cursor',
      where: '.cursor/mcp.json',
      text: json({ mcpServers: { [t.name]: { url: t.url, ...(hasHeaders ? { headers: t.headers } : {}) } } }),
    },
    {
      app: 'VS Code',
      where: '.vscode/mcp.json',
      text: json({ servers: { [t.name]: { type: 'http', url: t.url, ...(hasHeaders ? { headers: t.headers } : {}) } } }),
    },
    {
      app: 'ChatGPT',
      where: 'Settings → Connectors → Create (developer mode)',
      text: t.signIn
        ? `MCP server URL: ${t.signIn.url}\nAuthentication: OAuth — ChatGPT registers itself; you sign in to Gatehouse and choose the profile it acts as.\n${t.signIn.note}`
        : `MCP server URL: ${t.url}\nAuthentication: OAuth (ChatGPT registers itself and you sign in to Gatehouse)`,
    },
    {
      app: 'Codex CLI',
      where: '~/.codex/config.toml',
      text: [
        `[mcp_servers.${t.name}]`,
        `url = "${t.url}"`,
        ...(hasHeaders
          ? [
              `http_headers = { ${Object.entries(t.headers)
                .map(([k, v]) => `"${k}" = "${v}"`)
                .join(', ')} }`,
            ]
          : []),
      ].join('\n'),
    },
    {
      app: 'Gemini CLI',
      where: 'a terminal',
      text: `gemini mcp add --transport http ${t.name} ${t.url}${Object.entries(t.headers)
        .map(([k, v]) => ` --header "${k}: ${v}"`)
        .join('')}`,
    },
  ];
}

/** A CI job's calls as a service account: a client-credentials token, then an admin API call. */
export function ciCurl(tokenEndpoint: string, resource: string, clientId: string): string {
  return [
    `TOKEN=$(curl -s -u "${clientId}:$GATEHOUSE_CLIENT_SECRET" \\`,
    `  -d grant_type=client_credentials -d resource=${resource} \\`,
    `  ${tokenEndpoint} | jq -r .access_token)`,
    `curl -H "Authorization: Bearer $TOKEN" ${resource}/collections`,
  ].join('\n');
}

/** What a headless agent needs to call a virtual MCP server as a service account. */
export interface HeadlessTarget {
  name: string;
  /** The virtual server's URL: the resource its tokens are for. */
  url: string;
  tokenEndpoint: string;
  /** The service account's client id (its secret stays in the agent's environment). */
  clientId: string;
}

/** The environment variable the headless snippets read the token from. */
export const TOKEN_VARIABLE = 'GATEHOUSE_TOKEN';

/**
 * The client-credentials request of a service account for a token whose audience is the virtual
 * server (`resource`), read into GATEHOUSE_TOKEN; the secret is read from GATEHOUSE_CLIENT_SECRET.
 */
export function headlessTokenCommand(t: HeadlessTarget): string {
  return [
    `export ${TOKEN_VARIABLE}=$(curl -s -u "${t.clientId}:$GATEHOUSE_CLIENT_SECRET" \\`,
    `  -d grant_type=client_credentials -d resource=${t.url} \\`,
    `  ${t.tokenEndpoint} | jq -r .access_token)`,
  ].join('\n');
}

// The id of VS Code's prompt for the token (kept in its secret storage once given).
const VS_CODE_INPUT = 'gatehouse-token';

/** Configurations that send the service account's token (from GATEHOUSE_TOKEN, or asked for once) instead of signing a person in. */
export function headlessSnippets(t: HeadlessTarget): Snippet[] {
  const bearer = `Bearer $${TOKEN_VARIABLE}`;
  return [
    {
      app: 'Claude Code (headless)',
      where: 'the agent’s shell, after the token command',
      text: `claude mcp add --transport http ${t.name} ${t.url} --header "Authorization: ${bearer}"`,
    },
    {
      app: 'Cursor (headless)',
      where: '.cursor/mcp.json (Cursor reads GATEHOUSE_TOKEN from its environment)',
      text: json({ mcpServers: { [t.name]: { url: t.url, headers: { Authorization: `Bearer \${env:${TOKEN_VARIABLE}}` } } } }),
    },
    {
      app: 'VS Code (headless)',
      where: '.vscode/mcp.json (VS Code asks for the token once and keeps it in its secret storage)',
      text: json({
        inputs: [{ type: 'promptString', id: VS_CODE_INPUT, description: `Gatehouse token for ${t.name}`, password: true }],
        servers: { [t.name]: { type: 'http', url: t.url, headers: { Authorization: `Bearer \${input:${VS_CODE_INPUT}}` } } },
      }),
    },
    {
      app: 'An agent of your own (MCP TypeScript SDK)',
      where: 'the agent’s code',
      text: [
        `const transport = new StreamableHTTPClientTransport(new URL('${t.url}'), {`,
        `  requestInit: { headers: { Authorization: \`Bearer \${process.env.${TOKEN_VARIABLE}}\` } },`,
        '});',
        `await client.connect(transport);`,
      ].join('\n'),
    },
  ];
}
