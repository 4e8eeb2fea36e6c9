import type { Client } from '@modelcontextprotocol/client';
import { ProtocolError } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { startTokenEndpoint, type TokenEndpoint } from '../support/token-endpoint.js';
import { connectedClient } from '../support/mcp-client.js';

/**
 * An upstream that echoes the credential the gateway sent it — into prompts, resources, tool
 * results, tool definitions and error messages — never gets it to the AI client: a static header
 * value or a client-credentials token is cut out wherever it sits, and is in no request-log or
 * audit entry either.
 */

const STATIC_TOKEN = 'static-upstream-token-5e1b9d2c47';
const CLIENT_SECRET = 'echo-client-secret-8a4f2e6b';

let t: TestGatehouse;
let idp: TokenEndpoint;
let upstream: TestUpstream;
let sa: { clientId: string; clientSecret: string };

/** What the upstream was just sent: the Authorization header of the request it is answering. */
const heard = () => upstream.authorizations.at(-1) ?? '';
const bare = () => heard().replace(/^Bearer /, '');

beforeAll(async () => {
  t = await startTestGatehouse('sqlite', { tokenEndpoints: { allowPrivateNetworks: true, timeoutMs: 2_000 } });
  idp = await startTokenEndpoint('echo', CLIENT_SECRET);
  upstream = await startStatefulUpstream('echo', (s) => {
    s.registerTool('leaky', { description: `Echoes what it was sent (session opened with ${bare()})`, inputSchema: z.object({}) }, async () => ({
      content: [
        { type: 'text', text: `you sent ${heard()}` },
        { type: 'resource', resource: { uri: 'echo://auth', mimeType: 'text/plain', text: `token=${bare()}` } },
      ],
      structuredContent: { authorization: heard(), nested: { token: bare() } },
    }));
    s.registerTool('throws', { description: 'Fails, naming its credential', inputSchema: z.object({}) }, async () => {
      throw new Error(`refused credential ${bare()}`);
    });
    s.registerPrompt('echo_prompt', { description: 'Echoes the credential' }, () => ({
      description: `made for ${bare()}`,
      messages: [
        { role: 'user', content: { type: 'text', text: `Authorization: ${heard()}` } },
        { role: 'user', content: { type: 'resource', resource: { uri: 'echo://embedded', mimeType: 'text/plain', text: bare() } } },
      ],
    }));
    s.registerPrompt('broken_prompt', { description: 'Fails with the token in its error' }, () => {
      throw new ProtocolError(-32603, `upstream refused token ${bare()}`);
    });
    s.registerResource('echo_text', 'echo://text', { mimeType: 'text/plain' }, async (uri) => ({
      contents: [{ uri: uri.href, text: `the header was ${heard()}` }],
    }));
    s.registerResource('echo_blob', 'echo://blob', { mimeType: 'application/octet-stream' }, async (uri) => ({
      contents: [{ uri: uri.href, blob: Buffer.from(`\u0000bytes around ${bare()} and more`).toString('base64') }],
    }));
    s.registerResource('broken_resource', 'echo://broken', { mimeType: 'text/plain' }, async () => {
      throw new ProtocolError(-32603, `cannot read with ${heard()}`);
    });
  });
  const credential = await call(t.api, t.adminToken, 'POST', '/backend-credentials', {
    name: 'echo-oauth',
    type: 'oauth2_client_credentials',
    tokenUrl: idp.url,
    clientId: 'echo',
    clientSecret: CLIENT_SECRET,
  });
  expect(credential.status, JSON.stringify(credential.body)).toBe(201);
  const servers = {
    static: await call(t.api, t.adminToken, 'POST', '/mcp-servers', {
      name: 'echo-static',
      url: upstream.url,
      auth: 'static',
      headers: { Authorization: `Bearer ${STATIC_TOKEN}` },
    }),
    cc: await call(t.api, t.adminToken, 'POST', '/mcp-servers', {
      name: 'echo-cc',
      url: upstream.url,
      auth: 'oauth_client_credentials',
      credentialId: credential.body.id,
    }),
  };
  for (const [slug, server] of Object.entries(servers)) {
    expect(server.status, JSON.stringify(server.body)).toBe(201);
    const id = server.body.id as string;
    const vmcp = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug: `echo-${slug}`,
      name: `Echo ${slug}`,
      upstreamIds: [id],
      tools: ['leaky', 'throws'].map((name) => ({ upstreamId: id, name })),
      prompts: ['echo_prompt', 'broken_prompt'].map((name) => ({ upstreamId: id, name })),
      resources: ['echo://text', 'echo://blob', 'echo://broken'].map((uri) => ({ upstreamId: id, uri })),
      published: true,
    });
    expect(vmcp.status, JSON.stringify(vmcp.body)).toBe(201);
  }
  sa = await t.serviceAccount('viewer');
}, 60_000);

afterAll(async () => {
  await upstream?.close();
  await idp?.close();
  await t?.close();
});

async function connect(slug: string): Promise<Client> {
  const url = `${t.gh.urls.proxy}/mcp/v/${slug}`;
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: url });
  return connectedClient(url, token, { name: 'secrets-test' });
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => ({ message: (e as Error).message, code: (e as { code?: unknown }).code, data: (e as { data?: unknown }).data }),
  );

/** Everything an AI client sees of one virtual server: lists, a prompt, resources, tool results and errors. */
async function everythingSeen(slug: string): Promise<{ seen: unknown[]; sent: string[] }> {
  const client = await connect(slug);
  const sent = new Set<string>();
  const note = () => sent.add(bare());
  const seen: unknown[] = [];
  seen.push(await client.listTools());
  seen.push(await client.listPrompts());
  seen.push(await client.listResources());
  const leaky = await client.callTool({ name: 'leaky', arguments: {} });
  note();
  seen.push(leaky);
  expect(leaky.content).toEqual([
    { type: 'text', text: 'you sent [redacted]' },
    { type: 'resource', resource: { uri: 'echo://auth', mimeType: 'text/plain', text: 'token=[redacted]' } },
  ]);
  expect(leaky.structuredContent).toEqual({ authorization: '[redacted]', nested: { token: '[redacted]' } });
  const thrown = await client.callTool({ name: 'throws', arguments: {} });
  note();
  seen.push(thrown);
  expect(thrown.isError).toBe(true);
  expect(JSON.stringify(thrown.content)).toContain('refused credential [redacted]');
  const prompt = await client.getPrompt({ name: 'echo_prompt' });
  note();
  seen.push(prompt);
  expect(prompt.description).toBe('made for [redacted]');
  expect(prompt.messages.map((m) => m.content)).toEqual([
    { type: 'text', text: 'Authorization: [redacted]' },
    { type: 'resource', resource: { uri: 'echo://embedded', mimeType: 'text/plain', text: '[redacted]' } },
  ]);
  const text = await client.readResource({ uri: 'echo://text' });
  note();
  seen.push(text);
  expect(text.contents[0]).toMatchObject({ text: 'the header was [redacted]' });
  const blob = await client.readResource({ uri: 'echo://blob' });
  note();
  seen.push(blob);
  expect(Buffer.from((blob.contents[0] as { blob: string }).blob, 'base64').toString()).toBe('\u0000bytes around [redacted] and more');
  // Errors the upstream raises with the token in them: a clear GATEHOUSE_ error, the token cut.
  for (const attempt of [client.getPrompt({ name: 'broken_prompt' }), client.readResource({ uri: 'echo://broken' })]) {
    const err = await failure(attempt);
    note();
    seen.push(err);
    expect(err.message).toContain('GATEHOUSE_MCP_UPSTREAM_ERROR');
    expect(err.message).toContain('[redacted]');
  }
  await client.close();
  return { seen, sent: [...sent] };
}

describe('secrets an upstream echoes never reach the AI client', () => {
  it('a static header value is cut from prompts, resources, tool results, definitions and errors', async () => {
    const { seen, sent } = await everythingSeen('echo-static');
    expect(sent).toEqual([STATIC_TOKEN]);
    expect(JSON.stringify(seen)).not.toContain(STATIC_TOKEN);
    expect(JSON.stringify(seen)).toContain('Echoes what it was sent (session opened with [redacted])');
  });

  it('a client-credentials token is cut the same way, and so is the client secret', async () => {
    const { seen, sent } = await everythingSeen('echo-cc');
    expect(sent.length).toBeGreaterThan(0);
    for (const token of sent) expect(idp.issued).toContain(token);
    const all = JSON.stringify(seen);
    for (const token of idp.issued) expect(all).not.toContain(token);
    expect(all).not.toContain(CLIENT_SECRET);
  });

  it('no request-log or audit entry carries one either', async () => {
    // The writer batches request logs: wait until the federated calls have been written.
    const logs = await vi.waitFor(
      async () => {
        const res = await call(t.api, t.adminToken, 'GET', '/request-logs?limit=500&channel=federation');
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeGreaterThan(0);
        return res;
      },
      { timeout: 15_000, interval: 200 },
    );
    const audit = await call(t.api, t.adminToken, 'GET', '/audit-logs?limit=500');
    const all = JSON.stringify([logs.body, audit.body]);
    for (const secret of [STATIC_TOKEN, CLIENT_SECRET, ...idp.issued]) expect(all).not.toContain(secret);
  });
});
