import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { startStatefulUpstream, type TestUpstream } from './mcp-upstream.js';

/** The MIME type of an MCP App's HTML (the `io.modelcontextprotocol/ui` extension). */
export const MCP_APP_MIME = 'text/html;profile=mcp-app';

/** The UI metadata a host reads off the resource: the sandbox's CSP, its own origin, what it may use. */
export const VIEW_UI_META = {
  csp: { connectDomains: ['https://api.weather.example'], resourceDomains: ['https://cdn.weather.example'] },
  domain: 'weather-view.apps.example',
  permissions: { geolocation: {} },
  prefersBorder: true,
};

export const VIEW_HTML =
  '<!doctype html><html><body><div id="app" data-src="ui://weather/view.html">Weather</div><script>window.parent.postMessage({jsonrpc:"2.0",method:"ui/initialize"},"*")</script></body></html>';
export const LEGACY_HTML = '<!doctype html><html><body>legacy forecast</body></html>';

export interface McpAppsUpstream extends TestUpstream {
  /** `get-weather`'s `_meta.ui`, as every session lists it: change it and the upstream's definition changes. */
  ui: Record<string, unknown>;
}

/**
 * An MCP Apps upstream (SDK v2 McpServer, stateful Streamable HTTP) as the ext-apps specification
 * shapes one: `get-weather` links its UI resource the current way (`_meta.ui.resourceUri`) and
 * may run as a task (`execution.taskSupport: optional`); `legacy-forecast` links its UI the older,
 * flat way (`_meta["ui/resourceUri"]`); both `ui://` resources are HTML with `_meta.ui` (CSP,
 * domain, permissions) on the listing and on the contents. `prefix` keeps two instances apart
 * where a test composes them (`ui://<prefix>weather/…`).
 */
export async function startMcpAppsUpstream(name = 'weather', prefix = ''): Promise<McpAppsUpstream> {
  const viewUri = `ui://${prefix}weather/view.html`;
  const legacyUri = `ui://${prefix}weather/legacy.html`;
  // One object for every session: a test that changes it changes what the upstream lists.
  const ui: Record<string, unknown> = { resourceUri: viewUri, visibility: ['model', 'app'] };
  const upstream = await startStatefulUpstream(name, (server: McpServer) => {
    const tool = server.registerTool(
      'get-weather',
      {
        title: 'Weather',
        description: 'The weather at a place, shown in an interactive view.',
        inputSchema: z.object({ city: z.string() }),
        annotations: { readOnlyHint: true, openWorldHint: true },
        icons: [{ src: 'https://weather.example/icon.png', mimeType: 'image/png', sizes: ['48x48'] }],
        _meta: { ui, 'example.com/owner': 'weather-team' },
      },
      async ({ city }) => ({
        content: [{ type: 'text', text: `Sunny in ${city}` }],
        _meta: { ui: { resourceUri: viewUri } },
      }),
    );
    // registerTool takes no `execution` (the 2026 SDK treats it as 2025-era vocabulary); the
    // listing reads it off the registered tool, so it is set there, as a 2025-11-25 server declares it.
    tool.execution = { taskSupport: 'optional' };
    server.registerTool(
      'legacy-forecast',
      { description: 'A forecast view linked the older, flat way.', _meta: { 'ui/resourceUri': legacyUri } },
      async () => ({ content: [{ type: 'text', text: 'Rain tomorrow' }] }),
    );
    server.registerResource('weather-view', viewUri, { title: 'Weather view', mimeType: MCP_APP_MIME, _meta: { ui: VIEW_UI_META } }, async (uri) => ({
      contents: [{ uri: uri.href, mimeType: MCP_APP_MIME, text: VIEW_HTML, _meta: { ui: VIEW_UI_META } }],
    }));
    server.registerResource('legacy-view', legacyUri, { mimeType: MCP_APP_MIME }, async (uri) => ({
      contents: [{ uri: uri.href, mimeType: MCP_APP_MIME, text: LEGACY_HTML, _meta: { ui: { csp: { connectDomains: [] } } } }],
    }));
    server.registerResource('readme', `docs://${prefix}weather/readme`, { mimeType: 'text/plain' }, async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'not curated' }],
    }));
  });
  return { ...upstream, ui };
}
