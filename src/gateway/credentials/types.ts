import type { BackendCredential } from '../../core/index.js';

/** What an oauth2_client_credentials credential asks its token endpoint for. */
export interface TokenRequest {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clientAuth: 'client_secret_basic' | 'client_secret_post';
  /** The form parameters besides the client's own (grant_type, scope, audience, resource, extras). */
  readonly params: ReadonlyArray<readonly [string, string]>;
}

/** Client-certificate and trust settings of an mtls credential, as node:tls takes them. */
export interface ClientTls {
  readonly cert: string;
  readonly key: string;
  readonly passphrase?: string;
  readonly ca?: string;
  readonly servername?: string;
}

interface Base {
  readonly id: string;
  readonly name: string;
  /** Changes on every rotation: token caches and connection pools are keyed by it. */
  readonly version: number;
  readonly resource: BackendCredential;
}

/** A backend credential compiled for the forwarder: how it changes an upstream request. */
export type BackendAuth =
  | (Base & { readonly kind: 'header'; readonly header: string; readonly value: string })
  | (Base & { readonly kind: 'query'; readonly param: string; readonly value: string })
  | (Base & { readonly kind: 'oauth2'; readonly token: TokenRequest })
  | (Base & { readonly kind: 'mtls'; readonly tls: ClientTls });
