import { readFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

let t: TestGatehouse;
let client: Client;
const LOCAL = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };
const run = <T = any>(op: string, input: unknown) => t.gh.executor.dispatch(op, input, LOCAL) as Promise<T>;

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  const col = await run('collections.create', { slug: 'github', name: 'GitHub REST API', published: true });
  const text = readFileSync(new URL('../../node_modules/@octokit/openapi/generated/api.github.com.json', import.meta.url), 'utf8');
  await run('proxies.import-openapi', { collectionId: col.id, document: text, basePath: '/github', excludeFromMcp: ['repos/delete'] });
  const c = await run('clients.create', { name: 'agent', collectionIds: [col.id] });
  const p = await run('profiles.create', { clientId: c.id, name: 'default', authType: 'token' });
  const issued = await run('credentials.issue', { profileId: p.id });
  client = new Client({ name: 'github-test', version: '1' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.gh.urls.proxy}/mcp`), { requestInit: { headers: { authorization: `Bearer ${issued.token}` } } }),
  );
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
});

async function top(query: string, n = 1): Promise<string[]> {
  const res: any = await client.callTool({ name: 'search_endpoints', arguments: { query, limit: n } });
  return res.structuredContent.results.map((r: any) => `${r.method} ${r.path}`);
}

describe("Gateway MCP over GitHub's imported OpenAPI description", () => {
  it('search_endpoints finds the right operations among ~1,200', async () => {
    expect(await top('create an issue')).toEqual(['POST /github/repos/{owner}/{repo}/issues']);
    expect(await top('list pull requests')).toEqual(['GET /github/repos/{owner}/{repo}/pulls']);
    expect(await top('get the authenticated user')).toEqual(['GET /github/user']);
    expect(await top('create a release')).toEqual(['POST /github/repos/{owner}/{repo}/releases']);
    expect(await top('star a repository', 3)).toContain('PUT /github/user/starred/{owner}/{repo}');
    // One item, not the list: the operation whose path ends in the item's parameter comes first.
    expect(await top('look up a single pull request')).toEqual(['GET /github/repos/{owner}/{repo}/pulls/{pull_number}']);
    expect(await top('get one issue by its number')).toEqual(['GET /github/repos/{owner}/{repo}/issues/{issue_number}']);
    expect(await top('get the details of a single release')).toEqual(['GET /github/repos/{owner}/{repo}/releases/{release_id}']);
    expect(await top('get a specific gist')).toEqual(['GET /github/gists/{gist_id}']);
    // The resource in the singular asks for one item.
    expect(await top('get a pull request')).toEqual(['GET /github/repos/{owner}/{repo}/pulls/{pull_number}']);
    expect(await top('get a release of a repository')).toEqual(['GET /github/repos/{owner}/{repo}/releases/{release_id}']);
    expect(await top('get a label')).toEqual(['GET /github/repos/{owner}/{repo}/labels/{name}']);
    // Excluded from MCP by operationId: never found.
    expect(await top('delete a repository', 10)).not.toContain('DELETE /github/repos/{owner}/{repo}');
  });

  it('lists and inspects a large collection in pages, with bounded contracts', async () => {
    const cols: any = await client.callTool({ name: 'list_collections', arguments: {} });
    expect(cols.structuredContent.collections[0]).toMatchObject({ slug: 'github', endpointCount: 1_222 });
    const page: any = await client.callTool({ name: 'list_endpoints', arguments: { collection: 'github', limit: 200 } });
    expect(page.structuredContent.endpoints).toHaveLength(200);
    expect(page.structuredContent.nextCursor).toBe('200');
    const contract: any = await client.callTool({ name: 'inspect_contract', arguments: { endpoint: 'POST /github/repos/{owner}/{repo}/issues' } });
    expect(contract.structuredContent).toMatchObject({
      operationId: 'issues/create',
      parameters: {
        path: [
          { name: 'owner', required: true },
          { name: 'repo', required: true },
        ],
      },
      requestBody: { required: true, schema: { type: 'object', required: ['title'] } },
    });
    expect(contract.content[0].text.length).toBeLessThan(200_000);
    const bad: any = await client.callTool({
      name: 'execute_call',
      arguments: { endpoint: 'POST /github/repos/{owner}/{repo}/issues', params: { path: { owner: 'octo' }, body: { body: 'no title' } } },
    });
    expect(bad.structuredContent.error.details.map((d: any) => d.path).sort()).toEqual(['params.body.title', 'params.path.repo']);
  });
});
