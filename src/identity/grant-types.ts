// Grant type names shared by the authorization server and the client registry. Kept apart from
// token-exchange.ts so that code which only names a grant (the CLI's client lookups) does not load
// oidc-provider.

/** RFC 8693 §2.1: the grant type of a token exchange. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
