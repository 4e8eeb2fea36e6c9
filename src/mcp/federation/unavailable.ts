import { ProtocolError } from '@modelcontextprotocol/server';
import { GatehouseError } from '../../core/index.js';

/** The `_meta` key of a list result naming the upstreams it leaves out. */
export const UNAVAILABLE_META = 'io.gatehouse/unavailable';

/** An upstream a list left out, and why (its GATEHOUSE_ code first). */
export interface Unavailable {
  upstream: string;
  error: string;
}

/** What a list's `_meta` says of the upstreams it left out; undefined when none was. */
export function unavailableMeta(unavailable: readonly Unavailable[]): Record<string, unknown> | undefined {
  return unavailable.length === 0 ? undefined : { [UNAVAILABLE_META]: unavailable };
}

/**
 * Each upstream's list, a failing upstream left out and named. Why: hosts list before they call,
 * so a composed server whose list failed for one upstream down would look dead, though the healthy
 * upstreams' tools answer. When every upstream fails, the first failure is thrown: the server is down.
 */
export async function settledLists<U extends { name: string }, T>(
  upstreams: readonly U[],
  fetch: (upstream: U) => Promise<T>,
): Promise<{ lists: Array<{ upstream: U; list: T }>; unavailable: Unavailable[] }> {
  const settled = await Promise.allSettled(upstreams.map((u) => fetch(u)));
  const lists: Array<{ upstream: U; list: T }> = [];
  const unavailable: Unavailable[] = [];
  settled.forEach((outcome, i) => {
    const upstream = upstreams[i] as U;
    if (outcome.status === 'fulfilled') lists.push({ upstream, list: outcome.value });
    else unavailable.push({ upstream: upstream.name, error: describe(outcome.reason) });
  });
  const failed = settled.find((s) => s.status === 'rejected');
  if (lists.length === 0 && failed) throw failed.reason;
  return { lists, unavailable };
}

function describe(err: unknown): string {
  if (err instanceof GatehouseError) return `${err.code}: ${err.message}`;
  if (err instanceof ProtocolError) return err.message;
  return 'GATEHOUSE_INTERNAL: the upstream could not be listed';
}
