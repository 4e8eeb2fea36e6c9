import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, errorBody, GatehouseError } from '../core/index.js';
import { Unauthenticated } from './authenticate.js';

// Fastify's own failures, mapped onto our stable codes.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'GATEHOUSE_INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'GATEHOUSE_INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'GATEHOUSE_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'GATEHOUSE_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'GATEHOUSE_BAD_REQUEST',
};

/** A request refused before its handler ran (malformed, too large or wrongly typed body); null for other errors. */
export function bodyRefusal(err: FastifyError | Error): GatehouseError | null {
  const code = (err as FastifyError).code;
  if (code?.startsWith('FST_ERR_CTP_')) return new GatehouseError(FASTIFY_CODES[code] ?? 'GATEHOUSE_BAD_REQUEST');
  if (err instanceof SyntaxError) return new GatehouseError('GATEHOUSE_INVALID_JSON');
  return null;
}

/**
 * Failures of Fastify's router, raised before any hook or error handler runs (a malformed
 * percent-encoding, an over-long path parameter): answered in the same shape as every other error.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const gh =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new GatehouseError('GATEHOUSE_URI_TOO_LONG')
      : new GatehouseError('GATEHOUSE_BAD_REQUEST', err.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid percent-encoded UTF-8.' : undefined);
  void reply
    .code(gh.status)
    .type('application/json; charset=utf-8')
    .send(errorBody(gh, String(req.id)));
}

/** Every error leaves as `{error: {code, message, requestId}}` with the registry's status. */
export function installErrorHandlers(app: FastifyInstance, log: (msg: string, err: unknown) => void): void {
  app.setErrorHandler((err: FastifyError | GatehouseError, req, reply) => {
    let gh: GatehouseError;
    if (err instanceof GatehouseError) gh = err;
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      gh = new GatehouseError('GATEHOUSE_BODY_TOO_LARGE', `The request body is larger than this route accepts (${req.routeOptions.bodyLimit} bytes).`);
    else if (err.code && FASTIFY_CODES[err.code]) gh = new GatehouseError(FASTIFY_CODES[err.code]!);
    else if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON') gh = new GatehouseError('GATEHOUSE_INVALID_JSON');
    else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      gh = new GatehouseError('GATEHOUSE_BAD_REQUEST', err.message);
    } else {
      log('unhandled error', err);
      gh = new GatehouseError('GATEHOUSE_INTERNAL');
    }
    if (gh instanceof Unauthenticated) reply.header('www-authenticate', gh.challenge);
    void reply
      .code(gh.status)
      .type('application/json; charset=utf-8')
      .send(errorBody(gh, String(req.id)));
  });
  app.setNotFoundHandler((req, reply) => {
    const err = new GatehouseError('GATEHOUSE_ROUTE_NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}.`);
    void reply.code(404).send(errorBody(err, String(req.id)));
  });
}
