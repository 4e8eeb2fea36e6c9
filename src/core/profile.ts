import { z } from 'zod';
import { parseCidr } from './cidr.js';
import { HTTP_METHODS, HttpMethod, Id, Name, Stored } from './common.js';

export const AuthType = z.enum(['none', 'token', 'jwt', 'oidc']);
export type AuthType = z.infer<typeof AuthType>;

export const Cidr = z
  .string()
  .max(64)
  .refine((c) => parseCidr(c) !== null, 'not a valid CIDR (e.g. 10.0.0.0/8 or 2001:db8::/32)');

export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** How a `jwt` or `oidc` profile verifies callers' tokens and maps them to itself. */
export const JwtSettings = z
  .strictObject({
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

export const ProfileInput = z
  .strictObject({
    clientId: Id,
    name: Name,
    authType: AuthType,
    allowedMethods: z.array(HttpMethod).min(1).default([...HTTP_METHODS]),
    ipAllowlist: z.array(Cidr).max(500).default([]),
    /** When set, a narrower set of the client's collections. */
    collectionIds: z.array(Id).max(1000).nullable().default(null),
    policyId: Id.nullable().default(null),
    jwt: JwtSettings.optional(),
    /** People who may sign in to the Gateway MCP as this profile (usernames or subjects of the gateway's users). */
    signInUsers: SignInUsers.default([]),
  })
  .superRefine((p, ctx) => {
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
});
export type Profile = z.infer<typeof Profile>;
