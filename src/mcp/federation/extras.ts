import { type CompleteResult, ProtocolError, UriTemplate } from '@modelcontextprotocol/server';
import { servedName, type UpstreamTarget, type VirtualTarget } from '../../core/index.js';
import type { Gateway, McpCaller, McpCallMethod } from '../../gateway/index.js';
import { definitionScan, type UpstreamPool } from '../../gateway/federation/index.js';
import type { PromptsAndResources } from '../kit/endpoint.js';
import type { Page } from '../kit/page.js';
import { pageInOrder, pageOf } from '../kit/page.js';
import { impliedUiResources, isUiUri } from './ui-resources.js';
import { settledLists, unavailableMeta } from './unavailable.js';
import { asProtocolError } from './tool-error.js';
import { workflowFor } from './workflow-for.js';

/** The resources or templates whose descriptions read clean (see resourceFindings), in their order; the rest are withheld. */
async function cleanOnly<T extends { name: string }>(listed: T[]): Promise<T[]> {
  const found = await Promise.all(listed.map((r) => definitionScan.resourceFindings(r)));
  return listed.filter((_, i) => found[i] === null);
}

/**
 * Which upstream serves which curated resource: exact URIs, and resource templates (a curated URI
 * with a `{…}` expression names one of the upstream's templates: listed as one, and every URI it
 * matches is served).
 */
export function resourceRoutes(target: VirtualTarget) {
  const byId = new Map(target.upstreams.map((u) => [u.id, u]));
  const resources = new Map<string, UpstreamTarget>();
  const templates = new Map<string, { upstream: UpstreamTarget; template: UriTemplate }>();
  for (const r of target.resources) {
    const upstream = byId.get(r.upstreamId);
    if (!upstream) continue;
    if (UriTemplate.isTemplate(r.uri)) templates.set(r.uri, { upstream, template: new UriTemplate(r.uri) });
    else resources.set(r.uri, upstream);
  }
  /** The upstream serving a URI: a curated resource's, else that of the first curated template matching it. */
  const servedBy = (uri: string): UpstreamTarget | undefined => {
    const exact = resources.get(uri);
    if (exact) return exact;
    if (uri.length > 2_000) return undefined;
    for (const { upstream, template } of templates.values()) if (template.match(uri)) return upstream;
    return undefined;
  };
  return { resources, templates, servedBy };
}

/**
 * The curated prompts and resources of a virtual server, passed through from its upstreams: only
 * allowlisted ones are listed or served; prompts are renamed and prefixed like tools, resources
 * keep their URIs. A curated tool's MCP App view (its `ui://` resource) is served as if curated
 * (see ui-resources.ts). Lists are whole at the upstream (every page) and paged downstream: prompts
 * in the upstream's order, resources in URI order. Undefined when the server curates nothing at all.
 */
export function promptsAndResources(
  target: VirtualTarget,
  pool: UpstreamPool,
  calls: Pick<Gateway, 'mcpCall' | 'mcpRelayGuard'>,
  as: (upstream: UpstreamTarget) => UpstreamTarget,
): PromptsAndResources<McpCaller> | undefined {
  if (target.prompts.length === 0 && target.resources.length === 0 && target.tools.length === 0) return undefined;
  const byId = new Map(target.upstreams.map((u) => [u.id, u]));
  const prefixed = target.upstreams.length > 1;
  const prompts = new Map<string, { upstream: UpstreamTarget; name: string }>();
  for (const p of target.prompts) {
    const upstream = byId.get(p.upstreamId);
    if (upstream) prompts.set(servedName(upstream.name, p.rename ?? p.name, prefixed), { upstream, name: p.name });
  }
  const { resources, templates, servedBy } = resourceRoutes(target);
  const used = (routes: Iterable<UpstreamTarget>) => [...new Set(routes)];
  // `as` may refuse (a service account at a per-user upstream): that too becomes the caller's error.
  const on = <T>(upstream: UpstreamTarget, work: (target: UpstreamTarget) => Promise<T>) =>
    Promise.resolve()
      .then(() => work(as(upstream)))
      .catch(asProtocolError);
  // A list leaves out an upstream that fails it, naming it in `_meta` (see settledLists); all failing, the caller gets the error.
  const listEach = async <T>(upstreams: UpstreamTarget[], work: (target: UpstreamTarget) => Promise<T[]>) => {
    const { lists, unavailable } = await settledLists(upstreams, (u) => Promise.resolve().then(() => work(as(u)))).catch(asProtocolError);
    return { offered: lists.map(({ upstream, list }) => ({ u: upstream, list })), meta: unavailableMeta(unavailable) };
  };
  const withMeta = <T>(page: Page<T>, meta: Record<string, unknown> | undefined): Page<T> => (meta ? { ...page, _meta: meta } : page);
  // A prompt or a resource read is a call like a tool's: through the pipeline entry (request log, trace).
  const called = <T>(
    caller: McpCaller,
    method: McpCallMethod,
    shown: string,
    route: { upstream: UpstreamTarget; name: string },
    args: Record<string, unknown>,
    work: (target: UpstreamTarget, args: Record<string, unknown>) => Promise<T>,
  ) =>
    calls
      .mcpCall(
        {
          method,
          server: target.slug,
          name: shown,
          upstream: route.upstream,
          upstreamName: route.name,
          arguments: args,
          caller,
          rateLimit: null,
          workflow: workflowFor(target, null),
        },
        (leg) => Promise.resolve().then(() => work(as(route.upstream), leg.arguments)),
      )
      .catch(asProtocolError);
  // The UI resources the served tools link, as the caller sees those tools.
  const implied = () => impliedUiResources(target, pool, (u) => as(u));
  return {
    // A server curating tools only offers resources (their views, if any), not prompts.
    declaresPrompts: target.prompts.length > 0 || target.resources.length > 0,
    async listPrompts(cursor) {
      const { offered, meta } = await listEach(used([...prompts.values()].map((r) => r.upstream)), (t) => pool.listPrompts(t));
      // In each upstream's own order (its author's order carries meaning), upstream by upstream.
      const shownAs = new Map([...prompts].map(([shown, route]) => [`${route.upstream.id}\0${route.name}`, shown]));
      const named = offered.flatMap(({ u, list }) =>
        list.flatMap((def) => {
          const shown = shownAs.get(`${u.id}\0${def.name}`);
          return shown === undefined ? [] : [{ def, shown }];
        }),
      );
      // A prompt whose description or arguments read as poisoned (see promptFindings) is withheld, as a flagged tool is.
      const found = await Promise.all(named.map(({ def }) => definitionScan.promptFindings(def)));
      const out = named.filter((_, i) => found[i] === null).map(({ def, shown }) => ({ ...def, name: shown }));
      return withMeta(
        pageInOrder(out, (p) => p.name, cursor),
        meta,
      );
    },
    async getPrompt(caller, name, args) {
      const route = prompts.get(name);
      if (!route) throw new ProtocolError(-32602, `Unknown prompt: ${name.slice(0, 100)}`);
      return called(caller, 'prompts/get', name, route, args ?? {}, (t, edited) =>
        pool.getPrompt(t, route.name, args === undefined && Object.keys(edited).length === 0 ? undefined : (edited as Record<string, string>)),
      );
    },
    async listResources(cursor) {
      const views = await implied();
      const { offered, meta } = await listEach(used([...resources.values(), ...views.values()]), (t) => pool.listResources(t));
      // A curated resource's upstream serves its URI, else the upstream whose served tool links it.
      const servedHere = (uri: string, u: UpstreamTarget) => (resources.get(uri) ?? views.get(uri)) === u;
      // A resource whose description reads as poisoned (see resourceFindings) is withheld from the list.
      const listed = (await cleanOnly(offered.flatMap(({ u, list }) => list.filter((r) => servedHere(r.uri, u))))).sort((a, b) =>
        a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0,
      );
      return withMeta(
        pageOf(listed, (r) => r.uri, cursor),
        meta,
      );
    },
    async readResource(caller, uri) {
      const upstream = servedBy(uri) ?? (isUiUri(uri) ? (await implied()).get(uri) : undefined);
      if (!upstream) throw new ProtocolError(-32602, `Unknown resource: ${uri.slice(0, 200)}`);
      return called(caller, 'resources/read', uri, { upstream, name: uri }, { uri }, (t) => pool.readResource(t, uri));
    },
    async listResourceTemplates(cursor) {
      const routes = [...templates.entries()];
      const { offered, meta } = await listEach(used(routes.map(([, r]) => r.upstream)), (t) => pool.listResourceTemplates(t));
      const listed = (await cleanOnly(offered.flatMap(({ u, list }) => list.filter((t) => templates.get(t.uriTemplate)?.upstream === u)))).sort((a, b) =>
        a.uriTemplate < b.uriTemplate ? -1 : a.uriTemplate > b.uriTemplate ? 1 : 0,
      );
      return withMeta(
        pageOf(listed, (t) => t.uriTemplate, cursor),
        meta,
      );
    },
    async complete(caller, params) {
      const ref = params.ref;
      let route: { upstream: UpstreamTarget; name: string };
      if (ref.type === 'ref/prompt') {
        const prompt = prompts.get(ref.name);
        if (!prompt) throw new ProtocolError(-32602, `Unknown prompt: ${ref.name.slice(0, 100)}`);
        route = prompt;
      } else {
        const upstream = templates.get(ref.uri)?.upstream ?? resources.get(ref.uri);
        if (!upstream) throw new ProtocolError(-32602, `Unknown resource template: ${ref.uri.slice(0, 200)}`);
        route = { upstream, name: ref.uri };
      }
      const sent = ref.type === 'ref/prompt' ? { ...params, ref: { type: 'ref/prompt' as const, name: route.name } } : params;
      // What the user typed so far (and the arguments filled before) goes to the upstream, its suggestions come back:
      // judged by the guardrails the server's prompts and resources pass, each way.
      const guard = calls.mcpRelayGuard({
        method: ref.type === 'ref/prompt' ? 'prompts/get' : 'resources/read',
        server: target.slug,
        name: ref.type === 'ref/prompt' ? ref.name : ref.uri,
        upstream: route.upstream,
        upstreamName: route.name,
        arguments: {},
        caller,
        rateLimit: null,
        workflow: workflowFor(target, null),
      });
      if (guard === undefined) return on(route.upstream, (t) => pool.complete(t, sent));
      const judged = (await guard.toUpstream('completion/complete', sent).catch(asProtocolError)) as typeof sent;
      const suggested = await on(route.upstream, (t) => pool.complete(t, judged));
      return (await guard.toCaller('completion/complete', suggested).catch(asProtocolError)) as CompleteResult;
    },
  };
}
