import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatehouseError, loadOnce, requestIdFrom, sendError } from '../core/index.js';

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
  const surface = loadOnce(() =>
    load().catch((err: unknown) => {
      log(`loading the ${name} failed`, err);
      throw err;
    }),
  );
  let closed = false;

  const refuse = (res: ServerResponse, req: IncomingMessage, message: string) =>
    sendError(res, new GatehouseError('GATEHOUSE_NOT_READY', message), requestIdFrom(req.headers['x-request-id']));

  const handle: Handler = (req, res) => {
    if (closed) return refuse(res, req, SHUTTING_DOWN);
    const built = surface.value;
    if (built !== undefined) return built.handle(req, res);
    surface().then(
      (loaded) => (closed ? refuse(res, req, SHUTTING_DOWN) : loaded.handle(req, res)),
      () => refuse(res, req, `The ${name} could not be loaded; try again.`),
    );
  };

  return {
    handle,
    async close() {
      if (closed) return;
      closed = true;
      const built = surface.value ?? (await surface.pending?.catch(() => undefined));
      await built?.close?.();
    },
  };
}
