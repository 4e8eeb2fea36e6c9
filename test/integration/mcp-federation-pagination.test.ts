import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, ProtocolError, Server } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { connectedClient } from '../support/mcp-client.js';

/**
 * Prompts and resources of a virtual server when there are many: the gateway follows the
 * upstream's cursors to see all of them, and hands them out downstream a page at a time in a
 * stable order, with cursors any node can continue.
 */

const pad = (i: number) => String(i).padStart(3, '0');
const PROMPTS = Array.from({ length: 250 }, (_, i) => `prompt_${pad(i)}`);
const URIS = Array.from({ length: 250 }, (_, i) => `docs://page/${pad(i)}`);
const UPSTREAM_PAGE = 40;

interface PagingUpstream {
  url: string;
  /** The cursor of every list request (undefined: the first page). */
  cursors: { method: string; cursor: string | undefined }[];
  close(): Promise<void>;
}

/** An upstream (SDK v2 low-level server) that pages its prompts and resources `UPSTREAM_PAGE` at a time; `endless` hands out a next cursor forever. */
async function startPagingUpstream(endless = false): Promise<PagingUpstream> {
  const cursors: PagingUpstream['cursors'] = [];
  const slice = <T>(all: T[], cursor: string | undefined) => {
    const from = cursor === undefined ? 0 : Number(cursor);
    if (!Number.isInteger(from) || from < 0) throw new ProtocolError(-32602, 'Invalid cursor');
    const next = from + UPSTREAM_PAGE;
    if (endless) return { items: all.slice(0, UPSTREAM_PAGE), nextCursor: String(from + 1) };
    return { items: all.slice(from, next), nextCursor: next < all.length ? String(next) : undefined };
  };
  const mcp = createMcpHandler(() => {
    const server = new Server({ name: 'pager', version: '1' }, { capabilities: { prompts: {}, resources: {} } });
    server.setRequestHandler('prompts/list', (req) => {
      cursors.push({ method: 'prompts/list', cursor: req.params?.cursor });
      const { items, nextCursor } = slice(PROMPTS, req.params?.cursor);
      return { prompts: items.map((name) => ({ name, description: `Prompt ${name}` })), ...(nextCursor ? { nextCursor } : {}) };
    });
    server.setRequestHandler('prompts/get', (req) => ({ messages: [{ role: 'user', content: { type: 'text', text: `you asked for ${req.params.name}` } }] }));
    server.setRequestHandler('resources/list', (req) => {
      cursors.push({ method: 'resources/list', cursor: req.params?.cursor });
      const { items, nextCursor } = slice(URIS, req.params?.cursor);
      return { resources: items.map((uri) => ({ uri, name: uri.split('/').at(-1)! })), ...(nextCursor ? { nextCursor } : {}) };
    });
    server.setRequestHandler('resources/read', (req) => ({ contents: [{ uri: req.params.uri, text: `content of ${req.params.uri}` }] }));
    return server;
  });
  const node = toNodeHandler(mcp);
  const http: HttpServer = createServer((req, res) => void node(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, cursors, close: () => new Promise<void>((resolve) => http.close(() => resolve())) };
}

let t: TestGatehouse;
let pager: PagingUpstream;
let endless: PagingUpstream;
let sa: { clientId: string; clientSecret: string };
// Every fifth prompt and resource is left out: curation still applies across the upstream's pages.
const curatedPrompts = PROMPTS.filter((_, i) => i % 5 !== 0);
const curatedUris = URIS.filter((_, i) => i % 5 !== 0);

beforeAll(async () => {
  [t, pager, endless] = await Promise.all([startTestGatehouse('sqlite'), startPagingUpstream(), startPagingUpstream(true)]);
  const create = async (path: string, body: unknown) => {
    const res = await call(t.api, t.adminToken, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };
  const { id } = await create('/mcp-servers', { name: 'pager', url: pager.url });
  await create('/virtual-mcps', {
    slug: 'library',
    name: 'Library',
    upstreamIds: [id],
    // Curated in reverse: the downstream order is the names', not the allowlist's.
    prompts: [...curatedPrompts].reverse().map((name) => ({ upstreamId: id, name })),
    resources: [...curatedUris].reverse().map((uri) => ({ upstreamId: id, uri })),
    published: true,
  });
  const loop = await create('/mcp-servers', { name: 'endless', url: endless.url, timeoutMs: 10_000 });
  await create('/virtual-mcps', {
    slug: 'endless',
    name: 'Endless',
    upstreamIds: [loop.id],
    prompts: [{ upstreamId: loop.id, name: 'prompt_001' }],
    resources: [{ upstreamId: loop.id, uri: 'docs://page/001' }],
    published: true,
  });
  sa = await t.serviceAccount('viewer');
}, 60_000);

afterAll(async () => {
  await Promise.all([pager?.close(), endless?.close()]);
  await t?.close();
});

const urlOf = (slug: string) => `${t.gh.urls.proxy}/mcp/v/${slug}`;

async function connect(slug: string): Promise<Client> {
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: urlOf(slug) });
  return connectedClient(urlOf(slug), token, { name: 'pagination-test' });
}

/** One page as the server sends it (the SDK client's listPrompts/listResources without a cursor would walk every page itself). */
async function page(
  client: Client,
  method: 'prompts/list' | 'resources/list',
  cursor?: string,
): Promise<{ items: { name: string; uri?: string; description?: string }[]; nextCursor?: string }> {
  const result = (await client.request({ method, params: cursor === undefined ? {} : { cursor } })) as Record<string, unknown>;
  return {
    items: (result.prompts ?? result.resources) as { name: string; uri?: string }[],
    ...(typeof result.nextCursor === 'string' ? { nextCursor: result.nextCursor } : {}),
  };
}

/** Every page of a list, following its cursors, with the size of each page. */
async function walk<T>(
  list: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
): Promise<{ items: T[]; sizes: number[] }> {
  const items: T[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    items.push(...page.items);
    sizes.push(page.items.length);
    cursor = page.nextCursor;
  } while (cursor && sizes.length < 20);
  return { items, sizes };
}

describe('prompts and resources of a virtual server, page by page', () => {
  it('lists every curated prompt across the upstream pages, 100 at a time in name order', async () => {
    const client = await connect('library');
    pager.cursors.length = 0;
    const { items, sizes } = await walk((cursor) => page(client, 'prompts/list', cursor));
    expect(sizes).toEqual([100, 100]);
    expect(items.map((p) => p.name)).toEqual([...curatedPrompts].sort());
    expect(items[0]).toMatchObject({ name: 'prompt_001', description: 'Prompt prompt_001' });
    // The gateway followed the upstream's cursors to its last page.
    const asked = pager.cursors.filter((c) => c.method === 'prompts/list').map((c) => c.cursor);
    expect(asked.slice(0, 7)).toEqual([undefined, '40', '80', '120', '160', '200', '240']);
    // A prompt from the upstream's last page works.
    const got = await client.getPrompt({ name: 'prompt_249' });
    expect(got.messages[0]?.content).toMatchObject({ type: 'text', text: 'you asked for prompt_249' });
    await client.close();
  });

  it('lists every curated resource across the upstream pages in URI order; a cursor continues on another connection', async () => {
    const first = await connect('library');
    const page1 = await page(first, 'resources/list');
    expect(page1.items).toHaveLength(100);
    expect(page1.nextCursor).toBeTypeOf('string');
    await first.close();
    // Stateless cursors: a fresh connection (another node, in a cluster) continues the listing.
    const second = await connect('library');
    const rest = await walk((cursor) => page(second, 'resources/list', cursor ?? page1.nextCursor));
    expect(rest.sizes).toEqual([100]);
    expect([...page1.items, ...rest.items].map((r) => r.uri)).toEqual([...curatedUris].sort());
    // The same cursor gives the same page; the SDK client's own walk sees the whole list.
    const again = await page(second, 'resources/list', page1.nextCursor);
    expect(again.items.map((r) => r.uri)).toEqual(rest.items.map((r) => r.uri));
    expect((await second.listResources()).resources).toHaveLength(curatedUris.length);
    const read = await second.readResource({ uri: 'docs://page/248' });
    expect(read.contents[0]).toMatchObject({ text: 'content of docs://page/248' });
    await second.close();
  });

  it('refuses a cursor it did not hand out with -32602', async () => {
    const client = await connect('library');
    for (const cursor of ['not-a-cursor', Buffer.from('{"after":1}').toString('base64url')]) {
      const err = await client.listPrompts({ cursor }).then(
        () => null,
        (e: unknown) => e as { code?: number; message?: string },
      );
      expect(err?.code).toBe(-32602);
      expect(err?.message).toContain('Invalid cursor');
    }
    await client.close();
  });

  it('an upstream whose cursors never end fails the listing with a clear error, not a hang', async () => {
    const client = await connect('endless');
    for (const list of [() => client.listPrompts(), () => client.listResources()]) {
      const err = await list().then(
        () => null,
        (e: unknown) => e as { message?: string },
      );
      expect(err?.message).toContain('GATEHOUSE_MCP_UPSTREAM_ERROR');
      expect(err?.message).toContain('pagination did not terminate');
    }
    await client.close();
  });
});
