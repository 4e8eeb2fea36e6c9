import type { Client } from '@modelcontextprotocol/client';
import type {
  CallToolResult,
  CompleteRequestParams,
  CompleteResult,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType,
  Tool,
} from '@modelcontextprotocol/server';
import { GatehouseError, type UpstreamSessionBinding, type UpstreamSessionStore, type UpstreamTarget } from '../../core/index.js';
import type { TraceHeaders } from '../../telemetry/otel/tracer.js';
import { type CallHeaders, callHeaders, withCallHeaders } from './call-headers.js';
import { callNotices } from './call-notices.js';
import { canonicalAnswers } from './canonical-answers.js';
import { clientSdk, loadClientSdk, loadedClientSdk } from './client-sdk.js';
import { upstreamFetchFor } from './guarded-fetch.js';
import { leanCallTool } from './lean-call.js';
import type { NoticeBudgetOptions, UpstreamNotification } from './notice-budget.js';
import { withOwnSignal } from './own-signal.js';
import { scrubSecrets } from './scrub-secrets.js';
import { StdioSupervisor } from './stdio-supervisor.js';
import { fetchTools, type UpstreamTools } from './upstream-definitions.js';
import { type Entry, type HttpEntry, leanSessionOf, shapeOf } from './upstream-entry.js';
import { secretsOf, upstreamError } from './upstream-errors.js';
import { withDynamicHeaders, withTraceHeaders } from './upstream-fetch.js';
import { type SessionState, UpstreamHealth, type UpstreamHealthRow, type UpstreamHealthStore } from './upstream-health.js';
import { type NotificationFanout, type UpstreamNotificationListener, UpstreamNotices } from './upstream-notices.js';
import {
  ALL_RELAYED,
  capabilitiesKey,
  clientCapabilitiesOf,
  listToolsAs,
  openHttpRelay,
  type RelayCapabilities,
  type RelaySessionOpener,
  type RelaySink,
  relayToolCall,
} from './upstream-relay.js';
import { brokenConnection, sessionGone } from './upstream-session-failures.js';
import { openShared } from './upstream-shared-session.js';
import { TaskSinks, type TaskMethod, taskExchange } from './upstream-tasks.js';

export type { UpstreamTools } from './upstream-definitions.js';
export type { NotificationFanout, UpstreamNotificationListener, UpstreamSource } from './upstream-notices.js';

const CLIENT_INFO = { name: 'gatehouse-federation', version: '1' };

/** The 2025 revisions (and older): a session whose log level is its own, set by `logging/setLevel`. */
const LEGACY_ERA = /^20(24|25)-/;
/** Where a 2026-07-28 request asks for log messages (SEP-2577). */
const LOG_LEVEL_META = 'io.modelcontextprotocol/logLevel';

/** How soon news of an upstream's health (an error, a healed session) is written to the store. */
const URGENT_FLUSH_MS = 250;

/** The errors that are the upstream's (not the gateway's refusals): what its health records as its last error. */
const UPSTREAM_FAILURES: ReadonlySet<string> = new Set(['GATEHOUSE_UPSTREAM_UNREACHABLE', 'GATEHOUSE_UPSTREAM_TIMEOUT', 'GATEHOUSE_MCP_UPSTREAM_ERROR']);

export interface UpstreamPoolOptions {
  /** Connected clients kept at most; the least recently used is closed beyond it. */
  maxClients?: number;
  /** A client unused this long is closed. */
  idleMs?: number;
  now?: () => number;
  /** Where the cluster remembers upstream sessions, so a scoped call continues its session on any node; without it, sessions are per node. */
  sessions?: UpstreamSessionStore;
  /** Where what this node sees of each upstream's health is written (every `healthFlushMs`), so any node's reads show it. */
  healthStore?: UpstreamHealthStore;
  healthFlushMs?: number;
  /** Runs the node's stdio upstreams; without it they are refused (GATEHOUSE_MCP_STDIO_DISABLED). */
  stdio?: StdioSupervisor;
  /**
   * Whether unscoped sessions declare every client capability a relayed call honours (sampling,
   * elicitation, roots), so an upstream lists the tools it offers only to such clients: what
   * curation needs to pin them. Callers' sessions never declare them.
   */
  declareRelayed?: boolean;
  /** Whether a tools/call on a 2025-era session may skip the SDK client (lean-call.ts; default) or always goes through it (GATEHOUSE_FAST_PATHS=off). */
  fastPaths?: boolean;
  /**
   * Where what upstream sessions announce goes to the other nodes, and comes from them. An upstream
   * sends a session's news on that session's one event stream, held by the node that opened the
   * session; the caller whose session it is may be listening on another node (a session is continued
   * on any node). Without it, listeners hear this node's sessions only.
   */
  fanout?: NotificationFanout;
  /** How many notifications one upstream session passes on (see NoticeBudget). */
  notices?: NoticeBudgetOptions;
}

/**
 * Connected MCP clients to upstream servers, one per upstream version (its settings and
 * credentials): a call reuses the session instead of paying a handshake. Each client carries
 * the upstream's tool definitions, reused until they age out, the upstream says its list
 * changed, or the server's settings change (a new version is a new client). A client whose
 * session the upstream forgot, or whose connection broke, is replaced — a call that found its
 * session gone is retried once on a new one, as the upstream never saw it.
 */
export class UpstreamPool {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #idleMs: number;
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;
  readonly #sessions: UpstreamSessionStore | undefined;
  readonly #health: UpstreamHealth;
  readonly #healthStore: UpstreamHealthStore | undefined;
  readonly #flusher: NodeJS.Timeout | undefined;
  #urgentFlush: NodeJS.Timeout | undefined;
  /** Servers whose last connection attempt failed (until one succeeds). */
  readonly #connectFailed = new Set<string>();
  readonly #stdio: StdioSupervisor;
  readonly #unwatchStdio: () => void;

  readonly #declareRelayed: boolean;
  readonly #lean: boolean;
  /** Who waits for a task's result on this node: where the upstream's questions inside that task go. */
  readonly #tasks = new TaskSinks();
  readonly #notices: UpstreamNotices;

  /** The cluster's channel this pool's notifications travel on, for news of the same sessions' tasks (see TaskQuestions). */
  get fanout(): NotificationFanout | undefined {
    return this.#notices.fanout;
  }

  constructor(opts: UpstreamPoolOptions = {}) {
    // Another node's session of an upstream said its tools changed: this node's definitions of it age too.
    this.#notices = new UpstreamNotices(opts.fanout, opts.notices, (upstreamId) => {
      for (const entry of this.#entries.values()) if (entry.target.id === upstreamId) entry.tools = null;
    });
    this.#sessions = opts.sessions;
    this.#declareRelayed = opts.declareRelayed ?? false;
    this.#lean = opts.fastPaths !== false;
    this.#stdio = opts.stdio ?? new StdioSupervisor({ enabled: false, log: { info: () => undefined, warn: () => undefined } });
    this.#unwatchStdio = this.#stdio.watch({
      toolsChanged: (id) => this.invalidate(id),
      closed: (id) => {
        for (const e of this.#entries.values()) if (e.shared && e.target.id === id) void this.#drop(e);
      },
      restarted: (id, name) => this.#health.restarted(id, name),
    });
    this.#max = opts.maxClients ?? 256;
    this.#idleMs = opts.idleMs ?? 120_000;
    this.#now = opts.now ?? Date.now;
    // News (an error, a healed session) is written within a moment, at most once per `URGENT_FLUSH_MS`; the rest every `healthFlushMs`.
    this.#health = new UpstreamHealth(this.#now, () => {
      if (!this.#healthStore || this.#urgentFlush) return;
      this.#urgentFlush = setTimeout(() => {
        this.#urgentFlush = undefined;
        void this.flushHealth();
      }, URGENT_FLUSH_MS);
      this.#urgentFlush.unref();
    });
    this.#healthStore = opts.healthStore;
    this.#sweeper = setInterval(() => this.#sweep(), Math.max(1_000, Math.min(this.#idleMs / 2, 30_000)));
    this.#sweeper.unref();
    if (this.#healthStore) {
      this.#flusher = setInterval(() => void this.flushHealth(), opts.healthFlushMs ?? 5_000);
      this.#flusher.unref();
    }
  }

  /** What this node has seen of each upstream it called, with its sessions' state now (for metrics). */
  health(): UpstreamHealthRow[] {
    return this.#health.snapshot((id) => this.#sessionState(id));
  }

  /** The health tracker, for a supervisor of stdio upstreams to count restarts in. */
  get healthTracker(): UpstreamHealth {
    return this.#health;
  }

  /** Writes what changed since the last write to the health store (also done every few seconds). */
  async flushHealth(): Promise<void> {
    const rows = this.#health.takeChanged((id) => this.#sessionState(id));
    if (rows.length === 0 || !this.#healthStore) return;
    await this.#healthStore.save(rows).catch(() => this.#health.retry(rows));
  }

  #sessionState(serverId: string): SessionState {
    let state: SessionState = this.#connectFailed.has(serverId) ? 'failed' : 'idle';
    for (const e of this.#entries.values()) {
      if (e.target.id !== serverId || e.closed) continue;
      if (e.state === 'open') return 'open';
      if (e.state === 'stateless') state = 'stateless';
      else if (state !== 'stateless') state = 'connecting';
    }
    return state;
  }

  /** Every tool the upstream offers (all pages), from the cache while it is fresh (unless `fresh`). */
  async listTools(target: UpstreamTarget, opts: { fresh?: boolean } = {}): Promise<UpstreamTools> {
    return this.#run(target, async (entry, client, signal) => {
      const cached = entry.tools;
      if (cached && !opts.fresh && this.#now() - cached.at < target.definitionsTtlMs) return cached.value;
      const value = fetchTools(client, signal, () => [...secretsOf(target), ...entry.sent]).then((tools) => {
        this.#health.toolsListed(target.id, target.name, tools.byName.size);
        return tools;
      });
      const slot: NonNullable<Entry['tools']> = { at: this.#now(), value };
      entry.tools = slot;
      // A failed fetch is not cached: the next caller tries again.
      value.then(
        (done) => {
          slot.done = done;
        },
        () => {
          if (entry.tools === slot) entry.tools = null;
        },
      );
      return value;
    });
  }

  /**
   * Calls one tool; a tool error the upstream reports comes back as its `isError` result. Secret
   * values the upstream echoes are cut from the result (see scrubSecrets).
   * A trace context goes in the call's `_meta`, where MCP servers read it, and in that request's
   * HTTP headers (see withTraceHeaders). `headers` (a workflow's) go beneath the upstream's own.
   * `cancel` (the caller cancelled) cancels the upstream request: both paths tell the upstream
   * (`notifications/cancelled` with the id they sent, so the caller's id needs no mapping).
   */
  async callTool(
    target: UpstreamTarget,
    name: string,
    args: Record<string, unknown>,
    trace: TraceHeaders | null = null,
    headers: CallHeaders | null = null,
    cancel?: AbortSignal,
  ): Promise<CallToolResult> {
    const notices = callNotices.getStore();
    return this.#scrubbed(
      target,
      async (client, signal, entry) => {
        const call = async () => {
          // The hot path: a 2025-era session's call is sent as is, without the SDK client's per-request
          // cost. A tool with an output schema (or not known yet) stays with the client, which checks
          // the structured content against it.
          const lean = this.#lean ? leanSessionOf(entry, client) : null;
          const known = this.#definitions(entry)?.byName.get(name);
          if (lean && known && known.outputSchema === undefined) return leanCallTool(lean, name, args, trace, signal, headers);
          // A 2026-07-28 upstream sends log messages only to a request that asks for them (a 2025-era one filters by its session's level).
          const level = notices && !lean && !LEGACY_ERA.test(client.getNegotiatedProtocolVersion() ?? '') ? { [LOG_LEVEL_META]: notices.level } : {};
          const traced = trace?.traceparent ? { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) } : {};
          const meta = Object.keys(traced).length + Object.keys(level).length > 0 ? { _meta: { ...traced, ...level } } : {};
          const send = () => client.callTool({ name, arguments: args, ...meta }, { signal, timeout: target.timeoutMs });
          return (await (headers === null ? send() : callHeaders.run(headers, send))) as CallToolResult;
        };
        if (!notices) return call();
        // What the caller hears has the gateway's credentials cut out, like every answer.
        return callNotices.run({ level: notices.level, log: (params) => notices.log(scrubSecrets(params, [...secretsOf(target), ...entry.sent])) }, call);
      },
      cancel,
    );
  }

  /**
   * The tools the upstream offers a client declaring `caps` (all pages), read in a relay session
   * of their own (see RelaySessionOpener): an upstream may offer some tools only to clients able
   * to answer its sampling, elicitation or roots requests.
   */
  listToolsAs(target: UpstreamTarget, caps: RelayCapabilities): Promise<Tool[]> {
    return listToolsAs(this.#openRelay, target, caps);
  }

  /** One tool call relayed to its caller (see relayToolCall), on a relay session of the caller's (`call.scope`). */
  relayToolCall(target: UpstreamTarget, call: Parameters<typeof relayToolCall>[2], caps: RelayCapabilities, sink: RelaySink): Promise<CallToolResult> {
    return relayToolCall(this.#openRelay, target, call, caps, sink);
  }

  /** A relay session: an HTTP upstream's own session, a stdio upstream's own child (the shared child cannot tell its callers' requests apart). */
  readonly #openRelay: RelaySessionOpener = async (target, caps, scope, signal) => {
    if (!target.stdio) return openHttpRelay(target, caps, scope, signal);
    const lease = await this.#stdio.lease(target, clientCapabilitiesOf(caps), `${target.id}@${target.version}~${capabilitiesKey(caps)}#${scope}`, signal);
    return { client: lease.client, sent: [], end: (reusable) => lease.release(reusable) };
  };

  /** Every prompt the upstream offers: the SDK client follows the upstream's cursors (and fails a list that never ends). */
  async listPrompts(target: UpstreamTarget): Promise<Prompt[]> {
    return this.#scrubbed(target, async (client, signal) => (await client.listPrompts({}, { signal, cacheMode: 'bypass' })).prompts);
  }

  async getPrompt(target: UpstreamTarget, name: string, args: Record<string, string> | undefined): Promise<GetPromptResult> {
    return this.#scrubbed(target, (client, signal) => client.getPrompt({ name, ...(args ? { arguments: args } : {}) }, { signal, timeout: target.timeoutMs }));
  }

  /** Every resource the upstream lists, all pages (see listPrompts). */
  async listResources(target: UpstreamTarget): Promise<Resource[]> {
    return this.#scrubbed(target, async (client, signal) => (await client.listResources({}, { signal, cacheMode: 'bypass' })).resources);
  }

  async readResource(target: UpstreamTarget, uri: string): Promise<ReadResourceResult> {
    return this.#scrubbed(target, (client, signal) => client.readResource({ uri }, { signal, cacheMode: 'bypass' }));
  }

  /** Listens to what upstream sessions announce (secrets cut out); returns the function that stops listening. */
  onNotification(listener: UpstreamNotificationListener): () => void {
    return this.#notices.listen(listener);
  }

  #announce(entry: Entry | null, notification: UpstreamNotification): void {
    this.#notices.announce(entry, notification);
  }

  /** The upstream's `instructions` from its `initialize` (on the node's own session), or undefined. */
  async instructions(target: UpstreamTarget): Promise<string | undefined> {
    return this.#scrubbed(target, async (client) => client.getInstructions());
  }

  /** Every resource template the upstream lists, all pages (see listPrompts). */
  async listResourceTemplates(target: UpstreamTarget): Promise<ResourceTemplateType[]> {
    return this.#scrubbed(target, async (client, signal) => (await client.listResourceTemplates({}, { signal, cacheMode: 'bypass' })).resourceTemplates);
  }

  /** `completion/complete` of a prompt's or resource template's argument, as the upstream suggests. */
  async complete(target: UpstreamTarget, params: CompleteRequestParams): Promise<CompleteResult> {
    return this.#scrubbed(target, (client, signal) => client.complete(params, { signal, timeout: target.timeoutMs }));
  }

  /** `resources/subscribe` (or `unsubscribe`) in the target's session (scope it to the caller). */
  async subscribeResource(target: UpstreamTarget, uri: string, on: boolean): Promise<void> {
    await this.#run(target, (_entry, client, signal) => (on ? client.subscribeResource({ uri }, { signal }) : client.unsubscribeResource({ uri }, { signal })));
  }

  /**
   * A task-augmented `tools/call` (2025-11-25 tasks) in the target's session (scope it to the
   * caller: the task lives in that session): the upstream's `CreateTaskResult`.
   */
  async callToolAsTask(target: UpstreamTarget, name: string, args: Record<string, unknown>, task: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.#scrubbed(target, (client, signal) =>
      client.request({ method: 'tools/call', params: { name, arguments: args, task } } as never, clientSdk().specTypeSchemas.CreateTaskResult as never, {
        signal,
        timeout: target.timeoutMs,
      }),
    );
  }

  /** A `tasks/get`, `tasks/result`, `tasks/cancel` or `tasks/list` in the target's session (where its tasks live). */
  async taskRequest(
    target: UpstreamTarget,
    method: TaskMethod,
    params: Record<string, unknown>,
    /** For `tasks/result`: where the upstream's questions inside the task go while the caller waits for it (see UpstreamTarget.declares). */
    sink?: RelaySink,
  ): Promise<Record<string, unknown>> {
    return this.#scrubbed(target, async (client, signal, entry) => {
      const taskId = params.taskId;
      if (!sink || method !== 'tasks/result' || typeof taskId !== 'string') return taskExchange(client, signal, target, method, params);
      return this.#tasks.waiting(entry, taskId, sink, () => taskExchange(client, signal, target, method, params));
    });
  }

  /**
   * A caller's session at a stdio upstream that declares what the caller can answer (its tasks may
   * ask it): a child of the caller's own, its client declaring just that. The server's shared child
   * cannot: it declares nothing, and a question it sent could not say whose it is. The child lives
   * as long as the entry (every exchange of the caller's tasks runs on it, as the task lives in that
   * process), and stops with it: idle for the pool's idle time, or evicted.
   */
  #stdioSessionEntry(key: string, target: UpstreamTarget, declared: RelayCapabilities): Entry {
    const scope = `${target.id}@${target.version}~${capabilitiesKey(declared)}#session:${target.sessionScope}`;
    const ready = this.#stdio.lease(target, clientCapabilitiesOf(declared), scope, AbortSignal.timeout(target.timeoutMs)).then((lease) => {
      entry.release = () => lease.release(false);
      if (entry.closed) {
        lease.release(false);
        throw new GatehouseError('GATEHOUSE_UPSTREAM_UNREACHABLE', `The session with the upstream MCP server ${target.name} was closed.`);
      }
      this.#tasks.asksForTasks(() => entry, lease.client, declared);
      // The child exited or was stopped: the next exchange starts another.
      const forget = lease.client.onclose;
      lease.client.onclose = () => {
        forget?.();
        void this.#drop(entry);
      };
      entry.state = 'open';
      this.#health.touch(target.id);
      return lease.client;
    });
    const entry: Entry = { key, target, ready, lastUsed: this.#now(), sent: [], tools: null, closed: false, state: 'connecting' };
    ready.catch(() => void this.#drop(entry));
    return entry;
  }

  /** `logging/setLevel` in the target's session (scope it to the caller). */
  async setLoggingLevel(target: UpstreamTarget, level: string): Promise<void> {
    await this.#run(target, (_entry, client, signal) => client.setLoggingLevel(level as never, { signal }));
  }

  /**
   * The definitions of this upstream version as some session last fetched them, without calling it:
   * what a person who has not connected a per-user upstream is shown, so they can call a tool and be
   * told how to connect. Undefined when no session has them.
   */
  cachedTools(target: UpstreamTarget): UpstreamTools | undefined {
    for (const entry of this.#entries.values()) {
      if (entry.target.id === target.id && entry.target.version === target.version && entry.tools?.done) return entry.tools.done;
    }
    return undefined;
  }

  /** The entry's upstream definitions as last fetched: its own, else the unscoped session's (a virtual server lists there), else any session's. */
  #definitions(entry: Entry): UpstreamTools | undefined {
    const target = entry.target;
    return entry.tools?.done ?? this.#entries.get(`${target.id}@${target.version}`)?.tools?.done ?? this.cachedTools(target);
  }

  /** Forgets cached tool definitions (of one upstream, or all): the next list fetches them again. */
  invalidate(upstreamId?: string): void {
    for (const entry of this.#entries.values()) if (upstreamId === undefined || entry.target.id === upstreamId) entry.tools = null;
    this.#announce(null, { method: 'notifications/tools/list_changed' });
  }

  /** The number of connected clients (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    clearInterval(this.#flusher);
    clearTimeout(this.#urgentFlush);
    this.#unwatchStdio();
    this.#notices.close();
    await this.flushHealth();
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((e) => this.#drop(e)));
  }

  /** Runs one exchange like #run, with the secrets it sent cut from what the upstream answered (a token refreshed on the way is the one to cut). */
  async #scrubbed<T>(target: UpstreamTarget, work: (client: Client, signal: AbortSignal, entry: Entry) => Promise<T>, cancel?: AbortSignal): Promise<T> {
    let sent: readonly string[] = [];
    const result = await this.#run(
      target,
      async (entry, client, signal) => {
        const answer = await work(client, signal, entry);
        sent = entry.sent;
        return answer;
      },
      cancel,
    );
    return scrubSecrets(result, [...secretsOf(target), ...sent]);
  }

  /** Runs one exchange on the target's pooled client within the target's timeout; failures become GatehouseErrors. */
  async #run<T>(target: UpstreamTarget, work: (entry: Entry, client: Client, signal: AbortSignal) => Promise<T>, cancel?: AbortSignal): Promise<T> {
    // Loaded by the first exchange with any upstream; once loaded, this costs nothing.
    const sdk = loadedClientSdk() ?? (await loadClientSdk());
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, target.timeoutMs);
    const onCancel = () => abort.abort(cancel?.reason);
    if (cancel?.aborted) onCancel();
    else cancel?.addEventListener('abort', onCancel, { once: true });
    let entry: Entry | undefined;
    /** What the lost session had negotiated, when its session is re-opened (see shapeOf). */
    let lost: string | undefined;
    let healed = false;
    try {
      for (let attempt = 0; ; attempt++) {
        entry = this.#entryFor(target);
        let client: Client | undefined;
        try {
          client = await raceAbort(entry.ready, abort.signal);
          // The upstream came back speaking another revision or offering other capabilities: its definitions are read afresh.
          if (lost !== undefined && shapeOf(client) !== undefined && shapeOf(client) !== lost) this.invalidate(target.id);
          const answer = await work(entry, client, abort.signal);
          this.#health.succeeded(target.id, target.name);
          if (healed) this.#health.reinitialized(target.id, target.name);
          return answer;
        } catch (err) {
          if (timedOut) throw err;
          const gone = attempt === 0 && sessionGone(err);
          // Read before the client is closed, which forgets it.
          if (gone && client !== undefined) lost = shapeOf(client);
          // The connection broke or the upstream forgot the session: start afresh next time.
          if (brokenConnection(err)) void this.#drop(entry);
          if (gone) {
            // No node may continue a session the upstream has forgotten.
            if (entry.session !== undefined) await this.#sessions?.forget(entry.key, entry.session).catch(() => undefined);
            healed = true;
            continue;
          }
          throw err;
        }
      }
    } catch (err) {
      // The caller cancelled: nothing to say of the upstream's health.
      if (cancel?.aborted && !timedOut) throw new GatehouseError('GATEHOUSE_CALL_CANCELLED');
      // A stdio child that lets a call time out may be hung: the supervisor pings it, and kills it if so.
      if (entry?.shared && (timedOut || (err instanceof sdk.SdkError && err.code === sdk.SdkErrorCode.RequestTimeout))) void this.#stdio.probe(target.id);
      const failure =
        (entry?.shared && !timedOut ? this.#stdio.failureOf(target, err) : undefined) ??
        upstreamError(target, err, timedOut, [...secretsOf(target), ...(entry?.sent ?? [])]);
      // The gateway's own refusals (a token it could not get, a person not connected) say nothing of the upstream.
      if (UPSTREAM_FAILURES.has(failure.code)) this.#health.failed(target.id, target.name, failure.message);
      throw failure;
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    }
  }

  /** The live entry for this target's version (and session scope), connecting one (once, for all concurrent callers) when there is none. */
  #entryFor(target: UpstreamTarget): Entry {
    const key = `${target.id}@${target.version}${target.sessionScope === undefined ? '' : `#${target.sessionScope}`}`;
    const found = this.#entries.get(key);
    if (found && !found.closed) {
      found.lastUsed = this.#now();
      // Map order is the LRU order.
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found;
    }
    // An older version of the same server is stale from now on.
    for (const e of this.#entries.values()) if (e.target.id === target.id && e.target.version !== target.version) void this.#drop(e);
    const entry = this.#connect(key, target);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.values().next().value;
      if (oldest) void this.#drop(oldest);
    }
    return entry;
  }

  #connect(key: string, target: UpstreamTarget): Entry {
    if (target.stdio && target.sessionScope !== undefined && target.declares && capabilitiesKey(target.declares) !== '')
      return this.#stdioSessionEntry(key, target, target.declares);
    if (target.stdio) {
      // The node's one child of the server, shared by every session scope: no session to record.
      const { ready } = this.#stdio.attach(target);
      const entry: Entry = { key, target, ready, lastUsed: this.#now(), sent: [], tools: null, closed: false, shared: true, state: 'connecting' };
      ready.then(
        () => {
          entry.state = 'open';
          this.#connectFailed.delete(target.id);
          this.#health.touch(target.id);
        },
        () => {
          this.#connectFailed.add(target.id);
          this.#health.touch(target.id);
          void this.#drop(entry);
        },
      );
      return entry;
    }
    // The pool's exchanges load the SDK before they connect (see #run).
    const { Client, StreamableHTTPClientTransport } = clientSdk();
    const newClient = () => {
      const declared = target.sessionScope !== undefined ? target.declares : undefined;
      const client = new Client(CLIENT_INFO, {
        capabilities: declared
          ? clientCapabilitiesOf(declared)
          : this.#declareRelayed && target.sessionScope === undefined
            ? clientCapabilitiesOf(ALL_RELAYED)
            : {},
        // The upstream says its tools changed: the next list fetches them again.
        listChanged: {
          tools: {
            autoRefresh: false,
            debounceMs: 0,
            onChanged: () => {
              entry.tools = null;
              this.#announce(entry, { method: 'notifications/tools/list_changed' });
            },
          },
        },
      });
      client.onclose = () => void this.#drop(entry);
      client.fallbackNotificationHandler = async (n) => this.#announce(entry, n as UpstreamNotification);
      // A listing session asked for its roots has none; no call runs there that would sample or elicit.
      if (this.#declareRelayed && target.sessionScope === undefined) client.setRequestHandler('roots/list', () => ({ roots: [] }));
      // Read when a question comes: this client is made before its entry.
      if (declared) this.#tasks.asksForTasks(() => entry, client, declared);
      return client;
    };
    const client = newClient();
    const entry: HttpEntry = {
      key,
      target,
      client,
      ready: Promise.resolve(client),
      lastUsed: this.#now(),
      sent: [],
      tools: null,
      closed: false,
      state: 'connecting',
    };
    const transportFor = (session?: UpstreamSessionBinding) => {
      entry.transport = new StreamableHTTPClientTransport(new URL(target.url), {
        requestInit: { headers: { ...target.headers } },
        // Every answer is read by the gateway's parser first, as the lean call reads it (see canonicalAnswers).
        fetch: withOwnSignal(
          canonicalAnswers(
            withTraceHeaders(withCallHeaders(target.dynamicHeaders ? withDynamicHeaders(target.dynamicHeaders, entry) : upstreamFetchFor(target))),
          ),
        ),
        ...(session ? { sessionId: session.sessionId, protocolVersion: session.protocolVersion } : {}),
      });
      return entry.transport;
    };
    entry.ready =
      this.#sessions && target.sessionScope !== undefined
        ? openShared(entry, this.#sessions, newClient, transportFor)
        : client.connect(transportFor()).then(() => client);
    entry.ready.then(
      () => {
        entry.state = entry.transport?.sessionId === undefined ? 'stateless' : 'open';
        this.#connectFailed.delete(target.id);
        this.#health.touch(target.id);
      },
      () => {
        this.#connectFailed.add(target.id);
        this.#health.touch(target.id);
        void this.#drop(entry);
      },
    );
    return entry;
  }

  async #drop(entry: Entry): Promise<void> {
    if (entry.closed) return;
    entry.closed = true;
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    this.#health.touch(entry.target.id);
    entry.release?.();
    if (!entry.shared) await entry.client?.close().catch(() => undefined);
  }

  #sweep(): void {
    const cutoff = this.#now() - this.#idleMs;
    for (const entry of this.#entries.values()) if (entry.lastUsed < cutoff) void this.#drop(entry);
  }
}

/** Waits for `p` unless the signal fires first. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
