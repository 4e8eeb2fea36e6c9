import type { OAuthClientProvider } from '@modelcontextprotocol/client';

/**
 * What an MCP client keeps between the redirect and the callback, held in memory; the test plays
 * the browser with `authorizationUrl`. A public client (no secret) unless `metadata` says otherwise.
 */
export class MemoryOAuthProvider implements OAuthClientProvider {
  information: any;
  stored: any;
  verifier = '';
  authorizationUrl: URL | undefined;
  constructor(
    readonly redirectUrl: string,
    private readonly metadata: { client_name: string } & Record<string, unknown>,
  ) {}
  get clientMetadata() {
    return { redirect_uris: [this.redirectUrl], token_endpoint_auth_method: 'none', ...this.metadata };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(info: unknown) {
    this.information = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: unknown) {
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}
