import type { Client } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { GatehouseError, Id, McpServerInput, mayReachPrivateNetwork, type StdioLaunch } from '../../core/index.js';
import { privateAddressRefusal, privateUpstreamError, type StdioSupervisor, StdioOnceError, withStdioOnce } from '../../gateway/federation/index.js';
import { compileBackendAuth } from '../../gateway/index.js';
import { OutboundError, streamingFetch } from '../../gateway/net/index.js';
import { defineOperation, type PrepareContext } from '../operation.js';
import { openMaterial } from './backend-credentials.js';
import { stdioLaunchOf } from './federation-targets.js';
import { openMcpServerHeaders, openSealedEnv, PRIVATE_NETWORK_ADMIN } from './mcp-servers.js';
import { mustGet } from './crud.js';
import { repos } from './repos.js';
import type { FederationClients } from './virtual-mcp-pins.js';

// A probe answers within this, whatever the server's own timeout (it runs in the prepare phase, before the audit entry's transaction).
const PROBE_TIMEOUT_MS = 10_000;
// A program gets longer to start and answer (a package runner may fetch it first), within the server's own timeout.
const STDIO_PROBE_TIMEOUT_MS = 25_000;
// Largest single upstream answer read (a long tool list is the usual big one).
const PROBE_MAX_BYTES = 4 * 1_048_576;
// Each list is cut here: the console shows them for picking, not for export.
const MAX_ITEMS = 1_000;

const ProbeTool = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
});
const ProbePrompt = z.object({ name: z.string(), description: z.string().optional(), arguments: z.array(z.record(z.string(), z.unknown())).optional() });
const ProbeResource = z.object({ uri: z.string(), name: z.string().optional(), description: z.string().optional(), mimeType: z.string().optional() });

const ProbeResult = z.object({
  /** Whether the server answered the handshake; when not, `error` says why and the lists are empty. */
  reachable: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  serverInfo: z.object({ name: z.string(), version: z.string() }).nullable(),
  tools: z.array(ProbeTool),
  prompts: z.array(ProbePrompt),
  resources: z.array(ProbeResource),
});
type ProbeResult = z.infer<typeof ProbeResult>;

/** Either a saved server (`id`) or the settings of one not saved yet (what create takes). */
const ProbeInput = z.union([z.strictObject({ id: Id }), McpServerInput]);
type ProbeInput = z.output<typeof ProbeInput>;

/** What a probe connects to: an HTTP endpoint with its headers, or a program it starts for the probe alone. */
type Target = HttpTarget | { launch: StdioLaunch; timeoutMs: number };

interface HttpTarget {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** Whether it may be at an internal address: the same rule as curating and calls (mayReachPrivateNetwork). */
  allowPrivateNetwork: boolean;
}
type Request = { signal: AbortSignal; timeout: number };

function failed(code: string, message: string): ProbeResult {
  return { reachable: false, error: { code, message }, serverInfo: null, tools: [], prompts: [], resources: [] };
}

/** Cuts header values the upstream echoes back out of what the admin is shown. */
function scrubbed<T>(value: T, secrets: readonly string[]): T {
  const used = secrets.filter((s) => s.length >= 4);
  if (used.length === 0) return value;
  let text = JSON.stringify(value);
  for (const s of used) text = text.split(s).join('[secret]');
  return JSON.parse(text) as T;
}

/** What a connected server offers: its tools, prompts and resources (each list cut at MAX_ITEMS). */
async function readOffer(client: Client, opts: Request): Promise<ProbeResult> {
  const caps = client.getServerCapabilities() ?? {};
  const tools = caps.tools ? (await client.listTools({}, opts)).tools : [];
  const prompts = caps.prompts ? (await client.listPrompts({}, opts)).prompts : [];
  const resources = caps.resources ? (await client.listResources({}, opts)).resources : [];
  const info = client.getServerVersion();
  return {
    reachable: true,
    error: null,
    serverInfo: info ? { name: info.name, version: info.version } : null,
    tools: tools.slice(0, MAX_ITEMS).map((t) => ({
      name: t.name,
      ...(t.title ? { title: t.title } : {}),
      ...(t.description ? { description: t.description } : {}),
      inputSchema: t.inputSchema as Record<string, unknown>,
      ...(t.annotations ? { annotations: t.annotations as Record<string, unknown> } : {}),
    })),
    prompts: prompts.slice(0, MAX_ITEMS).map((p) => ({
      name: p.name,
      ...(p.description ? { description: p.description } : {}),
      ...(p.arguments ? { arguments: p.arguments as Record<string, unknown>[] } : {}),
    })),
    resources: resources
      .slice(0, MAX_ITEMS)
      .map((r) => ({ uri: r.uri, name: r.name, ...(r.description ? { description: r.description } : {}), ...(r.mimeType ? { mimeType: r.mimeType } : {}) })),
  };
}

/** Reads what the target offers; a server that cannot be reached (or started) is an answer, not an error. */
function probe(target: Target): Promise<ProbeResult> {
  return 'launch' in target ? probeStdio(target.launch, target.timeoutMs) : probeHttp(target);
}

/**
 * Starts the program for this probe alone and reads what it offers, within `timeoutMs`; the child
 * is stopped before the answer (see withStdioOnce). Its secret environment values are cut from
 * what the admin is shown.
 */
async function probeStdio(launch: StdioLaunch, timeoutMs: number): Promise<ProbeResult> {
  try {
    const result = await withStdioOnce(launch, { timeoutMs, maxMessageBytes: PROBE_MAX_BYTES }, readOffer);
    return scrubbed(result, launch.secrets);
  } catch (err) {
    if (!(err instanceof StdioOnceError)) throw err;
    if (err.timedOut) return failed('GATEHOUSE_UPSTREAM_TIMEOUT', `The program did not answer within ${timeoutMs / 1000} s. ${err.message}`.slice(0, 1_500));
    return failed('GATEHOUSE_MCP_UPSTREAM_ERROR', `The program could not be started or asked: ${err.message}`.slice(0, 1_500));
  }
}

/**
 * Connects to an upstream MCP server through the SSRF guard (no loopback, private or link-local
 * address unless the target may reach one, no redirects, bounded time and size) and reads its tools,
 * prompts and resources.
 */
async function probeHttp(target: HttpTarget): Promise<ProbeResult> {
  // Loaded here, not with the registry: a node that never probes an MCP server never loads the SDK.
  const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  // Streaming, so the session's event stream stays open as it would for the pool; each answer is capped.
  const fetcher = streamingFetch({
    allowPrivateNetworks: target.allowPrivateNetwork,
    connectTimeoutMs: PROBE_TIMEOUT_MS,
    headersTimeoutMs: PROBE_TIMEOUT_MS,
    idleTimeoutMs: PROBE_TIMEOUT_MS,
    maxMessageBytes: PROBE_MAX_BYTES,
    connections: 2,
  });
  const client = new Client({ name: 'gatehouse-probe', version: '1' });
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  const opts = { signal, timeout: PROBE_TIMEOUT_MS };
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(target.url), { requestInit: { headers: target.headers }, fetch: fetcher }), opts);
    return scrubbed(await readOffer(client, opts), Object.values(target.headers));
  } catch (err) {
    const internal = privateAddressRefusal(err);
    if (internal) return failed('GATEHOUSE_MCP_UPSTREAM_PRIVATE', privateUpstreamError(target.name, internal).message);
    const refused = outboundCause(err);
    if (refused) return failed('GATEHOUSE_UPSTREAM_UNREACHABLE', refused.message);
    if (signal.aborted) return failed('GATEHOUSE_UPSTREAM_TIMEOUT', `The server did not answer within ${PROBE_TIMEOUT_MS / 1000} s.`);
    const message = scrubbed(err instanceof Error ? err.message : String(err), Object.values(target.headers));
    return failed('GATEHOUSE_MCP_UPSTREAM_ERROR', message.slice(0, 500));
  } finally {
    await client.close().catch(() => {});
    await fetcher.close();
  }
}

/** The outbound module's failure somewhere in the chain of causes the SDK client wrapped it in. */
function outboundCause(err: unknown): OutboundError | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof OutboundError) return e;
  return undefined;
}

/**
 * What to connect to: the settings given, or a saved server's (its sealed headers, or a token of its
 * backend credential, opened). Settings not saved that allow a private network need an admin, as saving them does.
 */
async function targetOf(ctx: PrepareContext, clients: FederationClients, stdio: StdioSupervisor | null, input: ProbeInput): Promise<Target> {
  const settings = 'id' in input ? await mustGet(repos.mcpServers, ctx, input.id, 'MCP server') : input;
  if (!('id' in input) && input.allowPrivateNetwork) ctx.requireAdmin(PRIVATE_NETWORK_ADMIN);
  if (settings.transport === 'stdio' && settings.stdio) {
    if (!stdio?.enabled) throw new GatehouseError('GATEHOUSE_MCP_STDIO_DISABLED');
    // A program not yet registered is one only an admin may register: testing it runs it all the same.
    if (!('id' in input)) ctx.requireAdmin('test a stdio MCP server before it is saved (testing runs its program on the gateway)');
    const sealedEnv = 'id' in input ? await openSealedEnv(ctx, input.id) : (input.sealedEnv ?? {});
    const launch = await stdioLaunchOf(ctx.db, ctx.secrets, settings.name, settings.stdio, sealedEnv);
    return { launch, timeoutMs: Math.min(settings.timeoutMs, STDIO_PROBE_TIMEOUT_MS) };
  }
  if (settings.url === undefined || settings.url === null) {
    throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'An HTTP MCP server needs a url to be tested.');
  }
  const url = settings.url;
  if (settings.auth === 'oauth_per_user') {
    throw new GatehouseError(
      'GATEHOUSE_VALIDATION_FAILED',
      'A per-user server answers only as a person who connected their account: save it, call a tool of a virtual server composing it, and follow the connect link.',
    );
  }
  const headers = 'id' in input ? (settings.auth === 'static' ? await openMcpServerHeaders(ctx, input.id) : {}) : { ...(input.headers ?? {}) };
  if (settings.auth === 'oauth_client_credentials' && settings.credentialId !== undefined) {
    const credential = await repos.backendCredentials.get(ctx.db, settings.credentialId);
    const auth = credential ? compileBackendAuth(credential, await openMaterial(ctx, credential.id)) : null;
    if (auth?.kind !== 'oauth2')
      throw new GatehouseError('GATEHOUSE_REFERENCE_NOT_FOUND', `No oauth2_client_credentials backend credential with id ${settings.credentialId}.`);
    headers.authorization = `Bearer ${await clients.tokens.get(auth)}`;
  }
  return { name: settings.name, url, headers, allowPrivateNetwork: mayReachPrivateNetwork(clients.allowPrivateUpstreams, settings) };
}

/**
 * `mcp-servers.probe`: what an upstream MCP server offers (tools, prompts, resources), saved or
 * not, so an admin sees it before saving and picks tools from the live lists. A write permission:
 * it makes the gateway call out (or, for a stdio server, run its program once), which a viewer may
 * not cause. `stdio` is the node's supervisor: whether it runs stdio upstreams at all.
 */
export const mcpServerProbeOperation = (clients: FederationClients, stdio: StdioSupervisor | null = null) =>
  defineOperation({
    name: 'mcp-servers.probe',
    resource: 'mcp-servers',
    action: 'probe',
    summary:
      'Connect to an upstream MCP server (saved, by id, or the settings of a new one; a stdio server’s program is started for the test and stopped after it) and list its tools, prompts and resources; nothing is saved',
    permission: 'write',
    input: ProbeInput,
    output: ProbeResult,
    http: { method: 'POST', path: '/mcp-servers/probe' },
    // The whole probe, token fetch included, runs before the transaction that writes its audit entry;
    // a stdio probe's bound, and the stopping of its child after, fit in this.
    prepareTimeoutMs: STDIO_PROBE_TIMEOUT_MS + 15_000,
    prepare: async (input, ctx) => probe(await targetOf(ctx, clients, stdio, input)),
    handler: async (ctx, input, probed: ProbeResult) => {
      if ('id' in input) ctx.audit.resourceId = input.id;
      return probed;
    },
  });
