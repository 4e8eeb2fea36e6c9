import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServe } from '../support/cli.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';

const RECORD = new URL('../support/record-modules.mjs', import.meta.url).href;
/** The MCP SDK's packages, as the URLs the recorder writes name them. */
const MCP_SDK = /\/node_modules\/@modelcontextprotocol\/([^/]+)\//;

describe('a node loads the MCP SDK with its first MCP request, not before', { timeout: 90_000 }, () => {
  let db: TestDatabase | undefined;
  afterEach(async () => db?.drop());

  it('serves REST without it; concurrent first requests to /mcp share one load and are all answered; the other MCP surfaces load on use too', async () => {
    db = await freshDatabase('sqlite');
    const log = join(db.dataDir, 'mcp-modules.log');
    writeFileSync(log, '');
    // The SDK packages the node has loaded so far (the recorder appends each module as it is resolved).
    const loaded = () => [
      ...new Set(
        readFileSync(log, 'utf8')
          .split('\n')
          .flatMap((url) => MCP_SDK.exec(url)?.[1] ?? []),
      ),
    ];
    const { child, summary } = await spawnServe(['--port', '0', '--demo'], { ...db.env, NODE_OPTIONS: `--import ${RECORD}`, RECORD_MODULES: log });
    try {
      const [, token, url] = /^curl -H 'Authorization: Bearer (\S+)' (\S+)$/.exec(summary.demo.curl)!;
      const rest = await fetch(url!, { headers: { authorization: `Bearer ${token}` } });
      expect(rest.status).toBe(200);
      expect(((await rest.json()) as unknown[]).length).toBeGreaterThan(0);
      expect(loaded()).toEqual([]);

      // Their initialize requests arrive while the surface is still loading.
      const clients = Array.from({ length: 4 }, () => new Client({ name: 'lazy-load-test', version: '1' }));
      const mcpUrl = new URL(`${summary.urls.proxy}/mcp`);
      await Promise.all(
        clients.map((c) => c.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { authorization: `Bearer ${token}` } } }))),
      );
      for (const c of clients) {
        const { tools } = await c.listTools();
        expect(tools.map((t) => t.name)).toContain('execute_call');
      }
      const { content } = (await clients[0]!.callTool({ name: 'list_collections', arguments: {} })) as { content: Array<{ type: string; text: string }> };
      expect(content[0]!.text).toContain('Orders');
      await Promise.all(clients.map((c) => c.close()));
      expect(loaded()).toContain('server');

      // The Management MCP and a virtual server, each built on its first request, answer as they always did.
      const management = await fetch(`${summary.urls.admin}/management/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(management.status).toBe(401);
      expect(management.headers.get('www-authenticate')).toContain('resource_metadata=');
      const virtual = await fetch(`${summary.urls.proxy}/mcp/v/no-such-server`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(virtual.status).toBe(401);
      expect(virtual.headers.get('www-authenticate')).toContain('/.well-known/oauth-protected-resource/mcp/v/no-such-server');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
