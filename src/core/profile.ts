import { z } from 'zod';
import { parseCidr } from './cidr.js';
import { HTTP_METHODS, HttpMethod, Id, Name, Stored } from './common.js';

export const AuthType = z.enum(['none', 'token', 'jwt', 'oidc', 'mtls']);
export type AuthType = z.infer<typeof AuthType>;

export const Cidr = z
  .string()
  .max(64)
  .refine((c) => parseCidr(c) !== null, 'not a valid CIDR (e.g. 10.0.0.0/8 or 2001:db8::/32)');

export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** How a `jwt` or `oidc` profile verifies callers' tokens and maps them to itself. */
export const JwtSettings = z.strictObject({
  jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** A public key as PEM (SPKI) or a JWK JSON string, instead of a JWKS URL. */
  publicKey: z.string().max(20_000).optional(),
  /** For `oidc`: the issuer whose discovery document names the JWKS. */
  issuer: z.url({ protocol: /^https?$/ }),
  audience: z.string().min(1).max(500),
  algorithms: z.array(z.enum(JWT_ALGORITHMS)).min(1).default(['RS256', 'ES256']),
  /** Optional claim that must equal the given value for the token to map to this profile. */
  requiredClaim: z.strictObject({ name: z.string().min(1).max(100), value: z.string().max(500) }).optional(),
  clockSkewSeconds: z.number().int().min(0).max(300).default(30),
});

const SignInUsers = z.array(z.string().min(1).max(200)).max(1000);
const ClaimMatch = z.strictObject({ name: z.string().min(1).max(100), value: z.string().max(500) });

/**
 * Sign-in to the Gateway MCP at the IdP an `oidc` profile trusts (`jwt.issuer`): the gateway is an
 * OIDC relying party of that IdP with this client (its redirect URI is `{issuer of the gateway}/federated/callback`).
 */
export const OidcSignIn = z.strictObject({
  /** The gateway's client id at the IdP. */
  clientId: z.string().min(1).max(500),
  /** Its client secret (confidential clients): sealed at rest, never returned; without one the gateway is a public client (PKCE only). */
  clientSecret: z.string().min(1).max(4_096).optional(),
  scope: z.string().min(1).max(1_000).default('openid profile email'),
  /** The ID-token claim that names the person (matched against signInUsers besides `sub`, and shown as their name). */
  usernameClaim: z.string().min(1).max(100).default('preferred_username'),
  /** Admits everyone whose ID token carries this claim value (equal, or in an array such as groups), besides the people signInUsers names. */
  requiredClaim: ClaimMatch.optional(),
  /** Shown on the login button ("Sign in with …"); default the issuer's host. */
  displayName: z.string().min(1).max(100).optional(),
});
/** What is stored and returned: the client secret lives sealed in the secrets table. */
export const StoredOidcSignIn = OidcSignIn.omit({ clientSecret: true });
export type StoredOidcSignIn = z.output<typeof StoredOidcSignIn>;

/** How an `mtls` profile recognizes callers by their TLS client certificate (on the gateway's own TLS listener). */
export const MtlsSettings = z
  .strictObject({
    /** CA certificates (PEM) whose certificates this profile trusts; a caller's certificate must be issued by one. */
    caCertificates: z.string().min(1).max(262_144),
    /** Certificates recognized by SHA-256 fingerprint (hex, colons optional); several with expiries let a caller rotate. */
    fingerprints: z
      .array(
        z.strictObject({
          sha256: z
            .string()
            .regex(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, 'a SHA-256 fingerprint in hex')
            .transform((f) => f.replace(/:/g, '').toUpperCase()),
          /** After this the fingerprint no longer matches (the old certificate of a rotation). */
          expiresAt: z.iso.datetime().optional(),
        }),
      )
      .max(100)
      .default([]),
    /** Certificates recognized by subject or SAN: `CN=partner-a`, the full subject `CN=…, O=…`, or a SAN such as `DNS:partner.example`. */
    subjects: z.array(z.string().min(1).max(500)).max(100).default([]),
  })
  .refine((m) => m.fingerprints.length > 0 || m.subjects.length > 0, 'name at least one fingerprint or subject');
export type MtlsSettings = z.output<typeof MtlsSettings>;

export const ProfileInput = z
  .strictObject({
    clientId: Id,
    name: Name,
    authType: AuthType,
    allowedMethods: z
      .array(HttpMethod)
      .min(1)
      .default([...HTTP_METHODS]),
    ipAllowlist: z.array(Cidr).max(500).default([]),
    /** When set, a narrower set of the client's collections. */
    collectionIds: z.array(Id).max(1000).nullable().default(null),
    policyId: Id.nullable().default(null),
    jwt: JwtSettings.optional(),
    /** People who may sign in to the Gateway MCP as this profile (usernames or subjects of the gateway's users). */
    signInUsers: SignInUsers.default([]),
    /** For `oidc` profiles: people sign in to the Gateway MCP at the trusted IdP. */
    oidcSignIn: OidcSignIn.optional(),
    mtls: MtlsSettings.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.oidcSignIn && p.authType !== 'oidc') ctx.addIssue({ code: 'custom', path: ['oidcSignIn'], message: 'only for oidc profiles' });
    if (p.authType === 'mtls' && !p.mtls) ctx.addIssue({ code: 'custom', path: ['mtls'], message: 'required for authType mtls' });
    if (p.authType !== 'mtls' && p.mtls) ctx.addIssue({ code: 'custom', path: ['mtls'], message: 'only for mtls profiles' });
    const needsJwt = p.authType === 'jwt' || p.authType === 'oidc';
    if (needsJwt && !p.jwt) ctx.addIssue({ code: 'custom', path: ['jwt'], message: `required for authType ${p.authType}` });
    if (!needsJwt && p.jwt) ctx.addIssue({ code: 'custom', path: ['jwt'], message: 'only for jwt or oidc profiles' });
    if (p.authType === 'jwt' && p.jwt && !p.jwt.jwksUrl && !p.jwt.publicKey)
      ctx.addIssue({ code: 'custom', path: ['jwt'], message: 'give jwksUrl or publicKey' });
  });
export const ProfilePatch = z.strictObject({
  name: Name.optional(),
  allowedMethods: z.array(HttpMethod).min(1).optional(),
  ipAllowlist: z.array(Cidr).max(500).optional(),
  collectionIds: z.array(Id).max(1000).nullable().optional(),
  policyId: Id.nullable().optional(),
  jwt: JwtSettings.optional(),
  signInUsers: SignInUsers.optional(),
  oidcSignIn: OidcSignIn.optional(),
  mtls: MtlsSettings.optional(),
});
export const Profile = z.object({
  ...Stored,
  clientId: Id,
  name: z.string(),
  authType: AuthType,
  allowedMethods: z.array(HttpMethod),
  ipAllowlist: z.array(z.string()),
  collectionIds: z.array(Id).nullable(),
  policyId: Id.nullable(),
  jwt: JwtSettings.optional(),
  signInUsers: z.array(z.string()).default([]),
  oidcSignIn: StoredOidcSignIn.optional(),
  mtls: MtlsSettings.optional(),
});
export type Profile = z.infer<typeof Profile>;
