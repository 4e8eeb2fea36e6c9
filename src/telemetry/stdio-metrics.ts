import { Counter, Gauge, type Registry } from 'prom-client';

/** One stdio upstream's child on this node, as the metrics show it. */
export interface StdioChildReport {
  server: string;
  running: boolean;
  restarts: number;
}

/**
 * `gatehouse_mcp_stdio_running` and `gatehouse_mcp_stdio_restarts_total`, by server name, read from
 * `source` at scrape time (each node, and each `--workers` worker, runs its own children: summed
 * across workers, they count every child).
 */
export function registerStdioMetrics(registry: Registry, source: () => readonly StdioChildReport[]): void {
  const registers = [registry];
  new Gauge({
    name: 'gatehouse_mcp_stdio_running',
    help: 'Whether the child process of a stdio upstream MCP server runs on this node (1) or not (0), by server.',
    labelNames: ['server'] as const,
    registers,
    collect() {
      this.reset();
      for (const c of source()) this.set({ server: c.server }, c.running ? 1 : 0);
    },
  });
  new Counter({
    name: 'gatehouse_mcp_stdio_restarts_total',
    help: 'Times the child of a stdio upstream MCP server was started again after it exited on its own, by server.',
    labelNames: ['server'] as const,
    registers,
    collect() {
      this.reset();
      for (const c of source()) if (c.restarts > 0) this.inc({ server: c.server }, c.restarts);
    },
  });
}
