import { createHash } from 'node:crypto';
import type { Client, ClientCapabilities } from '@modelcontextprotocol/client';
import { GatehouseError, type StdioLaunch, type StdioProcessStatus, type UpstreamTarget } from '../../core/index.js';
import { type ClientSdk, loadClientSdk, loadedClientSdk } from './client-sdk.js';
import { GroupStdioTransport } from './stdio-process.js';
import { type StdioLease, StdioRelayChildren } from './stdio-relay-children.js';
import { DEFAULT_STDERR_LIMITS, logStderr, type StderrLimits, type StdioLog } from './stdio-stderr.js';
import { scrub } from './upstream-errors.js';

const CLIENT_INFO = { name: 'gatehouse-federation', version: '1' };

export interface StdioSupervisorOptions {
  /** Whether this node runs stdio upstreams at all (the `federationStdio` setting); off, every use fails with GATEHOUSE_MCP_STDIO_DISABLED. */
  enabled: boolean;
  log: StdioLog;
  /** The largest JSON-RPC message (one stdout line) a child may send, in bytes; a child that sends more is killed. */
  maxMessageBytes?: number;
  /** The wait before starting a child again after it exited on its own: `initialMs`, doubled per exit in a row, at most `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
  /** A child that ran this long before it exited starts its backoff over. */
  stableMs?: number;
  stderr?: StderrLimits;
  /**
   * How a child that runs but no longer answers is found: a `ping` every `intervalMs`, and one as
   * soon as a call to it times out (see probe); a child that does not answer one within `timeoutMs`
   * is killed and counted as a crash (started again at the next use, after the backoff).
   */
  liveness?: { intervalMs: number; timeoutMs: number };
  now?: () => number;
}

/** What a pool hears about the children it uses. */
export interface StdioWatcher {
  /** The server said its tool list changed. */
  toolsChanged(serverId: string): void;
  /** The server's child exited (or was stopped): clients of it are dead. */
  closed(serverId: string): void;
  /** The server's child is being started again after it exited on its own. */
  restarted?(serverId: string, name: string): void;
}

/** One server's child: its SDK client over a stdio transport running it in a process group of its own. */
interface Child {
  id: string;
  name: string;
  fingerprint: string;
  /** Made once the SDK is loaded, as the child starts. */
  client?: Client;
  ready: Promise<Client>;
  transport?: GroupStdioTransport;
  startedAt: number;
  /** Why the gateway stops it, once it does. */
  stopping: string | null;
  exited: boolean;
  /** Why the transport or the supervisor gave up on it (output over the limit, no answer to a ping), when one did. */
  fault?: string;
  /** Whether its handshake completed: a child still starting (an `npx` download) is not checked for answering. */
  connected: boolean;
  /** The liveness ping under way, if any: concurrent checks share it. */
  probing?: Promise<boolean>;
  pinger?: NodeJS.Timeout;
}

/** What outlives one child of a server on this node. */
interface History {
  /** The server's name when its child last ran (what metrics label it by). */
  name: string;
  restarts: number;
  /** Exits on its own in a row (reset by a stop the gateway asked for, or by a long enough run). */
  crashes: number;
  crashed: boolean;
  lastExit?: { at: number; reason: string };
}

/**
 * Runs this node's stdio upstream MCP servers as its children, one per server: started on first
 * use, shared by every session and pool of the node, started again (after a bounded exponential
 * backoff) at the next use after it exits, and stopped (stdin closed, then SIGTERM, then SIGKILL, to its process group)
 * when the server changes or is deleted, and when the node shuts down. A child's stdout is JSON-RPC
 * only, each message bounded in size; its stderr goes to the log, bounded (see logStderr).
 */
export class StdioSupervisor {
  readonly enabled: boolean;
  readonly #children = new Map<string, Child>();
  readonly #history = new Map<string, History>();
  readonly #watchers = new Set<StdioWatcher>();
  readonly #opts: Required<Omit<StdioSupervisorOptions, 'enabled' | 'log'>> & { log: StdioLog };
  readonly #relays: StdioRelayChildren;
  #closed = false;

  constructor(opts: StdioSupervisorOptions) {
    this.enabled = opts.enabled;
    this.#opts = {
      log: opts.log,
      maxMessageBytes: opts.maxMessageBytes ?? 8 * 1024 * 1024,
      backoff: opts.backoff ?? { initialMs: 250, maxMs: 30_000 },
      stableMs: opts.stableMs ?? 60_000,
      stderr: opts.stderr ?? DEFAULT_STDERR_LIMITS,
      liveness: opts.liveness ?? { intervalMs: 30_000, timeoutMs: 10_000 },
      now: opts.now ?? Date.now,
    };
    this.#relays = new StdioRelayChildren({ log: this.#opts.log, maxMessageBytes: this.#opts.maxMessageBytes, stderr: this.#opts.stderr });
  }

  /** Tells `watcher` about every child's tool-list changes and exits; returns the way to stop. */
  watch(watcher: StdioWatcher): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /**
   * The client of the target's child, and when it is connected: the running child when it runs
   * the target's current command, else a new one (after the backoff, when the last one exited on
   * its own). The client is shared: close it only through `stop`.
   */
  attach(target: UpstreamTarget): { ready: Promise<Client> } {
    const launch = target.stdio;
    const refuse = (err: GatehouseError) => {
      const ready = Promise.reject(err);
      ready.catch(() => undefined);
      return { ready };
    };
    if (!launch) throw new Error(`${target.name} is not a stdio upstream`);
    if (!this.enabled) return refuse(stdioDisabled(target));
    if (this.#closed) return refuse(new GatehouseError('GATEHOUSE_NOT_READY', 'The node is shutting down.'));
    const fingerprint = fingerprintOf(launch);
    const running = this.#children.get(target.id);
    if (running && running.fingerprint === fingerprint) return running;
    if (running) void this.#stop(running, 'its settings changed');
    const history = this.#historyOf(target.id);
    history.name = target.name;
    const wait = this.#backoffOf(history);
    // A wait the call cannot outlast fails it now, saying when the server runs again.
    if (wait > target.timeoutMs) {
      return refuse(
        new GatehouseError(
          'GATEHOUSE_UPSTREAM_UNREACHABLE',
          `The upstream MCP server ${target.name} exited ${history.crashes} times in a row; it is started again in ${Math.ceil(wait / 1_000)} s.`,
        ),
      );
    }
    return this.#start(target, launch, fingerprint, history, wait);
  }

  /**
   * A child of the target's server for one relayed exchange alone, its client declaring
   * `capabilities` (see StdioRelayChildren): reused by the next exchange of the same `key` (server
   * version, capabilities, caller), stopped when the server changes or the node shuts down.
   */
  lease(target: UpstreamTarget, capabilities: ClientCapabilities, key: string, signal: AbortSignal): Promise<StdioLease> {
    const launch = target.stdio;
    if (!launch) throw new Error(`${target.name} is not a stdio upstream`);
    if (!this.enabled) return Promise.reject(stdioDisabled(target));
    if (this.#closed) return Promise.reject(new GatehouseError('GATEHOUSE_NOT_READY', 'The node is shutting down.'));
    return this.#relays.lease(target, launch, fingerprintOf(launch), capabilities, key, signal);
  }

  /**
   * Checks that the server's running child still answers (a call to it timed out): a `ping` within
   * the liveness timeout, else the child is killed, its calls under way fail (see failureOf), and the
   * next use starts a new one. True when it answered (or no child runs, or it is still starting); one
   * check at a time per child.
   */
  probe(serverId: string): Promise<boolean> {
    const child = this.#children.get(serverId);
    if (!child?.connected || child.exited || child.stopping !== null) return Promise.resolve(true);
    child.probing ??= this.#ping(child).finally(() => {
      child.probing = undefined;
    });
    return child.probing;
  }

  /**
   * The error for a call to a stdio server that failed because its child's connection closed under
   * it (it exited, was killed as hung, or flooded stdout): why, in the caller's words. Undefined for
   * any other failure.
   */
  failureOf(target: UpstreamTarget, err: unknown): GatehouseError | undefined {
    const sdk = loadedClientSdk();
    if (!sdk || !(err instanceof sdk.SdkError) || err.code !== sdk.SdkErrorCode.ConnectionClosed) return undefined;
    const reason = this.#history.get(target.id)?.lastExit?.reason ?? 'it exited';
    return new GatehouseError(
      'GATEHOUSE_MCP_UPSTREAM_ERROR',
      `The upstream MCP server ${target.name} ended before it answered (${reason}); it is started again at the next call.`,
    );
  }

  /** Stops the server's child on this node (it was changed or deleted); the next use starts one afresh. */
  async stop(serverId: string, reason = 'stopped by the gateway'): Promise<void> {
    const child = this.#children.get(serverId);
    await Promise.all([child ? this.#stop(child, reason) : undefined, this.#relays.stop(serverId)]);
  }

  /** This node's child of a server, for reads; undefined when it never ran here. */
  status(serverId: string): StdioProcessStatus | undefined {
    const child = this.#children.get(serverId);
    const history = this.#history.get(serverId);
    if (!child && !history) return undefined;
    const pid = child?.transport?.pid ?? undefined;
    return {
      running: child !== undefined && pid !== undefined,
      ...(pid !== undefined ? { pid } : {}),
      restarts: history?.restarts ?? 0,
      ...(child ? { startedAt: new Date(child.startedAt).toISOString() } : {}),
      ...(history?.lastExit ? { lastExit: { at: new Date(history.lastExit.at).toISOString(), reason: history.lastExit.reason } } : {}),
    };
  }

  /** Every server whose child ran on this node: whether it runs now and how often it was restarted (for /metrics). */
  report(): Array<{ server: string; running: boolean; restarts: number }> {
    return [...this.#history].map(([id, h]) => ({ server: h.name, running: this.#children.get(id)?.transport?.pid != null, restarts: h.restarts }));
  }

  /** Stops every child (node shutdown); no new one starts afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...[...this.#children.values()].map((c) => this.#stop(c, 'the node is shutting down')), this.#relays.close()]);
  }

  #start(target: UpstreamTarget, launch: StdioLaunch, fingerprint: string, history: History, wait: number): Child {
    const child: Child = {
      id: target.id,
      name: target.name,
      fingerprint,
      // The node's first child loads the SDK.
      ready: loadClientSdk().then(({ Client }) => this.#launch(child, Client, target, launch, history, wait)),
      startedAt: this.#opts.now(),
      stopping: null,
      exited: false,
      connected: false,
    };
    this.#children.set(target.id, child);
    child.ready.catch(() => undefined);
    return child;
  }

  /** Starts the child's process (after `wait`) and connects its client. */
  async #launch(child: Child, Client: ClientSdk['Client'], target: UpstreamTarget, launch: StdioLaunch, history: History, wait: number): Promise<Client> {
    const client = new Client(CLIENT_INFO, {
      capabilities: {},
      listChanged: {
        tools: {
          autoRefresh: false,
          debounceMs: 0,
          onChanged: () => {
            for (const w of this.#watchers) w.toolsChanged(target.id);
          },
        },
      },
    });
    child.client = client;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait).unref());
    if (child.stopping !== null) throw new GatehouseError('GATEHOUSE_UPSTREAM_UNREACHABLE', `The upstream MCP server ${target.name} was stopped.`);
    if (history.crashed) {
      history.restarts++;
      for (const w of this.#watchers) w.restarted?.(target.id, target.name);
    }
    history.crashed = false;
    const transport = new GroupStdioTransport({
      command: launch.command,
      args: [...launch.args],
      env: { ...launch.env },
      ...(launch.cwd !== undefined ? { cwd: launch.cwd } : {}),
      maxBufferSize: this.#opts.maxMessageBytes,
    });
    child.transport = transport;
    child.startedAt = this.#opts.now();
    logStderr(transport.stderr, this.#opts.log, { upstream: target.name }, launch.secrets, this.#opts.stderr);
    client.onerror = (err) => {
      // The transport's own limit, said before it closes the child's stdin: a child that floods
      // stdout gets no grace period to go on doing so.
      if (!/exceeded maximum size/i.test(err.message)) return;
      child.fault = `its stdout sent a message over ${this.#opts.maxMessageBytes} bytes`;
      transport.kill('SIGKILL');
    };
    client.onclose = () => this.#exited(child, child.fault ?? 'it exited');
    try {
      await client.connect(transport);
    } catch (err) {
      const reason = `it failed to start: ${scrub(err instanceof Error ? err.message : String(err), launch.secrets).slice(0, 300)}`;
      this.#exited(child, child.fault ?? reason);
      await transport.close().catch(() => undefined);
      throw err;
    }
    this.#opts.log.info({ upstream: target.name, pid: transport.pid, restarts: history.restarts }, 'stdio upstream started');
    child.connected = true;
    if (!child.exited) {
      child.pinger = setInterval(() => void this.probe(child.id), this.#opts.liveness.intervalMs);
      child.pinger.unref();
    }
    return client;
  }

  /** Pings the child; one that does not answer in time is killed (a hung child: alive, but never answering). */
  async #ping(child: Child): Promise<boolean> {
    const { timeoutMs } = this.#opts.liveness;
    try {
      await child.client?.ping({ timeout: timeoutMs });
      return true;
    } catch (err) {
      // It ended meanwhile, or the gateway stopped it: nothing is hung.
      if (child.exited || child.stopping !== null) return true;
      const sdk = loadedClientSdk();
      if (!sdk || !(err instanceof sdk.SdkError) || err.code !== sdk.SdkErrorCode.RequestTimeout) return true;
      child.fault = `it stopped answering: no answer to a ping within ${timeoutMs} ms`;
      // SIGKILL to its whole process group: a stopped or wedged process does not act on SIGTERM.
      child.transport?.kill('SIGKILL');
      // Counted now: the next use starts a new child without waiting for the old one's pipes to close.
      this.#exited(child, child.fault);
      return false;
    }
  }

  async #stop(child: Child, reason: string): Promise<void> {
    if (child.stopping !== null) return;
    child.stopping = reason;
    if (this.#children.get(child.id) === child) this.#children.delete(child.id);
    await child.client?.close().catch(() => undefined);
    // A child still starting has no client connection yet: close its transport itself.
    await child.transport?.close().catch(() => undefined);
    this.#exited(child, reason);
  }

  /** Records that a child ended; `why` is what the transport saw, unless the gateway stopped it (then its own reason holds). */
  #exited(child: Child, why: string): void {
    if (child.exited) return;
    child.exited = true;
    clearInterval(child.pinger);
    const reason = child.stopping ?? why;
    const history = this.#historyOf(child.id);
    const at = this.#opts.now();
    if (child.stopping !== null) {
      history.crashes = 0;
      history.crashed = false;
    } else {
      history.crashes = at - child.startedAt >= this.#opts.stableMs ? 1 : history.crashes + 1;
      history.crashed = true;
    }
    history.lastExit = { at, reason };
    if (history.crashed)
      this.#opts.log.warn({ upstream: child.name, reason, crashes: history.crashes, restartInMs: this.#backoffOf(history) }, 'stdio upstream exited');
    if (this.#children.get(child.id) === child) this.#children.delete(child.id);
    for (const w of this.#watchers) w.closed(child.id);
  }

  /** How long a new child of this server must wait, counted from the last exit. */
  #backoffOf(history: History): number {
    if (!history.crashed || history.crashes === 0 || !history.lastExit) return 0;
    const { initialMs, maxMs } = this.#opts.backoff;
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(history.crashes - 1, 30));
    return Math.max(0, history.lastExit.at + delay - this.#opts.now());
  }

  #historyOf(id: string): History {
    let found = this.#history.get(id);
    if (!found) {
      found = { name: id, restarts: 0, crashes: 0, crashed: false };
      this.#history.set(id, found);
    }
    return found;
  }
}

/** Identifies what a child runs, secrets included (hashed): a change starts a new child. */
function fingerprintOf(launch: StdioLaunch): string {
  return createHash('sha256')
    .update(JSON.stringify([launch.command, launch.args, launch.cwd ?? null, Object.entries(launch.env).sort()]))
    .digest('hex');
}

/** The refusal of a stdio upstream on a node that runs none. */
function stdioDisabled(target: UpstreamTarget): GatehouseError {
  return new GatehouseError(
    'GATEHOUSE_MCP_STDIO_DISABLED',
    `The upstream MCP server ${target.name} runs over stdio, and stdio upstreams are off on this node (GATEHOUSE_FEDERATION_STDIO).`,
  );
}
