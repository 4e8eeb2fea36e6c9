import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { GatehouseError, jsonNestsDeeperThan, requestIdFrom } from '../core/index.js';
import { type ConsoleSignIn, protectedResourceMetadata, type TokenVerifier } from '../identity/index.js';
import { configJsonSchema } from '../management/config/json-schema.js';
import { configKinds } from '../management/config/kinds.js';
import type { Executor } from '../management/executor.js';
import { ADMIN_API_PREFIX, registerAdminApi } from './admin-api.js';
import { registerConsole } from './console-files.js';
import { apiReferencePage } from './docs-page.js';
import { frameworkErrors, installErrorHandlers } from './error-handler.js';
import { parseJsonInSlices } from './json-parse-sliced.js';
import { buildOpenApi } from './openapi.js';

// JSON bodies longer than this are parsed in slices (JSON.parse holds the loop ~15 ms per MB).
const SLICED_JSON_CHARS = 1_048_576;

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface AdminAppOptions {
  executor: Executor;
  verifier: TokenVerifier;
  /** Base URL of the admin listener, e.g. http://127.0.0.1:8080 */
  adminBase: string;
  /** Base URL of the proxy listener (the same as adminBase on one port), shown by the console. */
  proxyBase: string;
  /** The issuer whose tokens the admin surfaces accept. */
  issuer: string;
  /** How the console signs in (its client at the issuer); its client's tokens are audited on channel `console`. */
  consoleSignIn: ConsoleSignIn;
  bodyLimitBytes: number;
  /** Prometheus metrics, served at /metrics on the admin surface (a `serve --workers` worker serves the cluster's aggregate). */
  metrics: { readonly contentType: string; metrics(): Promise<string> };
  /** The management MCP's resource identifier and required scope, for its RFC 9728 metadata. */
  managementResource: string;
  managementScope: string | undefined;
  log: (msg: string, err: unknown) => void;
}

/** A value computed on its first use and kept. */
function once<T>(make: () => T): () => T {
  let value: { made: T } | undefined;
  return () => {
    value ??= { made: make() };
    return value.made;
  };
}

/** The admin API resource identifier (RFC 8707/9728) for an admin base URL. */
export function adminApiResource(adminBase: string): string {
  return adminBase + ADMIN_API_PREFIX;
}

/**
 * Builds the Fastify app for the admin surfaces and returns its bare request handler: our own
 * listener decides per request whether Fastify sees it, so proxy traffic never pays for it.
 */
export async function buildAdminApp(opts: AdminAppOptions): Promise<{ app: FastifyInstance; handler: NodeHandler }> {
  let handler: NodeHandler | undefined;
  const app = Fastify({
    serverFactory: (h) => {
      handler = h;
      return createServer();
    },
    bodyLimit: opts.bodyLimitBytes,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    logger: false,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors,
  });
  app.removeContentTypeParser('text/plain');
  // An action such as publish takes no body; clients that always send `content-type: application/json` send an empty one.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // Nesting is checked before parsing: validation and audit diffs recurse over the parsed value.
  // A large body (a declarative apply of 100,000 items) is checked and parsed in slices, so the
  // proxy keeps answering meanwhile; what that path cannot read is left to the ordinary parser's answer.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (text === '') done(null, undefined);
    else if (text.length > SLICED_JSON_CHARS)
      parseJsonInSlices(text).then(
        (value) => done(null, value),
        (err: unknown) => (err instanceof GatehouseError ? done(err, undefined) : json(req, text, done)),
      );
    else if (jsonNestsDeeperThan(text)) done(new GatehouseError('GATEHOUSE_JSON_TOO_DEEP'), undefined);
    else json(req, text, done);
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  installErrorHandlers(app, opts.log);

  const resource = adminApiResource(opts.adminBase);
  const metadata = protectedResourceMetadata(resource, [opts.issuer]);
  app.get('/.well-known/oauth-protected-resource/admin/api/v1', async () => metadata);
  const mcpMetadata = protectedResourceMetadata(
    opts.managementResource,
    [opts.issuer],
    opts.managementScope ? [opts.managementScope] : undefined,
    'Gatehouse management MCP',
  );
  app.get('/.well-known/oauth-protected-resource/management/mcp', async () => mcpMetadata);

  // Both documents are built on their first request, then kept: converting every operation's zod
  // schemas allocates ~35 MB, which at start-up stacked on the snapshot's load (the node's peak RSS).
  const openapi = once(() => buildOpenApi(opts.executor.registry, opts.adminBase, opts.issuer));
  app.get(`${ADMIN_API_PREFIX}/openapi.json`, async (_req, reply) => reply.header('cache-control', 'public, max-age=60').send(openapi()));
  // Public like the OpenAPI document, so editors can validate config files against it without a token.
  const configSchema = once(() => configJsonSchema(configKinds(opts.executor.registry.all())));
  app.get(`${ADMIN_API_PREFIX}/config.schema.json`, async (_req, reply) => reply.header('cache-control', 'public, max-age=60').send(configSchema()));
  const docs = apiReferencePage(`${ADMIN_API_PREFIX}/openapi.json`);
  app.get(`${ADMIN_API_PREFIX}/docs`, async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
      )
      .send(docs),
  );

  app.get('/metrics', async (_req, reply) => reply.type(opts.metrics.contentType).send(await opts.metrics.metrics()));

  registerConsole(app, { issuer: opts.issuer, proxyBase: opts.proxyBase, signIn: opts.consoleSignIn });
  registerAdminApi(app, {
    executor: opts.executor,
    verifier: opts.verifier,
    resource,
    ...(opts.consoleSignIn.clientId ? { consoleClientId: opts.consoleSignIn.clientId } : {}),
  });
  await app.ready();
  if (!handler) throw new Error('Fastify did not hand over its request handler');
  return { app, handler };
}
