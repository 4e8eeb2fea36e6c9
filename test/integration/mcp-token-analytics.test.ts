import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { clientCredentialsToken, tokenRequest } from '../support/oauth.js';

/**
 * Token-cost analytics (#53): the o200k_base tokens a virtual server listed (tools/list) and
 * returned (tool results) per server, tool, user and agent over time, from `mcp-analytics` (the
 * request log's rows rolled up), and as the Prometheus counter by server and tool. Real SDK v2
 * clients of two service accounts call server-everything through the gateway; the expected counts
 * are the same tokenizer's count of what those clients received.
 */

let t: TestGatehouse;
let everything: EverythingUpstream;
let serverId: string;
const clients: Client[] = [];
const URL_OF = () => `${t.gh.urls.proxy}/mcp/v/tokens`;

async function connect(): Promise<{ client: Client }> {
  const sa = await t.serviceAccount('viewer');
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: URL_OF() });
  const client = new Client({ name: 'token-analytics-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(URL_OF()), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  clients.push(client);
  return { client };
}

const textOf = (r: unknown) =>
  (r as { content: Array<{ type: string; text?: string }> }).content
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('');

beforeAll(async () => {
  [t, everything] = await Promise.all([startTestGatehouse('sqlite'), startEverything()]);
  const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'everything', url: everything.url, timeoutMs: 15_000 });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  const upstreamId = (server.body as { id: string }).id;
  const virtual = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
    slug: 'tokens',
    name: 'Tokens',
    upstreamIds: [upstreamId],
    tools: [
      { upstreamId, name: 'echo' },
      { upstreamId, name: 'get-sum' },
    ],
    published: true,
  });
  expect(virtual.status, JSON.stringify(virtual.body)).toBe(201);
  serverId = (virtual.body as { id: string }).id;
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await t?.close();
  await everything?.close();
});

describe('token-cost analytics of a virtual MCP server', () => {
  it('counts the tokens listed and returned per server, tool and user, over time, and in the Prometheus counter', async () => {
    const ada = await connect();
    const bob = await connect();
    await ada.client.listTools();
    await ada.client.listTools();
    const echoed = [
      await ada.client.callTool({ name: 'echo', arguments: { message: 'how many tokens does this answer cost a model?' } }),
      await ada.client.callTool({ name: 'echo', arguments: { message: 'and this one' } }),
    ];
    const summed = await bob.client.callTool({ name: 'get-sum', arguments: { a: 40, b: 2 } });
    const echoTokens = echoed.reduce((n, r) => n + countTokens(textOf(r)), 0);
    const sumTokens = countTokens(textOf(summed));
    expect(echoTokens).toBeGreaterThan(10);
    // The listing as served, counted as the context view counts it (tested token for token against tools/list).
    const listingTokens = (await call(t.api, t.adminToken, 'GET', `/virtual-mcps/${serverId}/context`)).body.listingTokens as number;
    expect(listingTokens).toBeGreaterThan(50);

    let answer: Record<string, any> = {};
    for (let i = 0; i < 100; i++) {
      const res = await call(t.api, t.adminToken, 'GET', '/mcp-analytics?server=tokens&groupBy=tool,user&bucket=minute');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      answer = res.body as Record<string, any>;
      if (answer.totals.calls === 3 && answer.totals.tokensListed === 2 * listingTokens) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer.totals).toMatchObject({ calls: 3, tokensReturned: echoTokens + sumTokens, tokensListed: 2 * listingTokens });
    const group = (tool: string) => answer.groups.find((g: any) => g.tool === tool);
    expect(group('echo')).toMatchObject({ calls: 2, tokensReturned: echoTokens, tokensListed: 0 });
    expect(group('get-sum')).toMatchObject({ calls: 1, tokensReturned: sumTokens });
    // Two callers: Ada called echo, Bob get-sum.
    const adaSubject = group('echo').user as string;
    expect(adaSubject).toMatch(/^service:/);
    expect(group('get-sum').user).not.toBe(adaSubject);
    // A listing names no tool: no group of its own (the totals count it).
    expect(answer.groups.some((g: any) => g.calls === 0)).toBe(false);
    // Over time: the buckets add up to the totals.
    const series = answer.timeseries as Array<{ start: string; tokensReturned: number; tokensListed: number }>;
    expect(series.reduce((n, p) => n + p.tokensReturned, 0)).toBe(echoTokens + sumTokens);
    expect(series.reduce((n, p) => n + p.tokensListed, 0)).toBe(2 * listingTokens);

    // By user alone: each caller's listed and returned tokens together.
    const byUser = (await call(t.api, t.adminToken, 'GET', '/mcp-analytics?server=tokens&groupBy=user')).body as Record<string, any>;
    expect(byUser.groups.find((g: any) => g.user === adaSubject)).toMatchObject({ calls: 2, tokensReturned: echoTokens, tokensListed: 2 * listingTokens });

    // Prometheus: by server and tool (and direction), never by user.
    const metrics = await (await fetch(`${t.gh.urls.proxy}/metrics`)).text();
    expect(metrics).toContain(`gatehouse_mcp_tokens_total{server="tokens",tool="echo",direction="returned"} ${echoTokens}`);
    expect(metrics).toContain(`gatehouse_mcp_tokens_total{server="tokens",tool="get-sum",direction="returned"} ${sumTokens}`);
    expect(metrics).toContain(`gatehouse_mcp_tokens_total{server="tokens",tool="",direction="listed"} ${2 * listingTokens}`);
    expect(
      metrics
        .split('\n')
        .filter((l) => l.startsWith('gatehouse_mcp_tokens_total'))
        .join('\n'),
    ).not.toContain('service:');

    // The same answer on the Management MCP and the CLI (both generated from the registry).
    const operatorAccount = await t.serviceAccount('admin');
    const mcpUrl = `${t.gh.urls.admin}/management/mcp`;
    const issued = await tokenRequest(
      t.gh.urls.issuer,
      { grant_type: 'client_credentials', resource: mcpUrl, scope: 'gatehouse:management' },
      { clientId: operatorAccount.clientId, clientSecret: operatorAccount.clientSecret },
    );
    const operator = new Client({ name: 'operator', version: '1' });
    await operator.connect(
      new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${issued.body.access_token}` } } }),
    );
    clients.push(operator);
    const viaMcp = await operator.callTool({ name: 'query_mcp_analytics', arguments: { action: 'query', params: { server: 'tokens', groupBy: 'user' } } });
    expect(viaMcp.isError, textOf(viaMcp)).toBeFalsy();
    expect(JSON.parse(textOf(viaMcp)).totals).toMatchObject({ tokensReturned: echoTokens + sumTokens, tokensListed: 2 * listingTokens });
    const env = {
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'gatehouse-tokens-cli-')),
      GATEHOUSE_SERVER: t.gh.urls.admin,
      GATEHOUSE_CLIENT_ID: operatorAccount.clientId,
      GATEHOUSE_CLIENT_SECRET: operatorAccount.clientSecret,
    };
    const viaCli = await runCli(['mcp-analytics', 'query', '--group-by', 'user', '--json'], env);
    expect(viaCli.code, viaCli.stderr).toBe(0);
    expect(JSON.parse(viaCli.stdout).totals).toMatchObject({ tokensReturned: echoTokens + sumTokens, tokensListed: 2 * listingTokens });
  });
});
