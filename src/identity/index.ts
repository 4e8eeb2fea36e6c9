export {
  type AuthorizationServer,
  type AuthorizationServerOptions,
  createAuthorizationServer,
} from './authorization-server.js';
export { CLI_CLIENT_ID, CONNECT_CLIENT_ID, CONSOLE_CLIENT_ID, DEVICE_CODE_GRANT, FIRST_PARTY_CLIENTS } from './clients.js';
export { connectPage, sendPage } from './login-pages.js';
export { deleteExpiredPayloads } from './oidc-adapter.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { GATEWAY_MCP_SCOPE, MANAGEMENT_SCOPE } from './scopes.js';
export {
  bearerToken,
  metadataUrlFor,
  type ProtectedResourceMetadata,
  protectedResourceMetadata,
  wwwAuthenticate,
} from './protected-resource.js';
export {
  createExternalVerifier,
  createLocalVerifier,
  type ExpiringVerifier,
  type ExternalIdpConfig,
  type TokenVerifier,
  type VerifiedToken,
} from './token-verifier.js';
export { cachingVerifier, type VerifiedTokenCacheOptions } from './token-verifier-cache.js';
export { builtInConsoleSignIn, type ConsoleSignIn, externalConsoleSignIn } from './console-sign-in.js';
