import type { Client, ClientCapabilities } from '@modelcontextprotocol/client';
import type { StdioLaunch, UpstreamTarget } from '../../core/index.js';
import { loadClientSdk } from './client-sdk.js';
import { GroupStdioTransport } from './stdio-process.js';
import { logStderr, type StderrLimits, type StdioLog } from './stdio-stderr.js';

const CLIENT_INFO = { name: 'gatehouse-federation', version: '1' };

/** A relay child for one exchange: its client, and how the exchange hands it back. */
export interface StdioLease {
  readonly client: Client;
  /** The exchange is over: a `reusable` child waits for its key's next exchange; any other is stopped. */
  release(reusable: boolean): void;
}

export interface StdioRelayOptions {
  log: StdioLog;
  maxMessageBytes: number;
  stderr: StderrLimits;
  /** An idle relay child is stopped after this long. */
  idleMs?: number;
  /** Idle relay children kept per server at most; the oldest is stopped beyond it. */
  maxIdlePerServer?: number;
}

interface RelayChild {
  key: string;
  serverId: string;
  fingerprint: string;
  client: Client;
  transport: GroupStdioTransport;
  busy: boolean;
  dead: boolean;
  idle?: NodeJS.Timeout;
}

/**
 * Children of stdio servers that run relayed exchanges, apart from the server's shared child.
 *
 * Why processes of their own: stdio has no per-request stream, so a request the server sends
 * mid-call (sampling, elicitation, roots) says nothing of the call it belongs to. On the shared
 * child, two callers' calls would be indistinguishable, and one person's question could reach
 * another. A relay child runs one exchange at a time, its client declaring exactly what its caller
 * declared, so every request it sends belongs to that exchange. A child is keyed by server version,
 * capabilities and caller (the process's state — roots it was given, memory — stays one caller's),
 * and kept a while for that key's next exchange: starting a program per call would cost seconds.
 */
export class StdioRelayChildren {
  readonly #children = new Set<RelayChild>();
  readonly #idleMs: number;
  readonly #maxIdle: number;

  constructor(private readonly opts: StdioRelayOptions) {
    this.#idleMs = opts.idleMs ?? 60_000;
    this.#maxIdle = opts.maxIdlePerServer ?? 8;
  }

  /** An idle child of `key` running `fingerprint`, else a new one (its handshake within `signal`). */
  async lease(
    target: UpstreamTarget,
    launch: StdioLaunch,
    fingerprint: string,
    capabilities: ClientCapabilities,
    key: string,
    signal: AbortSignal,
  ): Promise<StdioLease> {
    for (const child of this.#children) {
      if (child.busy || child.dead || child.key !== key || child.fingerprint !== fingerprint) continue;
      clearTimeout(child.idle);
      child.busy = true;
      return this.#leaseOf(child);
    }
    const { Client } = await loadClientSdk();
    const client = new Client(CLIENT_INFO, { capabilities });
    const transport = new GroupStdioTransport({
      command: launch.command,
      args: [...launch.args],
      env: { ...launch.env },
      ...(launch.cwd !== undefined ? { cwd: launch.cwd } : {}),
      maxBufferSize: this.opts.maxMessageBytes,
    });
    logStderr(transport.stderr, this.opts.log, { upstream: target.name }, launch.secrets, this.opts.stderr);
    const child: RelayChild = { key, serverId: target.id, fingerprint, client, transport, busy: true, dead: false };
    client.onclose = () => this.#forget(child);
    // A child that floods stdout is stopped at once, as the shared child is.
    client.onerror = (err) => {
      if (/exceeded maximum size/i.test(err.message)) transport.kill('SIGKILL');
    };
    this.#children.add(child);
    const abort = () => void this.#stop(child);
    signal.addEventListener('abort', abort, { once: true });
    try {
      await client.connect(transport);
    } catch (err) {
      await this.#stop(child);
      throw err;
    } finally {
      signal.removeEventListener('abort', abort);
    }
    return this.#leaseOf(child);
  }

  /** Stops every relay child of a server (it was changed or deleted). */
  async stop(serverId: string): Promise<void> {
    await Promise.all([...this.#children].filter((c) => c.serverId === serverId).map((c) => this.#stop(c)));
  }

  /** Stops every relay child (node shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.#children].map((c) => this.#stop(c)));
  }

  #leaseOf(child: RelayChild): StdioLease {
    let released = false;
    return {
      client: child.client,
      release: (reusable) => {
        if (released) return;
        released = true;
        if (!reusable || child.dead) return void this.#stop(child);
        child.busy = false;
        child.idle = setTimeout(() => void this.#stop(child), this.#idleMs);
        child.idle.unref();
        const idle = [...this.#children].filter((c) => c.serverId === child.serverId && !c.busy && !c.dead);
        // Set order is the order they started in: the oldest idle ones go first.
        for (const extra of idle.slice(0, Math.max(0, idle.length - this.#maxIdle))) void this.#stop(extra);
      },
    };
  }

  #forget(child: RelayChild): void {
    child.dead = true;
    clearTimeout(child.idle);
    this.#children.delete(child);
  }

  async #stop(child: RelayChild): Promise<void> {
    if (child.dead) return;
    this.#forget(child);
    child.client.onclose = undefined;
    await child.client.close().catch(() => undefined);
    await child.transport.close().catch(() => undefined);
  }
}
