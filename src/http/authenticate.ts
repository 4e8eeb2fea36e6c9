import type { FastifyRequest } from 'fastify';
import { GatehouseError, type Principal } from '../core/index.js';
import { bearerToken, type TokenVerifier, wwwAuthenticate } from '../identity/index.js';

/** A 401 that tells the client where to find the authorization server (RFC 9728). */
export class Unauthenticated extends GatehouseError {
  readonly challenge: string;
  constructor(resource: string, code: 'GATEHOUSE_UNAUTHENTICATED' | 'GATEHOUSE_INVALID_TOKEN', message?: string) {
    super(code, message);
    this.challenge = wwwAuthenticate(resource, code === 'GATEHOUSE_INVALID_TOKEN' ? { error: 'invalid_token', description: this.message } : {});
  }
}

/** Verifies the request's bearer token for one resource (audience) and returns who is calling. */
export async function authenticate(req: FastifyRequest, verifier: TokenVerifier, resource: string): Promise<Principal> {
  const token = bearerToken(req.headers.authorization);
  if (!token) throw new Unauthenticated(resource, 'GATEHOUSE_UNAUTHENTICATED');
  try {
    const v = await verifier.verify(token, resource);
    return { subject: v.subject, name: v.name, kind: v.kind, groups: v.groups, ...(v.clientId ? { clientId: v.clientId } : {}) };
  } catch (err) {
    throw new Unauthenticated(resource, 'GATEHOUSE_INVALID_TOKEN', err instanceof GatehouseError ? err.message : undefined);
  }
}
