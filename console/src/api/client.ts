import createClient, { type Middleware } from 'openapi-fetch';
import { accessToken } from '../auth/session';
import { ADMIN_API } from '../auth/discovery';
import type { paths } from './schema';

/** An error the gateway answered: its stable code, message and request id, shown as they are. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

const auth: Middleware = {
  async onRequest({ request }) {
    request.headers.set('authorization', `Bearer ${await accessToken()}`);
    return request;
  },
};

/** The admin API, typed by the gateway's own OpenAPI document (src/api/schema.d.ts). */
export const api = createClient<paths>({ baseUrl: ADMIN_API });
api.use(auth);

/** Unwraps an openapi-fetch answer: the data, or an ApiError carrying the gateway's message and request id. */
export async function unwrap<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await promise;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { error?: { code?: string; message?: string; requestId?: string } };
  throw new ApiError(
    response.status,
    body.error?.code ?? 'GATEHOUSE_HTTP',
    body.error?.message ?? `The gateway answered ${response.status}.`,
    body.error?.requestId ?? response.headers.get('x-request-id'),
  );
}

/**
 * Untyped calls for the pages generated from the OpenAPI document at run time (generic resources):
 * their paths are only known once the document is read.
 */
export async function rawCall<T = unknown>(method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<T> {
  const qs = query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : '';
  const res = await fetch(`${ADMIN_API}${path}${qs}`, {
    method,
    headers: { authorization: `Bearer ${await accessToken()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : null;
  if (res.ok) return parsed as T;
  return unwrap<T>(Promise.resolve({ error: parsed, response: res }));
}
