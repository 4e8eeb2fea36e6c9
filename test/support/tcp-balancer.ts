import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A backend as the balancer sees it: where it listens, and whether its readiness probe passed last. */
interface Backend {
  port: number;
  ready: boolean;
  /** Probes in a row that got no answer (a timeout or a refused connection). */
  silent: number;
}

/**
 * Probes in a row without an answer before a backend counts as unready, as Kubernetes'
 * `failureThreshold` (3 by default): a busy node answering one probe late is not taken out. A 503
 * (a draining node) takes it out at once.
 */
const SILENT_PROBES = 3;

/**
 * A loopback layer-4 load balancer, as a Kubernetes Service or a cloud TCP balancer is: each client
 * connection goes, whole, to the next backend whose `/readyz` answered 200 at the last probe (every
 * `probeMs`; see SILENT_PROBES); a connection already open stays with its backend until either side closes it. So a
 * kept-alive client keeps using a draining node, exactly as in production.
 */
export interface TcpBalancer {
  url: string;
  /** Replaces the backends (ports on 127.0.0.1); each starts unready until its probe passes. */
  setBackends(ports: number[]): void;
  /** Resolves once the backend on `port` passed a probe. */
  waitReady(port: number): Promise<void>;
  /** Connections the balancer had to drop because no backend was ready. */
  dropped: number;
  close(): Promise<void>;
}

/** Starts the balancer with no backends. */
export async function startTcpBalancer(probeMs = 100): Promise<TcpBalancer> {
  let backends: Backend[] = [];
  let next = 0;
  const sockets = new Set<Socket>();
  const state = { dropped: 0 };
  const server: Server = createServer((client) => {
    const ready = backends.filter((b) => b.ready);
    if (ready.length === 0) {
      state.dropped++;
      client.destroy();
      return;
    }
    const backend = ready[next++ % ready.length]!;
    const upstream = connect(backend.port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    // A half-close travels on (pipe ends the other side); an error or reset closes both at once.
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const probe = async (b: Backend) => {
    try {
      const res = await fetch(`http://127.0.0.1:${b.port}/readyz`, { signal: AbortSignal.timeout(Math.max(1_000, probeMs * 5)) });
      await res.arrayBuffer();
      b.ready = res.status === 200;
      b.silent = 0;
    } catch {
      b.silent++;
      if (b.silent >= SILENT_PROBES) b.ready = false;
    }
  };
  let probing = false;
  const timer = setInterval(() => {
    if (probing) return;
    probing = true;
    void Promise.all(backends.map(probe)).finally(() => {
      probing = false;
    });
  }, probeMs);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setBackends(ports) {
      backends = ports.map((port) => backends.find((b) => b.port === port) ?? { port, ready: false, silent: 0 });
    },
    async waitReady(port) {
      for (;;) {
        if (backends.find((b) => b.port === port)?.ready) return;
        await new Promise((r) => setTimeout(r, probeMs));
      }
    },
    get dropped() {
      return state.dropped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
