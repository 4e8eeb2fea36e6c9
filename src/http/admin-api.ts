import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Channel, Principal } from '../core/index.js';
import { CLI_CLIENT_ID, CONSOLE_CLIENT_ID, type TokenVerifier } from '../identity/index.js';
import type { Executor } from '../management/executor.js';
import { ADMIN_API_PREFIX } from '../core/admin-api.js';
import { authenticate } from './authenticate.js';
import { bodyRefusal } from './error-handler.js';
import { hasLongList, jsonInSlices } from './json-slices.js';
import { asyncPreference, within } from './prefer.js';

export { ADMIN_API_PREFIX } from '../core/admin-api.js';

export interface AdminApiOptions {
  executor: Executor;
  verifier: TokenVerifier;
  /** This surface's resource identifier: tokens must carry it as audience. */
  resource: string;
  /** The console's client at the issuer (default: the built-in `gatehouse-console`; an external IdP's is configured). */
  consoleClientId?: string;
}

/** `/proxies/{id}` → `/proxies/:id` */
function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * The surface a change came through, from the OAuth client the token was issued to: the CLI's and
 * the console's first-party clients are `cli` and `console`, anything else (service accounts,
 * registered clients) `api`. Never from a header: the caller could claim any surface.
 */
function channelOf(principal: Principal, consoleClientId: string): Channel {
  if (principal.clientId === consoleClientId) return 'console';
  if (principal.clientId === CLI_CLIENT_ID) return 'cli';
  return 'api';
}

/** One route per registered operation: the admin API is generated, never hand-written. */
export function registerAdminApi(app: FastifyInstance, opts: AdminApiOptions): void {
  const consoleClientId = opts.consoleClientId ?? CONSOLE_CLIENT_ID;
  for (const op of opts.executor.registry.all()) {
    app.route({
      method: op.http.method,
      url: ADMIN_API_PREFIX + fastifyPath(op.http.path),
      ...(op.http.bodyLimitBytes ? { bodyLimit: op.http.bodyLimitBytes } : {}),
      // A body refused before the handler (malformed JSON, too large) is still a failed write attempt: audited, then answered as usual.
      errorHandler: async (err, req) => {
        const refused = op.permission === 'read' ? null : bodyRefusal(err);
        if (refused) {
          const principal = await authenticate(req, opts.verifier, opts.resource).catch(() => null);
          if (principal) await opts.executor.auditRefused(op.name, req.params, callOf(req, principal), refused);
        }
        throw err;
      },
      handler: async (req, reply) => {
        const principal = await authenticate(req, opts.verifier, opts.resource);
        const params = req.params as Record<string, string>;
        const { dryRun: _dryRun, async: _async, ...query } = req.query as Record<string, unknown>;
        const body: unknown = req.body;
        const input =
          op.http.method === 'GET' || op.http.method === 'DELETE' ? { ...query, ...params } : isPlainObject(body) ? { ...body, ...params } : (body ?? params);
        const call = callOf(req, principal);
        // A dry run answers with its plan directly: there is nothing to come back for.
        const asJob = op.job && !call.dryRun ? asyncPreference(req) : null;
        let result: unknown;
        if (asJob) {
          const started = await opts.executor.startJob(op.name, input, call);
          // `Prefer: wait=N`: a job done within N seconds is answered as a direct call would be.
          const outcome = await within(started.finished, asJob.waitMs);
          if (!outcome) {
            return reply
              .code(202)
              .header('location', `${ADMIN_API_PREFIX}/jobs/${started.job.id}`)
              .header('preference-applied', 'respond-async')
              .send(started.job);
          }
          if (!outcome.ok) throw outcome.error;
          result = outcome.result;
        } else {
          result = await opts.executor.dispatch(op.name, input, call);
        }
        if (hasLongList(result))
          return reply
            .code(op.http.status ?? 200)
            .type('application/json; charset=utf-8')
            .send(jsonInSlices(result));
        return reply.code(op.http.status ?? 200).send(result);
      },
    });
  }

  for (const op of opts.executor.registry.streams()) {
    app.get(ADMIN_API_PREFIX + fastifyPath(op.http.path), async (req, reply) => {
      const principal = await authenticate(req, opts.verifier, opts.resource);
      const opened = await opts.executor.stream(op.name, req.query, callOf(req, principal));
      // Readable.from pulls the next chunk only when the socket has taken the last: the export
      // reads the store no faster than the client reads the response.
      return reply.type(opened.contentType).header('content-disposition', `attachment; filename="${opened.filename}"`).send(Readable.from(opened.chunks));
    });
  }

  function callOf(req: FastifyRequest, principal: Awaited<ReturnType<typeof authenticate>>) {
    return {
      principal,
      channel: channelOf(principal, consoleClientId),
      clientApp: principal.clientId ?? null,
      ip: req.ip,
      requestId: String(req.id),
      dryRun: (req.query as Record<string, unknown>).dryRun === 'true',
    };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
