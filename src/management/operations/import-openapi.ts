import { z } from 'zod';
import { ApiProxy, BasePath, EndpointInput, GatehouseError, Id, isReservedPath, Name, newId, ProxyInput, UpstreamUrl } from '../../core/index.js';
import { type ConvertedDocument, convertDocument, type EndpointDraft, remoteRefs } from '../openapi/convert.js';
import { fetchDocument } from '../openapi/fetch.js';
import { parseDocumentText } from '../openapi/parse.js';
import type { OpenApiImportSettings } from '../openapi/settings.js';
import { upgradeSwagger2 } from '../openapi/swagger2.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { parseOrThrow } from '../validation.js';
import { stripStored } from './crud.js';
import { requireRefs } from './references.js';
import { checkBasePathFree } from './base-paths.js';
import { repos } from './repos.js';

const MAX_REMOTE_DOCUMENTS = 20;

/** The import's input; the document's size limit is the gateway's setting. */
export function importOpenApiInput(maxDocumentBytes: number) {
  return z
    .strictObject({
      collectionId: Id,
      /** The document: JSON or YAML text, or the parsed JSON object. */
      // Arrays are let through here so the import can say precisely what is wrong with them.
      document: z
        .union([
          z.string().max(maxDocumentBytes, `the document is larger than the ${maxDocumentBytes}-byte limit (openapiImport.maxDocumentBytes)`),
          z.record(z.string(), z.unknown()),
          z.array(z.unknown()),
        ])
        .optional(),
      /** Or where to fetch it (only when the gateway allows URL imports). */
      url: z
        .url({ protocol: /^https?$/ })
        .max(2_000)
        .optional(),
      /** The proxy the endpoints go under; re-importing to the same base path updates it in place. */
      basePath: BasePath,
      /** The proxy's name; default the document's title. */
      name: Name.optional(),
      /** Upstream URLs; default the document's first absolute server URL (a re-import keeps the proxy's current ones). */
      upstreams: z.array(UpstreamUrl).min(1).max(32).optional(),
      /** Operations kept out of the Gateway MCP catalog: operationIds or `METHOD /path`. */
      excludeFromMcp: z.array(z.string().min(1).max(600)).max(10_000).default([]),
      /** On re-import, delete endpoints the document no longer has (default true). */
      removeMissing: z.boolean().default(true),
    })
    .refine((i) => (i.document === undefined) !== (i.url === undefined), { message: 'give exactly one of document or url', path: ['document'] });
}

type Input = z.output<ReturnType<typeof importOpenApiInput>>;

const EndpointChange = z.object({ method: z.string(), path: z.string(), fields: z.array(z.string()).optional() });

export const ImportOpenApiResult = z.object({
  /** The proxy; its shared schemas are counted in schemaCount, not repeated here. */
  proxy: ApiProxy.extend({ schemaCount: z.number().optional() }),
  proxyCreated: z.boolean(),
  document: z.object({ openapi: z.string(), title: z.string(), version: z.string() }),
  counts: z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), removed: z.number(), skipped: z.number() }),
  created: z.array(EndpointChange),
  updated: z.array(EndpointChange),
  removed: z.array(EndpointChange),
  skipped: z.array(z.object({ method: z.string(), path: z.string(), reason: z.string() })),
  warnings: z.array(z.string()),
  /** Schemas that refer to themselves: kept whole as JSON Schema `$defs` and `$ref`. */
  recursiveSchemas: z.array(z.string()),
});

async function loadDocument(input: Input, settings: Readonly<OpenApiImportSettings>): Promise<{ doc: unknown; baseUrl?: string }> {
  if (input.url !== undefined) {
    const fetched = await fetchDocument(input.url, settings);
    return { doc: await parseDocumentText(fetched.text, fetched.contentType), baseUrl: input.url };
  }
  if (typeof input.document === 'string') return { doc: await parseDocumentText(input.document) };
  return { doc: input.document };
}

/** Fetches the documents remote `$ref`s name (breadth first, bounded); refused unless URL imports are allowed. */
async function loadExternals(doc: unknown, baseUrl: string | undefined, settings: Readonly<OpenApiImportSettings>): Promise<Map<string, unknown>> {
  const externals = new Map<string, unknown>();
  const queue = remoteRefs(doc, baseUrl ?? '').map((url) => ({ url, from: baseUrl ?? '' }));
  while (queue.length > 0) {
    const { url } = queue.shift()!;
    if (externals.has(url) || url === baseUrl) continue;
    if (!/^https?:\/\//.test(url))
      throw new GatehouseError(
        'GATEHOUSE_OPENAPI_INVALID',
        `The $ref ${url} names a relative document; import by URL so it can be resolved, or bundle the document.`,
        [{ path: '$ref', message: `unresolvable remote reference ${url}` }],
      );
    if (externals.size >= MAX_REMOTE_DOCUMENTS)
      throw new GatehouseError('GATEHOUSE_OPENAPI_INVALID', `The document references more than ${MAX_REMOTE_DOCUMENTS} other documents.`);
    let fetched: { text: string; contentType: string };
    try {
      fetched = await fetchDocument(url, settings);
    } catch (err) {
      if (err instanceof GatehouseError) throw new GatehouseError(err.code, `Remote $ref ${url}: ${err.message}`, err.details);
      throw err;
    }
    const parsed = await parseDocumentText(fetched.text, fetched.contentType);
    externals.set(url, parsed);
    for (const next of remoteRefs(parsed, url)) if (!externals.has(next)) queue.push({ url: next, from: url });
  }
  return externals;
}

function invalid(converted: ConvertedDocument): GatehouseError {
  const first = converted.errors[0]!;
  const n = converted.errors.length;
  return new GatehouseError(
    'GATEHOUSE_OPENAPI_INVALID',
    `The OpenAPI document has ${n >= 100 ? 'at least 100' : n} problem${n === 1 ? '' : 's'}; the first: ${first.path ? `${first.path}: ` : ''}${first.message}`,
    converted.errors,
  );
}

/** An import that would create nothing is refused with the reasons, rather than answering 200 with an empty collection. */
function nothingToImport(converted: ConvertedDocument): GatehouseError {
  const n = converted.skipped.length;
  const first = converted.skipped[0];
  const message =
    n === 0
      ? 'The document has no operations: nothing was imported.'
      : `None of the document's ${n} operation${n === 1 ? ' was' : 's were'} imported; the first skipped: ${first!.method} ${first!.path}: ${first!.reason}`;
  return new GatehouseError(
    'GATEHOUSE_OPENAPI_NOTHING_TO_IMPORT',
    message,
    converted.skipped.slice(0, 100).map((s) => ({ path: `paths.${s.path}.${s.method.toLowerCase()}`, message: s.reason })),
  );
}

/** The proxy with its shared schemas counted rather than copied (they can be megabytes): for the audit entry and the answer. */
function briefly(proxy: ApiProxy): ApiProxy & { schemaCount?: number } {
  if (proxy.schemas === undefined) return proxy;
  const { schemas, ...rest } = proxy;
  return { ...rest, schemaCount: Object.keys(schemas).length };
}

function excluded(draft: EndpointDraft, list: ReadonlySet<string>): boolean {
  return (draft.operationId !== undefined && list.has(draft.operationId)) || list.has(`${draft.method} ${draft.path}`);
}

/** Field names whose values differ (JSON comparison, so key order inside schemas matters only within the same import source). */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: string[] = [];
  for (const k of keys) if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out.push(k);
  return out.sort();
}

async function upsertProxy(ctx: OperationContext, input: Input, converted: ConvertedDocument) {
  const existing = await repos.proxies.getByKey(ctx.db, input.basePath.toLowerCase());
  if (existing && existing.collectionId !== input.collectionId)
    throw new GatehouseError('GATEHOUSE_CONFLICT', `The base path ${input.basePath} belongs to a proxy in another collection.`, [
      { path: 'basePath', message: 'in use by another collection' },
    ]);
  await checkBasePathFree(ctx, input.basePath, input.collectionId, existing?.id);
  if (isReservedPath(input.basePath))
    throw new GatehouseError('GATEHOUSE_RESERVED_PATH', `The base path ${input.basePath} is reserved by the gateway.`, [
      { path: 'basePath', message: 'reserved prefix' },
    ]);
  const upstreams = input.upstreams ?? existing?.upstreams ?? (converted.servers[0] ? [converted.servers[0]] : undefined);
  if (!upstreams)
    throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'The document names no absolute server URL: give upstreams.', [
      { path: 'upstreams', message: 'required: the document has no absolute http(s) server URL' },
    ]);
  const name = input.name ?? existing?.name ?? (converted.title || input.basePath);
  // The document's shared schemas replace the previous import's.
  const schemas = Object.keys(converted.schemas).length > 0 ? { schemas: converted.schemas } : {};
  const keys = (p: { basePath: string; collectionId: string }) => ({
    key: p.basePath.toLowerCase(),
    parentId: p.collectionId,
    collectionId: p.collectionId,
  });
  if (existing) {
    const { schemas: _old, ...kept } = stripStored(existing);
    const next = parseOrThrow(ProxyInput, { ...kept, name, upstreams, ...schemas });
    const same = JSON.stringify(stripStored(existing)) === JSON.stringify(next);
    return { proxy: same ? existing : await repos.proxies.update(ctx.db, existing, next, keys(next), ctx.now), created: false, before: existing };
  }
  const value = parseOrThrow(ProxyInput, { collectionId: input.collectionId, name, basePath: input.basePath, upstreams, ...schemas });
  return { proxy: await repos.proxies.insert(ctx.db, newId('prx'), value, keys(value), ctx.now), created: true, before: null };
}

/** The import operation, fetching (when at all) under the given settings. */
export function importOpenApiOperation(settings: Readonly<OpenApiImportSettings>) {
  return defineOperation({
    name: 'proxies.import-openapi',
    resource: 'proxies',
    action: 'import-openapi',
    summary:
      'Import an OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML, uploaded or by URL) into a collection as a proxy with its endpoints; re-import updates in place and reports what changed',
    permission: 'write',
    alsoWrites: ['endpoints'],
    input: importOpenApiInput(settings.maxDocumentBytes),
    output: ImportOpenApiResult,
    // The body carries the document (JSON-escaped when sent as text) and the other fields: room beyond the document limit.
    http: { method: 'POST', path: '/collections/{collectionId}/import-openapi', bodyLimitBytes: Math.ceil(settings.maxDocumentBytes * 1.25) + 8 * 1_048_576 },
    // Fetching by URL and parsing may take seconds: done before the transaction, which holds the store.
    // Bounded longer than the default: a document and its remote `$ref`s each get `fetchTimeoutMs`, and converting 32 MiB takes a while.
    prepareTimeoutMs: 120_000,
    prepare: async (input) => {
      const loaded = await loadDocument(input, settings);
      const baseUrl = loaded.baseUrl;
      const { doc, warnings } = upgradeSwagger2(loaded.doc);
      const externals = await loadExternals(doc, baseUrl, settings);
      const converted = convertDocument(doc, { ...(baseUrl ? { baseUrl } : {}), externals, maxOperations: settings.maxOperations });
      converted.warnings.unshift(...warnings);
      if (converted.errors.length > 0) throw invalid(converted);
      if (converted.endpoints.length === 0) throw nothingToImport(converted);
      return converted;
    },
    handler: async (ctx, input, converted) => {
      ctx.requireCollection(input.collectionId);
      await requireRefs(ctx, repos.collections, 'collectionId', [input.collectionId]);

      const { proxy, created: proxyCreated, before } = await upsertProxy(ctx, input, converted);
      const current = new Map((await repos.endpoints.all(ctx.db, { parentId: proxy.id })).map((e) => [`${e.method} ${e.path}`, e]));
      const exclude = new Set(input.excludeFromMcp);
      const created: Array<z.infer<typeof EndpointChange>> = [];
      const updated: Array<z.infer<typeof EndpointChange>> = [];
      const skipped = [...converted.skipped];
      let unchanged = 0;
      const seen = new Set<string>();
      for (const draft of converted.endpoints) {
        const key = `${draft.method} ${draft.path}`;
        const existing = current.get(key);
        // An operator's MCP exposure choice survives re-imports unless this import names the endpoint.
        const mcpExposed = excluded(draft, exclude) ? false : (existing?.mcpExposed ?? true);
        const parsed = EndpointInput.safeParse({ proxyId: proxy.id, ...draft, mcpExposed });
        if (!parsed.success) {
          skipped.push({ method: draft.method, path: draft.path, reason: `does not fit the endpoint schema: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
          continue;
        }
        seen.add(key);
        const value = parsed.data;
        const keys = { key: `${proxy.id} ${value.method} ${value.path}`, parentId: proxy.id };
        if (!existing) {
          await repos.endpoints.insert(ctx.db, newId('ep'), value, keys, ctx.now);
          created.push({ method: value.method, path: value.path });
          continue;
        }
        const fields = changedFields(stripStored(existing) as Record<string, unknown>, value as Record<string, unknown>);
        if (fields.length === 0) {
          unchanged++;
          continue;
        }
        await repos.endpoints.update(ctx.db, existing, value, keys, ctx.now);
        updated.push({ method: value.method, path: value.path, fields });
      }
      const removed: Array<z.infer<typeof EndpointChange>> = [];
      if (input.removeMissing) {
        for (const [key, ep] of current) {
          if (seen.has(key)) continue;
          await repos.endpoints.delete(ctx.db, ep.id);
          removed.push({ method: ep.method, path: ep.path });
        }
      }
      const counts = { created: created.length, updated: updated.length, unchanged, removed: removed.length, skipped: skipped.length };
      ctx.audit.resourceId = proxy.id;
      ctx.audit.before = before ? { proxy: briefly(before), endpoints: current.size } : undefined;
      ctx.audit.after = { proxy: briefly(proxy), document: { title: converted.title, version: converted.version }, counts };
      return {
        proxy: briefly(proxy),
        proxyCreated,
        document: { openapi: converted.openapi, title: converted.title, version: converted.version },
        counts,
        created,
        updated,
        removed,
        skipped,
        // Skipped operations lead the warnings, so a reader of warnings alone still learns what is missing.
        warnings: [
          ...skipped.map((s) => `${s.method} ${s.path} was not imported: ${s.reason}`),
          ...(converted.recursiveSchemas.length > 0
            ? [
                `${converted.recursiveSchemas.length} recursive schema(s) kept as JSON Schema $defs and $ref: ${converted.recursiveSchemas.slice(0, 20).join(', ')}`,
              ]
            : []),
          ...converted.warnings,
        ].slice(0, 200),
        recursiveSchemas: converted.recursiveSchemas.slice(0, 1_000),
      };
    },
  });
}
