import { describe, expect, it } from 'vitest';
import { TokenEndpoint } from './token-endpoint.js';

const request = (tokenUrl: string) => ({
  tokenUrl,
  clientId: 'c',
  clientSecret: 'never-shown',
  clientAuth: 'client_secret_post' as const,
  params: [['grant_type', 'client_credentials'] as const],
});

describe('TokenEndpoint SSRF guard', () => {
  it('refuses loopback, private and metadata addresses unless private networks are allowed', async () => {
    const endpoint = new TokenEndpoint();
    try {
      for (const url of [
        'http://127.0.0.1:9/token',
        'http://169.254.169.254/latest',
        'http://10.1.2.3/token',
        'http://localhost:9/token',
        'http://[::1]:9/token',
      ]) {
        const err = await endpoint.fetch('idp', request(url)).catch((e: unknown) => e);
        expect(err, url).toMatchObject({ code: 'GATEHOUSE_BACKEND_TOKEN_FAILED', status: 502 });
        expect(String((err as Error).message)).toMatch(/loopback, private or link-local/);
        expect(String((err as Error).message)).not.toContain('never-shown');
      }
    } finally {
      await endpoint.close();
    }
  });
});
