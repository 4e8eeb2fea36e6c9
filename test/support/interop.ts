import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import { call, type TestGatehouse } from './gatehouse.js';
import { clientCredentialsToken } from './oauth.js';

/**
 * The interop corpus's harness: a real upstream MCP server curated whole in a virtual server, every
 * tool, prompt and resource called directly and through `/mcp/v/{slug}` with the official SDK client,
 * and the answers compared. What works directly must work through the gateway with the same result,
 * except what a test lists, with its reason.
 */

/** An upstream of the corpus as its test started it. */
export interface InteropUpstream {
  name: string;
  /** Its Streamable HTTP endpoint. */
  url: string;
  /** Kills it and starts it again on the same URL: every session it held is gone. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** An upstream curated whole behind a virtual server, with a client each way. */
export interface Curated {
  serverId: string;
  slug: string;
  /** The virtual server's URL (`/mcp/v/{slug}`). */
  resource: string;
  direct: Client;
  virtual: Client;
  /** A new client of the virtual server (a token of its own service account: its own upstream session). */
  connectVirtual(): Promise<Client>;
  /** A new client of the upstream. */
  connectDirect(): Promise<Client>;
  close(): Promise<void>;
}

/** Why an item is not compared like the rest. */
export interface Exception {
  /** `fails`: works directly, not through the gateway; `differs`: works both ways, results differ by nature (random, time, session). */
  kind: 'fails' | 'differs';
  reason: string;
}

/** What to call with, and what is excepted, keyed `tool:<name>`, `prompt:<name>`, `resource:<uri>`. */
export interface CompareOptions {
  /** Arguments for a tool or prompt (otherwise made from its schema: required properties, defaults first). */
  args?: Record<string, Record<string, unknown>>;
  exceptions?: Record<string, Exception>;
  /** Items not called at all (they work in neither direction for this client, e.g. they need sampling); each with its reason. */
  skip?: Record<string, string>;
  /** A per-call timeout. */
  timeoutMs?: number;
}

/** What a comparison found. */
export interface CompareReport {
  /** Items called both ways with equal results (or both failing alike). */
  same: string[];
  /** Items that fail directly too (not expected through the gateway): key → the direct error. */
  failDirectly: Record<string, string>;
  /** Excepted items, as they turned out: key → direct/virtual outcome summary. */
  excepted: Record<string, string>;
  /** Differences nothing excepts: the test fails on any. */
  unexpected: string[];
}

const connect = async (url: string, headers: Record<string, string> = {}) => {
  const client = new Client({ name: 'interop', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
};

/** Registers the upstream and a published virtual server curating all its tools, prompts and resources. */
export async function curateWhole(
  t: TestGatehouse,
  upstream: { name: string; url: string },
  slug: string,
  serverSettings: Record<string, unknown> = {},
): Promise<Curated> {
  const direct = await connect(upstream.url);
  const caps = direct.getServerCapabilities() ?? {};
  const [tools, prompts, resources] = await Promise.all([
    listAll((cursor) => direct.listTools(cursor ? { cursor } : {}).then((r) => ({ items: r.tools, next: r.nextCursor }))),
    caps.prompts ? listAll((cursor) => direct.listPrompts(cursor ? { cursor } : {}).then((r) => ({ items: r.prompts, next: r.nextCursor }))) : [],
    caps.resources ? listAll((cursor) => direct.listResources(cursor ? { cursor } : {}).then((r) => ({ items: r.resources, next: r.nextCursor }))) : [],
  ]);
  const create = async (path: string, body: unknown) => {
    const res = await call(t.api, t.adminToken, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };
  const { id } = await create('/mcp-servers', { name: slug, url: upstream.url, timeoutMs: 20_000, maxResultChars: 1_000_000, ...serverSettings });
  await create('/virtual-mcps', {
    slug,
    name: slug,
    upstreamIds: [id],
    tools: tools.map((tool) => ({ upstreamId: id, name: tool.name })),
    prompts: prompts.map((p) => ({ upstreamId: id, name: p.name })),
    resources: resources.map((r) => ({ upstreamId: id, uri: r.uri })),
    published: true,
  });
  const resource = `${t.gh.urls.proxy}/mcp/v/${slug}`;
  const clients: Client[] = [direct];
  const connectVirtual = async () => {
    const sa = await t.serviceAccount('viewer');
    const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource });
    const client = await connect(resource, { authorization: `Bearer ${token}` });
    clients.push(client);
    return client;
  };
  const connectDirect = async () => {
    const client = await connect(upstream.url);
    clients.push(client);
    return client;
  };
  const virtual = await connectVirtual();
  return {
    serverId: id,
    slug,
    resource,
    direct,
    virtual,
    connectVirtual,
    connectDirect,
    close: async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    },
  };
}

async function listAll<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const { items, next } = await page(cursor);
    out.push(...items);
    cursor = next;
  } while (cursor);
  return out;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

const outcome = (p: Promise<unknown>): Promise<Outcome> =>
  p.then(
    (value) => ({ ok: true, value }),
    (err: Error) => ({ ok: false, error: err.message }),
  );

const summary = (o: Outcome) => (o.ok ? `ok ${JSON.stringify(o.value).slice(0, 160)}` : `error ${o.error.slice(0, 200)}`);

/** Calls every tool, prompt and resource the upstream offers, directly and through the virtual server, and compares. */
export async function compareEverything(curated: Curated, opts: CompareOptions = {}): Promise<CompareReport> {
  const { direct, virtual } = curated;
  const timeout = opts.timeoutMs ?? 20_000;
  const caps = direct.getServerCapabilities() ?? {};
  const calls: { key: string; run: (c: Client) => Promise<unknown> }[] = [];
  for (const tool of (await direct.listTools()).tools) {
    const args = opts.args?.[`tool:${tool.name}`] ?? argumentsFor(tool.inputSchema);
    calls.push({ key: `tool:${tool.name}`, run: (c) => c.callTool({ name: tool.name, arguments: args }, { timeout }) });
  }
  if (caps.prompts) {
    for (const prompt of (await direct.listPrompts()).prompts) {
      const args =
        (opts.args?.[`prompt:${prompt.name}`] as Record<string, string> | undefined) ??
        Object.fromEntries((prompt.arguments ?? []).filter((a) => a.required).map((a) => [a.name, 'interop']));
      calls.push({ key: `prompt:${prompt.name}`, run: (c) => c.getPrompt({ name: prompt.name, arguments: args }, { timeout }) });
    }
  }
  if (caps.resources) {
    for (const r of (await direct.listResources()).resources) calls.push({ key: `resource:${r.uri}`, run: (c) => c.readResource({ uri: r.uri }, { timeout }) });
  }
  const report: CompareReport = { same: [], failDirectly: {}, excepted: {}, unexpected: [] };
  for (const { key, run } of calls) {
    if (opts.skip?.[key]) continue;
    const d = await outcome(run(direct));
    const v = await outcome(run(virtual));
    const exception = opts.exceptions?.[key];
    if (!d.ok) {
      report.failDirectly[key] = d.error.slice(0, 200);
      continue;
    }
    const equal = v.ok && JSON.stringify(normalize(v.value)) === JSON.stringify(normalize(d.value));
    if (exception) {
      report.excepted[key] = `${exception.kind}: direct ${summary(d)} | virtual ${summary(v)}`;
      // A `differs` item must still work through the gateway, as a result of the same kind.
      if (exception.kind === 'differs' && (!v.ok || isErrorOf(v.value) !== isErrorOf(d.value)))
        report.unexpected.push(`${key}: expected to work through the gateway (${exception.reason}), got ${summary(v)}`);
      continue;
    }
    if (equal) report.same.push(key);
    else report.unexpected.push(`${key}:\n    direct  ${summary(d)}\n    virtual ${summary(v)}`);
  }
  return report;
}

function isErrorOf(value: unknown): boolean {
  return (value as { isError?: boolean }).isError === true;
}

/** A result as compared: object keys in one order (an upstream's key order is not meaning). */
function normalize(value: unknown): unknown {
  // Reference servers stamp generated content with the clock time (server-everything's resources say
  // "created at 8:03:58 AM"): the two calls of a pair may fall in different seconds.
  if (typeof value === 'string') return value.replace(/\b\d{1,2}:\d{2}:\d{2}(?:\s?[AP]M)?/g, '<time>');
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, normalize((value as Record<string, unknown>)[k])]),
  );
}

/** The least valid arguments for a JSON Schema object: each required property, its default or first enum value if it has one. */
export function argumentsFor(schema: unknown): Record<string, unknown> {
  const value = instanceOf(schema);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function instanceOf(schema: unknown): unknown {
  const s = (schema ?? {}) as {
    type?: string | string[];
    default?: unknown;
    enum?: unknown[];
    const?: unknown;
    properties?: Record<string, unknown>;
    required?: string[];
    minimum?: number;
    anyOf?: unknown[];
    oneOf?: unknown[];
  };
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const alt = s.anyOf?.[0] ?? s.oneOf?.[0];
  if (alt) return instanceOf(alt);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((s.required ?? []).map((k) => [k, instanceOf(s.properties?.[k])]));
    case 'array':
      return [];
    case 'string':
      return 'interop';
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    default:
      return s.properties ? instanceOf({ ...s, type: 'object' }) : 'interop';
  }
}

/** How calls went after an upstream restart: each attempt's outcome, in order, until one succeeded (at most `attempts`). */
export interface RestartReport {
  /** The caller who had called before the restart. */
  same: string[];
  /** A caller who never called before. */
  fresh: string[];
}

/**
 * Calls `tool` through the virtual server, restarts the upstream (killed, started again on the same
 * URL: its sessions gone), and calls again — the same caller, then one who never called — recording
 * each attempt until one succeeds (at most two each).
 */
export async function callAcrossRestart(curated: Curated, upstream: InteropUpstream, tool: string, args: Record<string, unknown>): Promise<RestartReport> {
  const attempt = async (client: Client) => {
    const out = await outcome(client.callTool({ name: tool, arguments: args }, { timeout: 20_000 }));
    if (!out.ok) return `error ${out.error.slice(0, 200)}`;
    const r = out.value as { isError?: boolean; content?: { text?: string }[] };
    return r.isError ? `tool error ${(r.content?.[0]?.text ?? '').slice(0, 200)}` : 'ok';
  };
  const until = async (client: Client) => {
    const tries: string[] = [];
    for (let i = 0; i < 2; i++) {
      tries.push(await attempt(client));
      if (tries.at(-1) === 'ok') break;
    }
    return tries;
  };
  expect(await attempt(curated.virtual)).toBe('ok');
  await upstream.restart();
  const same = await until(curated.virtual);
  const fresh = await until(await curated.connectVirtual());
  return { same, fresh };
}
