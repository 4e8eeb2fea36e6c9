import { ProtocolError } from '@modelcontextprotocol/server';
import { GatehouseError, type UpstreamTarget, type VirtualTarget } from '../../core/index.js';
import type { UpstreamPool } from '../../gateway/index.js';
import type { PromptsAndResources } from '../kit/endpoint.js';
import { pageInOrder, pageOf } from '../kit/page.js';
import { prefixOf } from './prefix.js';

/** An upstream failure as the JSON-RPC error the caller gets (its GATEHOUSE_ code first). */
function asProtocolError(err: unknown): never {
  if (err instanceof GatehouseError) throw new ProtocolError(-32603, `${err.code}: ${err.message}`, { code: err.code });
  throw err;
}

/**
 * The curated prompts and resources of a virtual server, passed through from its upstreams: only
 * allowlisted ones are listed or served; prompts are renamed and prefixed like tools, resources
 * keep their URIs. Lists are whole at the upstream (every page) and paged downstream: prompts in
 * the upstream's order, resources in URI order. Undefined when the server curates none.
 */
export function promptsAndResources(target: VirtualTarget, pool: UpstreamPool, as: (upstream: UpstreamTarget) => UpstreamTarget): PromptsAndResources | undefined {
  if (target.prompts.length === 0 && target.resources.length === 0) return undefined;
  const byId = new Map(target.upstreams.map((u) => [u.id, u]));
  const prefixed = target.upstreams.length > 1;
  const prompts = new Map<string, { upstream: UpstreamTarget; name: string }>();
  for (const p of target.prompts) {
    const upstream = byId.get(p.upstreamId);
    if (upstream) prompts.set(`${prefixed ? prefixOf(upstream) : ''}${p.rename ?? p.name}`, { upstream, name: p.name });
  }
  const resources = new Map<string, UpstreamTarget>();
  for (const r of target.resources) {
    const upstream = byId.get(r.upstreamId);
    if (upstream) resources.set(r.uri, upstream);
  }
  const used = (routes: Iterable<UpstreamTarget>) => [...new Set(routes)];
  // `as` may refuse (a service account at a per-user upstream): that too becomes the caller's error.
  const on = <T>(upstream: UpstreamTarget, work: (target: UpstreamTarget) => Promise<T>) =>
    Promise.resolve()
      .then(() => work(as(upstream)))
      .catch(asProtocolError);
  return {
    async listPrompts(cursor) {
      const offered = await Promise.all(used([...prompts.values()].map((r) => r.upstream)).map(async (u) => ({ u, list: await on(u, (t) => pool.listPrompts(t)) })));
      // In each upstream's own order (its author's order carries meaning), upstream by upstream.
      const shownAs = new Map([...prompts].map(([shown, route]) => [`${route.upstream.id}\0${route.name}`, shown]));
      const out = [];
      for (const { u, list } of offered) {
        for (const def of list) {
          const shown = shownAs.get(`${u.id}\0${def.name}`);
          if (shown !== undefined) out.push({ ...def, name: shown });
        }
      }
      return pageInOrder(out, (p) => p.name, cursor);
    },
    async getPrompt(name, args) {
      const route = prompts.get(name);
      if (!route) throw new ProtocolError(-32602, `Unknown prompt: ${name.slice(0, 100)}`);
      return on(route.upstream, (t) => pool.getPrompt(t, route.name, args));
    },
    async listResources(cursor) {
      const offered = await Promise.all(used(resources.values()).map(async (u) => ({ u, list: await on(u, (t) => pool.listResources(t)) })));
      const listed = offered.flatMap(({ u, list }) => list.filter((r) => resources.get(r.uri) === u)).sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
      return pageOf(listed, (r) => r.uri, cursor);
    },
    async readResource(uri) {
      const upstream = resources.get(uri);
      if (!upstream) throw new ProtocolError(-32602, `Unknown resource: ${uri.slice(0, 200)}`);
      return on(upstream, (t) => pool.readResource(t, uri));
    },
  };
}
