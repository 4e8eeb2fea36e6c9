import { randomUUID } from 'node:crypto';
import { type CallToolResult, ProtocolError, type Tool, UrlElicitationRequiredError } from '@modelcontextprotocol/server';
import { type CuratedTool, GatehouseError, servedName, type UpstreamTarget, type VirtualTarget } from '../../core/index.js';
import type { McpCaller, RelayGuard, TraceHeaders } from '../../gateway/index.js';
import {
  ALL_RELAYED,
  atLeast,
  byName,
  callNotices,
  capabilitiesKey,
  curatedDefinition,
  definitionPin,
  type LogLevel,
  type RelayCapabilities,
  type UpstreamPool,
  type UpstreamTools,
} from '../../gateway/federation/index.js';
import type { CallStream, PromptsAndResources, ToolSet } from '../kit/endpoint.js';
import { heldAnswer } from '../kit/held-call.js';
import { mayRunAsTask, requiresTask, taskForbidden } from '../kit/modern-tasks.js';
import { promptsAndResources, resourceRoutes } from './extras.js';
import { withinBudget } from './context-budget.js';
import { composeInstructions, judgedInstructions } from './instructions.js';
import type { PendingAnswers } from './pending-answers.js';
import { withGuardedSink } from './guarded-sink.js';
import { judgedNotices } from './judged-notices.js';
import { sinkOf } from './relay-sink.js';
import { RoundTrips } from './round-trips.js';
import { TaskQuestions } from './task-questions.js';
import { TaskIds } from './task-ids.js';
import { judgedTaskRequest, taskResult } from './task-result.js';
import { TaskRelay } from './tasks.js';
import { settledLists, type Unavailable, unavailableMeta } from './unavailable.js';
import { personal } from './personal.js';
import { prefixOf } from './prefix.js';
import { workflowFor } from './workflow-for.js';
import { asProtocolError, errorResult } from './tool-error.js';
import { callRestTool, type RestGateway, type RestTools, restToolsOf } from './rest-tools.js';

/** Who made one request to a virtual server: the pipeline's caller, and what the federation code needs of it besides. */
export interface FederationCaller extends McpCaller {
  /** The calling person's user id (the token's subject), null for a service account: per-user upstreams act as them. */
  userId: string | null;
  /** The client declared URL-mode elicitation: a call that needs a connect link answers with the URL elicitation error. */
  urlElicitation: boolean;
  /** The request's protocol era: a 2026-07-28 request carries its envelope in `_meta`. How a held call is answered depends on it (see heldAnswer). */
  era: 'legacy' | 'modern';
  /** The server-to-client requests the caller can answer (declared at `initialize`, carried by its session id); empty without a session. */
  relay: RelayCapabilities;
  /**
   * The names the caller is known by (a user's id and username; a service account's id and client
   * id): a REST tool acts as a profile whose signInUsers names one of them. Absent: the subject's id.
   */
  names?: readonly string[];
  /** Aborts when the caller cancels this request (`notifications/cancelled`): its upstream call is cancelled too. */
  signal?: AbortSignal | undefined;
  /** The level from which a 2026-07-28 request asked for log messages (`_meta["io.modelcontextprotocol/logLevel"]`); none without. */
  logLevel?: LogLevel | undefined;
}

interface Route {
  upstream: UpstreamTarget;
  /** The tool's name at the upstream. */
  name: string;
  description: string | undefined;
  /** The approved definition's hash; undefined when never approved. */
  pin: string | undefined;
  annotations: CuratedTool['annotations'];
  rateLimit: CuratedTool['rateLimit'];
}

/** Whether the tool behind a route declares an output schema, as far as this node has its definition. */
function declaresOutputSchema(pool: UpstreamPool, route: Route, userId: string | null): boolean {
  return pool.cachedTools(personal(route.upstream, userId))?.byName.get(route.name)?.outputSchema !== undefined;
}

/** The stream of a 2026-07-28 caller's first leg on the fast path: nothing goes to it while it runs (its questions are answered by retrying). */
function modernFirstLeg(): CallStream {
  return {
    progressToken: undefined,
    task: undefined,
    era: 'modern',
    notify: () => {},
    send: () => Promise.reject(new Error('a fast-path call has no stream')),
  };
}

/**
 * Which log messages a relayed call's caller hears: a 2025-era caller every one its upstream session
 * sends (that session's level is the caller's), a 2026-07-28 one those at or above the level its
 * request asked for, none when it did not ask.
 */
function modernLogs(stream: CallStream, level: LogLevel | undefined): ((params: Record<string, unknown> | undefined) => boolean) | undefined {
  if (stream.era !== 'modern') return undefined;
  return (params) => level !== undefined && atLeast(params?.level, level);
}

/**
 * Where the log messages an upstream sends on a call's own stream go, and from what level: a
 * 2025-era caller hears every one on its call's answer (its upstream session's level is its own, set
 * by `logging/setLevel`), a 2026-07-28 one those at or above the level its request asked for.
 */
function logsOfCall(
  caller: FederationCaller,
  stream: CallStream | undefined,
  notify: ((method: string, params: Record<string, unknown> | undefined) => void) | undefined,
): { level: LogLevel; notify: (method: string, params: Record<string, unknown> | undefined) => void } | undefined {
  if (stream?.era === 'modern') return caller.logLevel ? { level: caller.logLevel, notify: stream.notify } : undefined;
  const to = stream?.notify ?? notify;
  return to ? { level: 'debug', notify: to } : undefined;
}

const NO_TOOLS: UpstreamTools = { byName: new Map(), pins: new Map() };

/**
 * A per-user upstream's tools as this person may see them: from their own session, or, before they
 * have connected, as some other session last fetched them (so they can call a tool and be told how
 * to connect); none when no session has fetched them yet.
 */
async function listFor(pool: UpstreamPool, upstream: UpstreamTarget, userId: string | null): Promise<UpstreamTools> {
  if (!upstream.forUser) return pool.listTools(upstream);
  try {
    return await pool.listTools(personal(upstream, userId));
  } catch (err) {
    if (!(err instanceof GatehouseError)) throw err;
    return pool.cachedTools(upstream) ?? NO_TOOLS;
  }
}

/** Whether a tool is read-only: as curated, else as the upstream's definition (its `readOnlyHint`) says; not when the definitions cannot be read. */
async function readOnly(pool: UpstreamPool, route: Route, userId: string | null): Promise<boolean> {
  const curated = route.annotations?.readOnlyHint;
  if (curated !== undefined) return curated === true;
  const defs = await listFor(pool, route.upstream, userId).catch(() => NO_TOOLS);
  return defs.byName.get(route.name)?.annotations?.readOnlyHint === true;
}

/**
 * Whether a tool may destroy something, by MCP's annotation defaults: unless it is read-only or says
 * `destructiveHint: false` (as curated, else as the upstream defines it); yes when the definitions cannot be read.
 */
async function destructive(pool: UpstreamPool, route: Route, userId: string | null): Promise<boolean> {
  const curated = route.annotations;
  // Hints the admin set that settle it need no upstream definitions (theirs win over the upstream's).
  if (curated?.readOnlyHint === true || curated?.destructiveHint !== undefined) return curated.readOnlyHint !== true && curated.destructiveHint !== false;
  const tool = (await listFor(pool, route.upstream, userId).catch(() => NO_TOOLS)).byName.get(route.name);
  if (!tool) return true;
  return (curated?.readOnlyHint ?? tool.annotations?.readOnlyHint) !== true && tool.annotations?.destructiveHint !== false;
}

/**
 * Cuts the text of a result past `max` characters, saying so. Structured content is a budget of its
 * own: kept whole when its JSON fits in `max` (a client validates it against the tool's output
 * schema, so it is never cut), dropped only when it alone is larger.
 */
export function capResult(result: CallToolResult, max: number): CallToolResult {
  // A leg that asks the caller something (input_required) has no content yet.
  if (!Array.isArray(result.content)) return result;
  let left = max;
  let total = 0;
  let cut = false;
  const content = result.content.map((part) => {
    if (part.type !== 'text') return part;
    total += part.text.length;
    if (part.text.length <= left) {
      left -= part.text.length;
      return part;
    }
    cut = true;
    const kept = part.text.slice(0, left);
    left = 0;
    return { ...part, text: kept };
  });
  if (!cut) return result;
  content.push({ type: 'text', text: `[truncated by Gatehouse: ${total} characters of text in all, ${max} kept]` });
  const { structuredContent, ...rest } = result;
  const keep = structuredContent !== undefined && JSON.stringify(structuredContent).length <= max;
  return { ...rest, ...(keep ? { structuredContent } : {}), content, _meta: { ...(result._meta ?? {}), 'gatehouse/truncated': true } };
}

/**
 * The curated tools of a virtual server: downstream name → upstream tool. Several upstreams are
 * prefixed `<upstream>__`; a tool outside the allowlist has no route, so it is neither listed nor callable.
 */
function routesOf(target: VirtualTarget): Map<string, Route> {
  const byId = new Map(target.upstreams.map((u) => [u.id, u]));
  const prefixed = target.upstreams.length > 1;
  const routes = new Map<string, Route>();
  for (const tool of target.tools) {
    const upstream = byId.get(tool.upstreamId);
    if (!upstream) continue;
    const shown = servedName(upstream.name, tool.rename ?? tool.name, prefixed);
    routes.set(shown, { upstream, name: tool.name, description: tool.description, pin: tool.pin, annotations: tool.annotations, rateLimit: tool.rateLimit });
  }
  return routes;
}

/** The tools/list part of a tool set, built once per set of definitions and reused while they are the same. */
interface Listing {
  tools: Tool[];
  listJson: string;
  /** The upstreams left out, when any was (see settledLists). */
  meta?: Record<string, unknown> | undefined;
}

/** Why a tool is not served as its upstream defines it now: never approved, or changed since it was (a "rug pull"); null when it is served. */
function withheld(route: Route, defs: UpstreamTools | undefined): GatehouseError | null {
  const now = defs?.pins.get(route.name);
  if (now === undefined) return null; // the upstream does not offer it: the call fails there
  if (route.pin === undefined)
    return new GatehouseError(
      'GATEHOUSE_MCP_TOOL_UNAPPROVED',
      `The definition of ${route.upstream.name}/${route.name} has not been approved yet; an admin can approve it (virtual-mcps approve-tools).`,
    );
  if (route.pin !== now) {
    return new GatehouseError(
      'GATEHOUSE_MCP_TOOL_CHANGED',
      `The upstream ${route.upstream.name} changed the definition of ${route.name} since it was approved; it is withheld until an admin approves the new definition (virtual-mcps approve-tools).`,
    );
  }
  return null;
}

/** What the upstreams' definitions become downstream: curated tools only, renamed and described as curated, in name order. */
function listingOf(routes: Map<string, Route>, defs: ReadonlyMap<string, UpstreamTools>, unavailable: readonly Unavailable[]): Listing {
  const tools: Tool[] = [];
  for (const [shown, route] of routes) {
    const upstream = defs.get(route.upstream.id);
    const def = upstream?.byName.get(route.name);
    // A curated tool the upstream no longer offers is not listed (a call would fail upstream), nor
    // one whose definition is not the approved one. Nor is one the upstream offers only to clients
    // able to answer requests this caller cannot (sampling, elicitation, roots): hidden, not broken.
    if (!def || withheld(route, upstream)) continue;
    tools.push(curatedDefinition(def, shown, route));
  }
  tools.sort(byName);
  const meta = unavailableMeta(unavailable);
  return { tools, listJson: JSON.stringify(meta ? { tools, _meta: meta } : { tools }), meta };
}

const NO_REST: RestTools = { byName: new Map(), tools: [] };

/** Listings with a virtual server's REST tools merged in, per upstream listing and REST tool set (both reused while unchanged). */
const merged = new WeakMap<Listing, { rest: RestTools; listing: Listing }>();

/** The upstream tools' listing with the REST tools among them, in name order (the list is deterministic). */
function withRest(listing: Listing, rest: RestTools): Listing {
  const found = merged.get(listing);
  if (found?.rest === rest) return found.listing;
  const tools = [...listing.tools, ...rest.tools].sort(byName);
  const out = { tools, listJson: JSON.stringify(listing.meta ? { tools, _meta: listing.meta } : { tools }), meta: listing.meta };
  merged.set(listing, { rest, listing: out });
  return out;
}

/**
 * Tool sets of virtual servers, reused across requests: the routes while the virtual server and
 * its upstreams keep their versions, the listing while the upstreams' (pooled, cached)
 * definitions are the same objects.
 */
export class VirtualToolSets {
  readonly #built = new Map<
    string,
    {
      key: string;
      routes: Map<string, Route>;
      extras: PromptsAndResources<FederationCaller> | undefined;
      listings: Map<string, { defs: UpstreamTools[]; listing: Listing }>;
    }
  >();
  /** Per upstream version and capability set: the tools the upstream offers a client declaring those capabilities. */
  readonly #asCapable = new Map<string, { at: number; tools: Promise<UpstreamTools> }>();
  #relayed = 0;
  readonly #trips = new RoundTrips();
  /** What the tasks of 2026-07-28 callers ask them, heard on this node or told by another (over the pool's fanout). */
  readonly #asks: TaskQuestions;
  /** Binds the ids of tasks to the tools they run (see TaskIds). */
  readonly #taskIds: TaskIds;

  constructor(
    private readonly pool: UpstreamPool,
    /** The pipeline entry every call of a virtual server goes through. */
    private readonly calls: RestGateway,
    readonly answers: PendingAnswers,
    /** The key every node derives alike for task ids (one of this process's own without it: its tasks' results are then fetched here only). */
    taskKey?: Buffer,
    /** Relayed calls one node runs at once. */
    private readonly maxRelayed = 64,
  ) {
    this.#asks = new TaskQuestions(pool.fanout);
    this.#taskIds = new TaskIds(taskKey, pool.fanout);
  }

  /**
   * The tools an upstream offers a client that answers the requests in `relay` (an upstream may
   * offer some only to such clients), read in a session of their own declaring just that, and
   * again once they are `definitionsTtlMs` old or the upstream's settings change.
   */
  #offeredTo(upstream: UpstreamTarget, relay: RelayCapabilities): Promise<UpstreamTools> {
    const key = `${upstream.id}@${upstream.version}~${capabilitiesKey(relay)}`;
    const found = this.#asCapable.get(key);
    if (found && Date.now() - found.at < upstream.definitionsTtlMs) return found.tools;
    const tools = this.pool
      .listToolsAs(upstream, relay)
      .then((list): UpstreamTools => ({ byName: new Map(list.map((t) => [t.name, t])), pins: new Map(list.map((t) => [t.name, definitionPin(t)])) }));
    const slot = { at: Date.now(), tools };
    if (this.#asCapable.size > 1_000) this.#asCapable.clear();
    this.#asCapable.set(key, slot);
    tools.catch(() => {
      if (this.#asCapable.get(key) === slot) this.#asCapable.delete(key);
    });
    return tools;
  }

  /** The definitions a caller sees: those offered to a client like it (see #offeredTo), else the pool's. */
  #definitionsFor(upstream: UpstreamTarget, userId: string | null, relay: RelayCapabilities): Promise<UpstreamTools> {
    if (capabilitiesKey(relay) === '' || upstream.forUser) return listFor(this.pool, upstream, userId);
    return this.#offeredTo(upstream, relay);
  }

  /** The instructions a caller gets at `initialize`: the upstreams', labelled when there are several (see composeInstructions). */
  async instructions(target: VirtualTarget): Promise<string | undefined> {
    const given = await Promise.all(
      target.upstreams.map(async (u) => {
        const text = u.forUser ? undefined : await this.pool.instructions(u).catch(() => undefined);
        return text === undefined || text.trim() === '' ? text : judgedInstructions(text);
      }),
    );
    return composeInstructions(target.upstreams.map((u, i) => ({ name: u.name, prefix: prefixOf(u), instructions: given[i] })));
  }

  /** The tool set of a virtual server. `tools/list` needs the upstreams' definitions (`withList`); a call needs only the allowlist. */
  async build(
    target: VirtualTarget,
    withList: boolean,
    userId: string | null = null,
    relay: RelayCapabilities = {},
    instructions?: string,
    era: 'legacy' | 'modern' = 'legacy',
    logs = false,
  ): Promise<ToolSet<FederationCaller>> {
    // Within its context budget (context-budget.ts): search mode over it, results cut by tokens.
    const set = await this.#build(target, withList, userId, relay, instructions, era, logs);
    return withinBudget(target, set, withList, () => this.#build(target, true, userId, relay, instructions, era, logs));
  }

  async #build(
    target: VirtualTarget,
    withList: boolean,
    userId: string | null,
    relay: RelayCapabilities,
    instructions: string | undefined,
    era: 'legacy' | 'modern',
    logs: boolean,
  ): Promise<ToolSet<FederationCaller>> {
    const key = `${target.version}:${target.upstreams.map((u) => `${u.id}@${u.version}`).join(',')}`;
    let built = this.#built.get(target.slug);
    if (!built || built.key !== key) {
      built = { key, routes: routesOf(target), extras: promptsAndResources(target, this.pool, this.calls, (u) => u), listings: new Map() };
      this.#built.set(target.slug, built);
    }
    // Per-user upstreams serve prompts and resources as the caller, with their own token.
    const extras = target.upstreams.some((u) => u.forUser) ? promptsAndResources(target, this.pool, this.calls, (u) => personal(u, userId)) : built.extras;
    const routes = built.routes;
    // The gateway's own REST operations, resolved against the live catalog (an upstream tool keeps a name both have).
    const rest = target.restTools.length === 0 ? NO_REST : restToolsOf(target, this.calls.catalog(), (n) => routes.has(n));
    let listing: Listing = { tools: [], listJson: '{"tools":[]}' };
    if (withList) {
      const used = target.upstreams.filter((u) => [...routes.values()].some((r) => r.upstream.id === u.id));
      // One upstream down leaves its tools out of the list, which says so; it does not fail the list (see settledLists).
      const { lists, unavailable } = await settledLists(used, (u) => this.#definitionsFor(u, userId, relay));
      const fetched = used.map((u) => lists.find((l) => l.upstream === u)?.list ?? NO_TOOLS);
      const capsKey = capabilitiesKey(relay);
      const last = built.listings.get(capsKey);
      if (unavailable.length === 0 && last && last.defs.length === fetched.length && fetched.every((d, i) => d === last.defs[i])) listing = last.listing;
      else {
        listing = listingOf(routes, new Map(used.map((u, i) => [u.id, fetched[i] as UpstreamTools])), unavailable);
        // A partial listing is not kept: the next list asks the missing upstream again.
        if (unavailable.length === 0) built.listings.set(capsKey, { defs: fetched, listing });
      }
    }
    if (withList && rest.tools.length > 0) listing = withRest(listing, rest);
    const pool = this.pool;
    const calls = this.calls;
    const tools = this;
    const relaying = capabilitiesKey(relay) !== '';
    const asks = this.#asks;
    const taskIds = this.#taskIds;
    const judged = {
      calls,
      target,
      routes,
      schemaBound: (tool: string) => {
        const route = routes.get(tool);
        return route !== undefined && declaresOutputSchema(pool, route, null);
      },
    };
    return {
      ...(extras ? { extras } : {}),
      ...(instructions !== undefined ? { instructions } : {}),
      tools: listing.tools,
      listJson: listing.listJson,
      ...(listing.meta ? { listMeta: listing.meta } : {}),
      has: (name) => routes.has(name) || rest.byName.has(name),
      // A 2025-era caller that can answer server-to-client requests gets each call on a stream, where the
      // upstream's requests reach it: any tool may ask (FastMCP's `ctx.elicit` asks whoever calls it, and
      // such tools are listed to every client), so being listed to everyone says nothing. A 2026-07-28
      // caller answers by retrying (input_required), which needs no stream: it keeps the fast path, where
      // a held call's URL elicitation is answered as its revision asks. A per-user upstream's tools never
      // ask: they keep the fast path, and its answer to a missing connection.
      ...(relaying && era === 'legacy'
        ? {
            streams: (name: string) => {
              const route = routes.get(name);
              return route !== undefined && !route.upstream.forUser;
            },
          }
        : // A 2026-07-28 request that asks for log messages runs where they can reach it: on the SDK's
          // server, whose answer becomes an event stream once a message goes out (see CallNotices).
          // One that also answers the upstream's requests gets each leg's messages on that leg's answer.
          logs && era === 'modern'
          ? { streams: (name: string) => routes.has(name) }
          : {}),
      async tasks(caller, method, params, stream) {
        // A 2025-era caller that can answer hears the upstream's questions inside a task on its tasks/result stream.
        const caps = caller.relay;
        // The task's upstream is known once its id is read: a question waits as long as the slowest may take.
        const slowest = Math.max(1_000, ...target.upstreams.map((u) => u.timeoutMs));
        const sink = stream && method === 'tasks/result' && capabilitiesKey(caps) !== '' ? sinkOf(stream, tools.answers, caller.subject, slowest) : undefined;
        try {
          return await judgedTaskRequest(judged, new TaskRelay(pool, target, taskIds), caller, method, params, sink);
        } finally {
          sink?.close();
        }
      },
      // A 2026-07-28 caller hears a task's questions when it polls (input_required), and answers with tasks/update.
      async taskQuestions(caller, taskId) {
        const relay = new TaskRelay(pool, target, taskIds);
        return asks.questions(caller.subject, taskId, (sink) =>
          taskResult(judged, relay.locate(taskId, caller.subject), caller, (guard) =>
            withGuardedSink(sink, guard, (guarded) => relay.result({ taskId }, caller.subject, caller.userId, guarded)),
          ),
        );
      },
      answerTask(caller, taskId, responses) {
        asks.answer(caller.subject, taskId, responses);
      },
      async runsAsTask(caller, name) {
        const route = routes.get(name);
        return route !== undefined && requiresTask(await tools.#offeredTool(route, caller.userId));
      },
      // The caller's own upstream sessions filter their log messages; they reach the caller's open stream (see CallerStreams).
      async setLogLevel(caller, level) {
        await Promise.allSettled(
          target.upstreams.map(async (u) => pool.setLoggingLevel({ ...personal(u, caller.userId), sessionScope: caller.subject }, level)),
        );
      },
      ...(extras
        ? {
            async subscribe(caller: FederationCaller, uri: string, on: boolean) {
              const upstream = resourceRoutes(target).servedBy(uri);
              if (!upstream) throw new ProtocolError(-32602, `Unknown resource: ${uri.slice(0, 200)}`);
              try {
                await pool.subscribeResource({ ...personal(upstream, caller.userId), sessionScope: caller.subject }, uri, on);
              } catch (err) {
                asProtocolError(err);
              }
            },
          }
        : {}),
      liveLogs: true,
      async call(caller, name, args, given, notify) {
        // A 2026-07-28 caller's first leg came the fast way: its upstream's requests go back as input_required.
        const stream = given ?? (relaying && caller.era === 'modern' ? modernFirstLeg() : undefined);
        const route = routes.get(name);
        if (!route) {
          const restRoute = rest.byName.get(name);
          // A REST operation answers at once: it never runs as a task.
          if (restRoute && stream?.task) throw taskForbidden(name);
          if (restRoute) return callRestTool(calls, target, restRoute, args, caller, stream);
          return errorResult(new GatehouseError('GATEHOUSE_NOT_FOUND', `No tool ${name.slice(0, 100)} on this server.`), false);
        }
        // Refused before any approval is asked for or guardrail runs: the call as asked cannot run.
        if (stream?.task) {
          const tool = await tools.#offeredTool(route, caller.userId);
          if (tool && !mayRunAsTask(tool)) throw taskForbidden(name);
        }
        try {
          return await calls.mcpCall(
            {
              method: 'tools/call',
              server: target.slug,
              name,
              upstream: route.upstream,
              upstreamName: route.name,
              arguments: args,
              caller,
              // A 2026-07-28 retry continues a call already counted.
              rateLimit: stream?.requestState ? null : (route.rateLimit ?? null),
              workflow: workflowFor(target, name),
              readOnly: () => readOnly(pool, route, caller.userId),
              destructive: () => destructive(pool, route, caller.userId),
            },
            (leg) => tools.#callUpstream(target, route, name, leg.arguments, caller, stream, leg.trace, leg.headers, notify, leg.relayed),
          );
        } catch (err) {
          if (!(err instanceof GatehouseError)) throw err;
          const connectUrl = (err.details as { connectUrl?: unknown } | undefined)?.connectUrl;
          if (caller.urlElicitation && typeof connectUrl === 'string') {
            // MCP 2025-11-25: the client shows the link to its user, who completes the flow out of band, then retries.
            throw new UrlElicitationRequiredError([{ mode: 'url', elicitationId: randomUUID(), url: connectUrl, message: err.message }], err.message);
          }
          // A held call: the link as its caller's revision asks for it (input_required, -32042), else in the tool error.
          const era = stream?.era ?? caller.era;
          const held = heldAnswer(era, caller.relay.urlElicitation === true, err, stream?.inputResponses);
          if (held !== null) return held;
          // Asked to run as a task: its caller expects a CreateTaskResult or a JSON-RPC error, and the SDKs reject a tool error there.
          if (stream?.task && era === 'legacy') asProtocolError(err);
          return errorResult(err, declaresOutputSchema(pool, route, caller.userId));
        }
      },
    };
  }

  /** The upstream leg of a tool call: the approved definition checked, then called directly, relayed, or as a task. */
  async #callUpstream(
    target: VirtualTarget,
    route: Route,
    name: string,
    args: Record<string, unknown>,
    caller: FederationCaller,
    stream: CallStream | undefined,
    trace: TraceHeaders | null,
    headers: Readonly<Record<string, string>> | null,
    notify?: (method: string, params: Record<string, unknown> | undefined) => void,
    guard?: RelayGuard,
  ): Promise<CallToolResult> {
    const called = personal(route.upstream, caller.userId);
    const offered = await this.pool.listTools(called);
    const refused = withheld(route, offered);
    if (refused) throw refused;
    const relayed = stream && !stream.task ? await this.#relays(route, caller.relay, stream) : null;
    // A tool the upstream offers only to clients that answer its requests is hidden from this
    // caller: called anyway, it is as unknown as any tool not listed.
    if (relayed !== 'asks' && !route.upstream.forUser && !offered.byName.has(route.name) && (await this.#asksOnly(route))) {
      throw new ProtocolError(-32602, `Unknown tool: ${name.slice(0, 100)}`);
    }
    if (stream?.task) {
      // The caller fetches the result later (tasks/result), in its own upstream session, where the task lives.
      return (await new TaskRelay(this.pool, target, this.#taskIds).create(
        route.upstream,
        caller.subject,
        caller.userId,
        route.name,
        args,
        stream.task,
        // The task's session declares what the caller can answer: its questions reach a 2025-era caller
        // on the tasks/result stream, a 2026-07-28 one as inputRequests of tasks/get (see TaskQuestions).
        caller.relay,
        // Its result, fetched later, passes this tool's response workflow (see TaskIds).
        name,
      )) as CallToolResult;
    }
    if (stream && relayed) return capResult(await this.#relay(called, route.name, args, caller, stream, relayed, guard), route.upstream.maxResultChars);
    // Each caller's calls continue their own upstream session (a stateful upstream keeps per-session state), on any node.
    const scoped = { ...called, sessionScope: caller.subject };
    const send = () => this.pool.callTool(scoped, route.name, args, trace, headers, caller.signal);
    const hear = logsOfCall(caller, stream, notify);
    if (!hear) return capResult(await send(), route.upstream.maxResultChars);
    // The upstream's log messages pass the call's guardrails, each delivered before the result.
    const notices = judgedNotices(guard, hear.notify);
    try {
      const result = await callNotices.run({ level: hear.level, log: (params) => notices.notify('notifications/message', params) }, send);
      return capResult(result, route.upstream.maxResultChars);
    } finally {
      await notices.settled();
    }
  }

  /**
   * The upstream's definition of a route's tool as its list says now. Undefined when it cannot list
   * now, or lists it only to callers that answer its requests: the call itself meets that and answers it as usual.
   */
  async #offeredTool(route: Route, userId: string | null): Promise<Tool | undefined> {
    const upstream = personal(route.upstream, userId);
    const offered = this.pool.cachedTools(upstream) ?? (await this.pool.listTools(upstream).catch(() => undefined));
    return offered?.byName.get(route.name);
  }

  /**
   * Whether a call runs relayed: the caller asked for progress, or the tool is one the upstream
   * offers only to clients that answer its requests (and the caller declared it can).
   */
  async #relays(route: Route, relay: RelayCapabilities, stream: CallStream): Promise<'asks' | 'progress' | null> {
    if (capabilitiesKey(relay) === '' || route.upstream.forUser) return stream.progressToken !== undefined ? 'progress' : null;
    if (!(await this.pool.listTools(route.upstream)).byName.has(route.name)) {
      // Offered only to a client like this caller: checked against its approved definition there.
      const refused = withheld(route, await this.#offeredTo(route.upstream, relay));
      if (refused) throw refused;
    }
    // Any tool may ask a caller that can answer (see `streams`): the call runs where the upstream's requests reach it.
    return 'asks';
  }

  /** Whether the upstream offers this tool only to clients that answer its requests (it lists it to a session declaring all of them). */
  async #asksOnly(route: Route): Promise<boolean> {
    return (await this.#offeredTo(route.upstream, ALL_RELAYED)).byName.has(route.name);
  }

  /** One relayed call (see relayToolCall), bounded per node, its unanswered requests failed when it ends. */
  async #relay(
    target: UpstreamTarget,
    name: string,
    args: Record<string, unknown>,
    caller: FederationCaller,
    stream: CallStream,
    why: 'asks' | 'progress',
    guard: RelayGuard | undefined,
  ): Promise<CallToolResult> {
    // A 2026-07-28 caller answers the upstream's requests by retrying; progress alone goes on the leg's stream.
    if (stream.era === 'modern' && why === 'asks') return this.#roundTrip(target, name, args, caller, stream, guard);
    if (this.#relayed >= this.maxRelayed)
      throw new GatehouseError('GATEHOUSE_RATE_LIMITED', 'Too many streaming calls are running on this node; try again shortly.');
    this.#relayed++;
    const sink = sinkOf(stream, this.answers, caller.subject, target.timeoutMs, modernLogs(stream, caller.logLevel));
    try {
      return await withGuardedSink(sink, guard, (guarded) =>
        this.pool.relayToolCall(
          target,
          { name, args, scope: caller.subject, progressToken: stream.progressToken, cancel: caller.signal },
          caller.relay,
          guarded,
        ),
      );
    } finally {
      sink.close();
      this.#relayed--;
    }
  }

  /**
   * A relayed call of a 2026-07-28 caller: the upstream's requests go back as `input_required`
   * (their ids keyed `q<n>`, the call's id as `requestState`), and the caller's retry with
   * `inputResponses` continues the same upstream call, which runs on this node meanwhile.
   */
  async #roundTrip(
    target: UpstreamTarget,
    name: string,
    args: Record<string, unknown>,
    caller: FederationCaller,
    stream: CallStream,
    guard: RelayGuard | undefined,
  ): Promise<CallToolResult> {
    let id = stream.requestState;
    let trip = id === undefined ? undefined : this.#trips.continued(id, caller.subject);
    if (id !== undefined) {
      if (!trip) throw new ProtocolError(-32602, 'This call is not running on this node any more (unknown or expired requestState); call the tool again.');
      trip.answer(stream.inputResponses ?? {});
    } else {
      if (this.#relayed >= this.maxRelayed)
        throw new GatehouseError('GATEHOUSE_RATE_LIMITED', 'Too many streaming calls are running on this node; try again shortly.');
      this.#relayed++;
      const started = this.#trips.start(caller.subject, (sink) =>
        withGuardedSink(sink, guard, (guarded) =>
          this.pool.relayToolCall(target, { name, args, scope: caller.subject, progressToken: undefined }, caller.relay, guarded),
        ),
      );
      void started.trip.done.finally(() => this.#relayed--);
      id = started.id;
      trip = started.trip;
    }
    // A request that asked for log messages hears those the upstream sends while this leg is open.
    const logs = modernLogs(stream, caller.logLevel);
    const hear = caller.logLevel
      ? (method: string, params: Record<string, unknown> | undefined) => {
          if (method === 'notifications/message' && logs?.(params) !== false) stream.notify(method, params);
        }
      : undefined;
    const leg = await this.#trips.leg(id, trip, hear);
    if ('result' in leg) return leg.result;
    return { resultType: 'input_required', inputRequests: leg.inputRequests, requestState: id } as unknown as CallToolResult;
  }
}
