import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Channel } from '../core/index.js';
import type { TokenVerifier } from '../identity/index.js';
import type { Executor } from '../management/executor.js';
import { authenticate } from './authenticate.js';

export const ADMIN_API_PREFIX = '/admin/api/v1';

export interface AdminApiOptions {
  executor: Executor;
  verifier: TokenVerifier;
  /** This surface's resource identifier: tokens must carry it as audience. */
  resource: string;
}

/** `/proxies/{id}` → `/proxies/:id` */
function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** Clients may say which surface they are (the console sends `console`); anything else is `api`. */
function channelOf(req: FastifyRequest): Channel {
  return req.headers['x-gatehouse-channel'] === 'console' ? 'console' : 'api';
}

/** One route per registered operation: the admin API is generated, never hand-written. */
export function registerAdminApi(app: FastifyInstance, opts: AdminApiOptions): void {
  for (const op of opts.executor.registry.all()) {
    app.route({
      method: op.http.method,
      url: ADMIN_API_PREFIX + fastifyPath(op.http.path),
      ...(op.http.bodyLimitBytes ? { bodyLimit: op.http.bodyLimitBytes } : {}),
      handler: async (req, reply) => {
        const principal = await authenticate(req, opts.verifier, opts.resource);
        const params = req.params as Record<string, string>;
        const { dryRun: _dryRun, ...query } = req.query as Record<string, unknown>;
        const body: unknown = req.body;
        const input =
          op.http.method === 'GET' || op.http.method === 'DELETE'
            ? { ...query, ...params }
            : isPlainObject(body)
              ? { ...body, ...params }
              : (body ?? params);
        const result = await opts.executor.dispatch(op.name, input, callOf(req, principal));
        return reply.code(op.http.status ?? 200).send(result);
      },
    });
  }

  function callOf(req: FastifyRequest, principal: Awaited<ReturnType<typeof authenticate>>) {
    return {
      principal,
      channel: channelOf(req),
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
