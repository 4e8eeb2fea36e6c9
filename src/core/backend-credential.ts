import { z } from 'zod';
import { Description, Name, Stored, Timestamp } from './common.js';

export const BACKEND_CREDENTIAL_TYPES = ['basic', 'api_key', 'oauth2_client_credentials', 'mtls'] as const;
export const BackendCredentialType = z.enum(BACKEND_CREDENTIAL_TYPES);
export type BackendCredentialType = z.infer<typeof BackendCredentialType>;

/** Fields that are secret material: sealed at rest, reaching only the upstream forwarder, never returned. */
export const BACKEND_SECRET_FIELDS = ['password', 'value', 'clientSecret', 'certificate', 'privateKey', 'passphrase'] as const;

const Secret = z.string().min(1).max(4_096);
const Pem = z.string().min(1).max(65_536);
// A header or query parameter name as RFC 9110 tokens allow; header names are compared lower-case.
const ParamName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header or query parameter name');
const TokenUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  // Refinements run even when .url() failed: a string that is no URL must not throw here.
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password && !new URL(u).hash), 'no credentials or fragment in the URL');

const Common = { name: Name, description: Description.default('') };

export const BasicCredentialInput = z.strictObject({
  ...Common,
  type: z.literal('basic'),
  username: z
    .string()
    .min(1)
    .max(200)
    .refine((u) => !u.includes(':'), 'a Basic username cannot contain ":"'),
  password: Secret,
});
export const ApiKeyCredentialInput = z.strictObject({
  ...Common,
  type: z.literal('api_key'),
  /** Sent as a request header or as a query parameter. */
  in: z.enum(['header', 'query']),
  /** The header or query parameter name, e.g. `X-API-Key` or `api_key`. */
  param: ParamName,
  value: Secret,
});
export const OAuth2CredentialInput = z.strictObject({
  ...Common,
  type: z.literal('oauth2_client_credentials'),
  tokenUrl: TokenUrl,
  clientId: z.string().min(1).max(500),
  clientSecret: Secret,
  /** How the client authenticates to the token endpoint (RFC 6749 §2.3.1). */
  clientAuth: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
  scope: z.string().max(2_000).optional(),
  audience: z.string().max(2_000).optional(),
  /** RFC 8707 resource indicator. */
  resource: z.string().max(2_000).optional(),
  /** Further form parameters of the token request. */
  extraParams: z.record(z.string().min(1).max(100), z.string().max(2_000)).default({}),
});
export const MtlsCredentialInput = z.strictObject({
  ...Common,
  type: z.literal('mtls'),
  /** The client certificate chain (PEM), leaf first. */
  certificate: Pem,
  /** Its private key (PEM), encrypted when a passphrase is given. */
  privateKey: Pem,
  passphrase: Secret.optional(),
  /** CA certificates (PEM) trusted for the upstream, on top of the system's. */
  caBundle: Pem.optional(),
  /** The TLS server name (SNI and verification) when it differs from the upstream URL's host. */
  serverName: z.string().min(1).max(253).optional(),
});

/** Each type's fields, checked once the type is known. */
export const BackendCredentialVariant = z.discriminatedUnion('type', [BasicCredentialInput, ApiKeyCredentialInput, OAuth2CredentialInput, MtlsCredentialInput]);
export type BackendCredentialVariant = z.output<typeof BackendCredentialVariant>;

/**
 * What create takes: one flat object (so every surface lists its fields), whose fields must be
 * those of its `type` — checked against that type's own schema.
 */
export const BackendCredentialInput = z
  .strictObject({
    ...Common,
    type: BackendCredentialType,
    username: BasicCredentialInput.shape.username.optional(),
    password: Secret.optional(),
    in: ApiKeyCredentialInput.shape.in.optional(),
    param: ParamName.optional(),
    value: Secret.optional(),
    tokenUrl: TokenUrl.optional(),
    clientId: OAuth2CredentialInput.shape.clientId.optional(),
    clientSecret: Secret.optional(),
    clientAuth: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
    scope: z.string().max(2_000).optional(),
    audience: z.string().max(2_000).optional(),
    resource: z.string().max(2_000).optional(),
    extraParams: z.record(z.string().min(1).max(100), z.string().max(2_000)).optional(),
    certificate: Pem.optional(),
    privateKey: Pem.optional(),
    passphrase: Secret.optional(),
    caBundle: Pem.optional(),
    serverName: z.string().min(1).max(253).optional(),
  })
  .transform((value, ctx) => {
    const parsed = BackendCredentialVariant.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, message: `${issue.message} (for type ${value.type})` } as never);
    return z.NEVER;
  });
export type BackendCredentialInput = z.output<typeof BackendCredentialInput>;

/**
 * Update = rotate: any field but `name` and `type` (delete and create for those). Secret fields
 * given replace the sealed ones; omitted ones stay; null clears an optional one.
 */
export const BackendCredentialPatch = z.strictObject({
  description: Description.optional(),
  username: BasicCredentialInput.shape.username.optional(),
  password: Secret.optional(),
  in: ApiKeyCredentialInput.shape.in.optional(),
  param: ParamName.optional(),
  value: Secret.optional(),
  tokenUrl: TokenUrl.optional(),
  clientId: OAuth2CredentialInput.shape.clientId.optional(),
  clientSecret: Secret.optional(),
  clientAuth: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
  scope: z.string().max(2_000).nullable().optional(),
  audience: z.string().max(2_000).nullable().optional(),
  resource: z.string().max(2_000).nullable().optional(),
  extraParams: z.record(z.string().min(1).max(100), z.string().max(2_000)).optional(),
  certificate: Pem.optional(),
  privateKey: Pem.optional(),
  passphrase: Secret.nullable().optional(),
  caBundle: Pem.nullable().optional(),
  serverName: z.string().min(1).max(253).nullable().optional(),
});

/** A certificate as reads show it. */
export const CertificateSummary = z.object({
  subject: z.string(),
  issuer: z.string(),
  subjectAltName: z.string().nullable(),
  notBefore: Timestamp,
  notAfter: Timestamp,
  /** SHA-256 of the DER certificate, hex with colons. */
  fingerprint256: z.string(),
});
export type CertificateSummary = z.infer<typeof CertificateSummary>;

/** A backend credential as reads show it: its settings and a fingerprint, never the secret material. */
export const BackendCredential = z.object({
  ...Stored,
  name: z.string(),
  description: z.string(),
  type: BackendCredentialType,
  username: z.string().optional(),
  in: z.enum(['header', 'query']).optional(),
  param: z.string().optional(),
  tokenUrl: z.string().optional(),
  clientId: z.string().optional(),
  clientAuth: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
  scope: z.string().optional(),
  audience: z.string().optional(),
  resource: z.string().optional(),
  extraParams: z.record(z.string(), z.string()).optional(),
  caBundle: z.string().optional(),
  serverName: z.string().optional(),
  /** Identifies the secret material (an HMAC under the gateway's key), so two reads show whether it changed. */
  fingerprint: z.string(),
  /** The client certificate of an `mtls` credential. */
  certificate: CertificateSummary.nullable(),
  /** When the material stops working, where it is known (a certificate's notAfter). */
  expiresAt: Timestamp.nullable(),
  rotatedAt: Timestamp,
  /** Who set the current secret material. */
  rotatedBy: z.string(),
});
export type BackendCredential = z.infer<typeof BackendCredential>;
