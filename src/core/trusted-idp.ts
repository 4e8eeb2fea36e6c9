import { z } from 'zod';
import { Description, Id, Name, Stored } from './common.js';
import { patchOf } from './patch.js';

/** An https URL (http only on loopback, for tests and local IdPs): keys and issuers travel over TLS. */
const IdpUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    if (!URL.canParse(v)) return false;
    const u = new URL(v);
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  }, 'an https URL (http only on a loopback host)');

/** A claim name in the IdP's assertions, e.g. `sub`, `email`, `groups`. */
const ClaimName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/, 'a claim name');

/** A lowercase DNS domain, e.g. `example.com`. */
const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a DNS domain such as example.com');

/**
 * An enterprise identity provider whose Identity Assertion JWT Authorization Grants (ID-JAG, MCP
 * Enterprise-Managed Authorization) the built-in authorization server accepts for its MCP resources.
 */
export const TrustedIdpInput = z.strictObject({
  name: Name,
  description: Description.optional(),
  /** The IdP's `iss`, exactly as its assertions carry it. */
  issuer: IdpUrl,
  /** Where its signing keys are; without it they are found through the issuer's discovery document. */
  jwksUri: IdpUrl.optional(),
  /**
   * The client ids (of this authorization server) the IdP may issue grants for: the `client_id`
   * claim must be one of them and the authenticated client. Empty: none, so nothing is accepted yet.
   */
  allowedClientIds: z.array(z.string().min(1).max(2000)).max(100).default([]),
  /** The claim naming the person; its value is matched against a local user's username. */
  usernameClaim: ClaimName.default('email'),
  /**
   * The claim listing the person's groups at the IdP. They go into the tokens issued, so role
   * bindings on a group and virtual-server access lists naming it apply: a change of group at the
   * IdP holds from the person's next token, with no edit here. Absent: groups are not read.
   */
  groupsClaim: ClaimName.optional(),
  /**
   * Just-in-time accounts: a person whose `email` claim is at one of these domains and who has no
   * user yet gets one (no password, no role: virtual-server access lists decide what they reach).
   */
  jitDomains: z.array(Domain).max(50).default([]),
  /**
   * Outbound ID-JAGs: the `oauth2_client_credentials` backend credential that is the gateway's own
   * client at this IdP (its token URL is the IdP's token endpoint). With it, a person who signed in
   * with one of this IdP's assertions reaches `oauth_per_user` upstreams whose authorization server
   * takes ID-JAGs with no consent step: the gateway exchanges that assertion at the IdP (RFC 8693)
   * for one naming the upstream, and redeems it there (RFC 7523). Absent: per-user OAuth as ever.
   */
  gatewayCredentialId: Id.optional(),
  /** Off: every assertion of this IdP is refused, without deleting it. */
  enabled: z.boolean().default(true),
});
export const TrustedIdpPatch = patchOf(TrustedIdpInput);
export const TrustedIdp = TrustedIdpInput.extend(Stored);
export type TrustedIdp = z.infer<typeof TrustedIdp>;
export type TrustedIdpInput = z.input<typeof TrustedIdpInput>;
