import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { LEGACY_HTML, MCP_APP_MIME, type McpAppsUpstream, startMcpAppsUpstream, VIEW_HTML, VIEW_UI_META } from '../support/mcp-apps-upstream.js';
import { modernRequest } from '../support/modern-request.js';
import { clientCredentialsToken } from '../support/oauth.js';

/**
 * MCP Apps (the `io.modelcontextprotocol/ui` extension) through a virtual server: an upstream
 * written with the SDK v2 server, whose tools link a `ui://` resource (HTML with `_meta.ui` CSP,
 * domain and permissions) and declare `execution`, curated by tool only — its UI resources are
 * implied — alone, and composed with a second upstream where names are prefixed and renamed.
 * What the SDK v2 client reads through the gateway is what it reads directly.
 */

type Era = '2025-11-25' | '2026-07-28';
type Listed = { name: string; _meta?: Record<string, unknown> | undefined } & Record<string, unknown>;

let t: TestGatehouse;
let weather: McpAppsUpstream;
let maps: McpAppsUpstream;
let shifty: McpAppsUpstream;
let token: string;
const opened: Client[] = [];

async function connect(url: string, era: Era, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'mcp-apps', version: '1' }, { versionNegotiation: { mode: era === '2025-11-25' ? 'legacy' : { pin: era } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  opened.push(client);
  return client;
}

async function viaGateway(slug: string, era: Era): Promise<Client> {
  const resource = `${t.gh.urls.proxy}/mcp/v/${slug}`;
  const sa = await t.serviceAccount('viewer');
  token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource });
  const client = await connect(resource, era, { authorization: `Bearer ${token}` });
  expect(client.getNegotiatedProtocolVersion()).toBe(era);
  return client;
}

/** A listed tool's UI link, either way the extension has spelled it. */
const uiLink = (tool: Listed): string | undefined =>
  ((tool._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri ?? tool._meta?.['ui/resourceUri']) as string | undefined;

async function register(name: string, url: string, definitionsTtlMs = 60_000): Promise<string> {
  const res = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name, url, timeoutMs: 10_000, maxResultChars: 100_000, definitionsTtlMs });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function publish(body: Record<string, unknown>): Promise<void> {
  const res = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', { name: body.slug, published: true, prompts: [], resources: [], ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

beforeAll(async () => {
  [t, weather, maps, shifty] = await Promise.all([
    startTestGatehouse('sqlite'),
    startMcpAppsUpstream('weather'),
    startMcpAppsUpstream('maps', 'maps-'),
    startMcpAppsUpstream('shifty', 'shifty-'),
  ]);
  const weatherId = await register('weather', weather.url);
  const mapsId = await register('maps', maps.url);
  // Its definitions read afresh on every list: a change shows at once.
  const shiftyId = await register('shifty', shifty.url, 0);
  await publish({ slug: 'apps-shifty', upstreamIds: [shiftyId], tools: [{ upstreamId: shiftyId, name: 'get-weather' }] });
  // Tools only: the UI resources they link are implied.
  await publish({
    slug: 'apps',
    upstreamIds: [weatherId],
    tools: [
      { upstreamId: weatherId, name: 'get-weather' },
      { upstreamId: weatherId, name: 'legacy-forecast' },
    ],
  });
  // Two upstreams: names prefixed, one renamed, a curated resource beside the implied ones.
  await publish({
    slug: 'apps-composed',
    upstreamIds: [weatherId, mapsId],
    tools: [
      { upstreamId: weatherId, name: 'get-weather', rename: 'forecast', description: 'The forecast, curated.' },
      { upstreamId: mapsId, name: 'get-weather' },
    ],
    resources: [{ upstreamId: mapsId, uri: 'docs://maps-weather/readme' }],
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
  await t?.close();
  await Promise.all([weather?.close(), maps?.close(), shifty?.close()]);
});

describe('MCP Apps through a virtual server', () => {
  it('a 2025-11-25 client sees each tool definition as the upstream gives it: execution, title, icons, annotations, _meta', async () => {
    const direct = await connect(weather.url, '2025-11-25');
    const virtual = await viaGateway('apps', '2025-11-25');
    const want = (await direct.listTools()).tools as Listed[];
    const got = (await virtual.listTools()).tools as Listed[];
    expect(got.map((tool) => tool.name)).toEqual(['get-weather', 'legacy-forecast']);
    for (const tool of got) expect(tool).toEqual(want.find((w) => w.name === tool.name));
    const weatherTool = got.find((tool) => tool.name === 'get-weather');
    expect(weatherTool?.execution).toEqual({ taskSupport: 'optional' });
    expect(uiLink(weatherTool as Listed)).toBe('ui://weather/view.html');
  });

  it('a 2026-07-28 client sees the UI link and every other field the revision has', async () => {
    // The upstream speaks the 2025 revisions; 2026-07-28 deleted `execution` from Tool (tasks are
    // the SEP-2663 extension's, server-directed), so a 2026 client gets every field but that one.
    const direct = await connect(weather.url, '2025-11-25');
    const virtual = await viaGateway('apps', '2026-07-28');
    const want = ((await direct.listTools()).tools as Listed[]).map(({ execution: _deleted, ...rest }) => rest);
    const got = (await virtual.listTools()).tools as Listed[];
    for (const tool of got) expect(tool).toEqual(want.find((w) => w.name === tool.name));
    expect(got.map(uiLink)).toEqual(['ui://weather/view.html', 'ui://weather/legacy.html']);
  });

  for (const era of ['2025-11-25', '2026-07-28'] as const) {
    it(`${era}: the UI resources a curated tool links are listed and read as directly, HTML and _meta.ui unchanged`, async () => {
      const direct = await connect(weather.url, '2025-11-25');
      const virtual = await viaGateway('apps', era);
      const listed = (await virtual.listResources()).resources;
      // Implied by the curated tools; the upstream's other resource is not curated.
      expect(listed.map((r) => r.uri)).toEqual(['ui://weather/legacy.html', 'ui://weather/view.html']);
      const directList = (await direct.listResources()).resources;
      for (const r of listed) expect(r).toEqual(directList.find((d) => d.uri === r.uri));

      for (const tool of (await virtual.listTools()).tools as Listed[]) {
        const uri = uiLink(tool) as string;
        // Contents alike (a 2026 result's own `_meta` names the server that answered it).
        expect((await virtual.readResource({ uri })).contents).toEqual((await direct.readResource({ uri })).contents);
      }
      const view = await virtual.readResource({ uri: 'ui://weather/view.html' });
      expect(view.contents[0]).toMatchObject({ mimeType: MCP_APP_MIME, text: VIEW_HTML, _meta: { ui: VIEW_UI_META } });
      expect((await virtual.readResource({ uri: 'ui://weather/legacy.html' })).contents[0]).toMatchObject({ text: LEGACY_HTML });
      await expect(virtual.readResource({ uri: 'docs://weather/readme' })).rejects.toThrow(/Unknown resource/);
    });
  }

  it('a composed server prefixes and renames tools, and each keeps a working link to its own UI resource', async () => {
    const virtual = await viaGateway('apps-composed', '2025-11-25');
    const tools = (await virtual.listTools()).tools as Listed[];
    expect(tools.map((tool) => tool.name)).toEqual(['maps__get-weather', 'weather__forecast']);
    const [mapsTool, weatherTool] = tools as [Listed, Listed];
    expect(weatherTool.description).toBe('The forecast, curated.');
    expect(weatherTool.execution).toEqual({ taskSupport: 'optional' });
    expect(mapsTool.execution).toEqual({ taskSupport: 'optional' });
    expect(uiLink(weatherTool)).toBe('ui://weather/view.html');
    expect(uiLink(mapsTool)).toBe('ui://maps-weather/view.html');

    const listed = (await virtual.listResources()).resources.map((r) => r.uri);
    expect(listed).toEqual(['docs://maps-weather/readme', 'ui://maps-weather/view.html', 'ui://weather/view.html']);
    for (const [tool, upstream] of [
      [weatherTool, weather],
      [mapsTool, maps],
    ] as const) {
      const uri = uiLink(tool) as string;
      const direct = await connect(upstream.url, '2025-11-25');
      expect(await virtual.readResource({ uri })).toEqual(await direct.readResource({ uri }));
    }
    // A tool not curated links nothing here: its UI is not served.
    await expect(virtual.readResource({ uri: 'ui://weather/legacy.html' })).rejects.toThrow(/Unknown resource/);
  });

  for (const era of ['2025-11-25', '2026-07-28'] as const) {
    it(`${era}: calls a UI tool through the virtual server with its result _meta intact`, async () => {
      const virtual = await viaGateway('apps-composed', era);
      const result = await virtual.callTool({ name: 'weather__forecast', arguments: { city: 'Lyon' } });
      expect(result.content).toEqual([{ type: 'text', text: 'Sunny in Lyon' }]);
      expect(result._meta?.ui).toEqual({ resourceUri: 'ui://weather/view.html' });
    });
  }

  it('a raw 2026-07-28 tools/list carries execution on the wire (the SDK v2 client drops it: the revision deleted it from Tool)', async () => {
    await viaGateway('apps', '2026-07-28');
    const body = (await modernRequest(`${t.gh.urls.proxy}/mcp/v/apps`, token, 'tools/list', {})).body as unknown as {
      result: { tools: Listed[]; _meta: Record<string, unknown> };
    };
    const tool = body.result.tools.find((x) => x.name === 'get-weather');
    expect(tool?.execution).toEqual({ taskSupport: 'optional' });
    expect(uiLink(tool as Listed)).toBe('ui://weather/view.html');
    expect(body.result._meta['io.modelcontextprotocol/serverInfo']).toBeDefined();
  });

  it('a tool whose upstream changes the view it links is withheld until approved, and its old view is no longer served', async () => {
    const virtual = await viaGateway('apps-shifty', '2025-11-25');
    expect(((await virtual.listTools()).tools as Listed[]).map(uiLink)).toEqual(['ui://shifty-weather/view.html']);
    expect((await virtual.readResource({ uri: 'ui://shifty-weather/view.html' })).contents[0]).toMatchObject({ text: VIEW_HTML });
    // A rug pull of the view alone: same name, description and schema.
    shifty.ui.resourceUri = 'ui://shifty-weather/legacy.html';
    try {
      expect((await virtual.listTools()).tools).toEqual([]);
      await expect(virtual.readResource({ uri: 'ui://shifty-weather/view.html' })).rejects.toThrow(/Unknown resource/);
      await expect(virtual.readResource({ uri: 'ui://shifty-weather/legacy.html' })).rejects.toThrow(/Unknown resource/);
      const called = await virtual.callTool({ name: 'get-weather', arguments: { city: 'Lyon' } });
      expect(called.isError).toBe(true);
      expect(JSON.stringify(called.content)).toMatch(/GATEHOUSE_MCP_TOOL_CHANGED/);
    } finally {
      shifty.ui.resourceUri = 'ui://shifty-weather/view.html';
    }
  });
});
