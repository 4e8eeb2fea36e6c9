// Grant type names shared by the authorization server and the client registry. Kept apart from
// token-exchange.ts so that code which only names a grant (the CLI's client lookups) does not load
// oidc-provider.

/** RFC 8693 §2.1: the grant type of a token exchange. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** RFC 7523 §2.1: the JWT bearer grant, with which an Identity Assertion JWT Authorization Grant is redeemed. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** draft-ietf-oauth-identity-assertion-authz-grant §7.2: advertised in `authorization_grant_profiles_supported`. */
export const ID_JAG_GRANT_PROFILE = 'urn:ietf:params:oauth:grant-profile:id-jag';
