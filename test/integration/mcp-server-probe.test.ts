import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';

const SECRET = 'Bearer probe-s3cret-value';

// `mcp-servers.probe`: what an upstream offers, before it is saved (the console's "Test connection").
describe('probing an upstream MCP server', () => {
  let guarded: TestGatehouse;
  let open: TestGatehouse;
  let upstream: TestUpstream;

  beforeAll(async () => {
    upstream = await startStatefulUpstream(
      'probed',
      (s) => {
        s.registerTool('lookup', { description: `Looks up (sent with ${SECRET})`, inputSchema: z.object({ word: z.string() }) }, async ({ word }) => ({
          content: [{ type: 'text', text: word }],
        }));
        s.registerPrompt('greet', { description: 'Says hello' }, () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }] }));
      },
      { authorize: (authorization) => authorization === SECRET },
    );
    [guarded, open] = await Promise.all([startTestGatehouse('sqlite', { mcpAllowPrivateUpstreams: false }), startTestGatehouse('sqlite')]);
  }, 60_000);

  afterAll(async () => {
    await guarded?.close();
    await open?.close();
    await upstream?.close();
  });

  it('lists the tools and prompts of settings not saved, with the static headers, and echoed header values cut out', async () => {
    const res = await call(open.api, open.adminToken, 'POST', '/mcp-servers/probe', {
      name: 'probed',
      url: upstream.url,
      auth: 'static',
      headers: { authorization: SECRET },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ reachable: true, error: null, tools: [{ name: 'lookup' }], prompts: [{ name: 'greet' }], resources: [] });
    expect(JSON.stringify(res.body)).not.toContain('probe-s3cret-value');
    // Nothing saved; the probe is audited without its headers.
    expect((await call(open.api, open.adminToken, 'GET', '/mcp-servers')).body.items).toEqual([]);
    const audit = await call(open.api, open.adminToken, 'GET', '/audit-logs?action=mcp-servers.probe');
    expect(audit.body.items).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain('probe-s3cret-value');
  });

  it('answers a server that refuses the gateway as unreachable with its reason, and probes a saved server by id', async () => {
    const refused = await call(open.api, open.adminToken, 'POST', '/mcp-servers/probe', { name: 'probed', url: upstream.url });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ reachable: false, error: { code: 'GATEHOUSE_MCP_UPSTREAM_ERROR' }, tools: [] });
    const saved = await call(open.api, open.adminToken, 'POST', '/mcp-servers', {
      name: 'probed',
      url: upstream.url,
      auth: 'static',
      headers: { authorization: SECRET },
    });
    const byId = await call(open.api, open.adminToken, 'POST', '/mcp-servers/probe', { id: saved.body.id });
    expect(byId.body).toMatchObject({ reachable: true, tools: [{ name: 'lookup' }] });
    expect((await call(open.api, open.adminToken, 'POST', '/mcp-servers/probe', { id: 'mcs_nope' })).status).toBe(404);
  });

  it('never reaches loopback or private addresses unless the gateway allows them, and a viewer may not probe', async () => {
    const res = await call(guarded.api, guarded.adminToken, 'POST', '/mcp-servers/probe', {
      name: 'probed',
      url: upstream.url,
      auth: 'static',
      headers: { authorization: SECRET },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      reachable: false,
      error: { code: 'GATEHOUSE_MCP_UPSTREAM_PRIVATE', message: expect.stringMatching(/loopback, private or link-local/) },
    });
    // The refusal names both ways to lift it: the deployment's setting and the server's field.
    expect(res.body.error.message).toContain('GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS=true');
    expect(res.body.error.message).toContain('allowPrivateNetwork');
    expect(res.body.error.message).not.toContain('does not call');
    const metadata = await call(guarded.api, guarded.adminToken, 'POST', '/mcp-servers/probe', { name: 'm', url: 'http://169.254.169.254/mcp' });
    expect(metadata.body).toMatchObject({ reachable: false, error: { code: 'GATEHOUSE_MCP_UPSTREAM_PRIVATE' } });
    const viewer = await guarded.user('viewer');
    const denied = await call(guarded.api, viewer.token, 'POST', '/mcp-servers/probe', { name: 'probed', url: upstream.url });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('GATEHOUSE_FORBIDDEN');
  });
});
