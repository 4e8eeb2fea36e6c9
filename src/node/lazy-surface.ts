import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatehouseError, requestIdFrom, sendError } from '../core/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const SHUTTING_DOWN = 'The node is shutting down.';

/** What a loader builds: the surface's handler, and what closes it (when it holds anything). */
export interface BuiltSurface {
  handle: Handler;
  close?: () => Promise<void>;
}

/** A surface whose code loads on its first request. */
export interface LazySurface {
  handle: Handler;
  /** Closes what was built, after a load under way has ended; requests after it are refused. */
  close(): Promise<void>;
}

/**
 * Builds a surface on its first request, once: the MCP surfaces pull in the MCP SDK, which a node
 * that serves no MCP traffic should never load. Concurrent first requests wait on the same load;
 * later ones reach the built handler directly. A failed load answers GATEHOUSE_NOT_READY and the
 * next request loads again.
 */
export function lazySurface(name: string, load: () => Promise<BuiltSurface>, log: (msg: string, err: unknown) => void): LazySurface {
  let built: BuiltSurface | null = null;
  let loading: Promise<BuiltSurface> | null = null;
  let closed = false;

  const refuse = (res: ServerResponse, req: IncomingMessage, message: string) =>
    sendError(res, new GatehouseError('GATEHOUSE_NOT_READY', message), requestIdFrom(req.headers['x-request-id']));

  const start = (): Promise<BuiltSurface> => {
    loading ??= load().then(
      (surface) => {
        built = surface;
        loading = null;
        return surface;
      },
      (err: unknown) => {
        loading = null;
        log(`loading the ${name} failed`, err);
        throw err;
      },
    );
    return loading;
  };

  const handle: Handler = (req, res) => {
    if (built !== null) return built.handle(req, res);
    if (closed) return refuse(res, req, SHUTTING_DOWN);
    start().then(
      (surface) => (closed ? refuse(res, req, SHUTTING_DOWN) : surface.handle(req, res)),
      () => refuse(res, req, `The ${name} could not be loaded; try again.`),
    );
  };

  return {
    handle,
    async close() {
      closed = true;
      const surface = built ?? (await loading?.catch(() => null)) ?? null;
      built = null;
      await surface?.close?.();
    },
  };
}
