import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running client-credentials token endpoint. */
export interface TokenEndpoint {
  url: string;
  /** Every access token issued, in order. */
  issued: string[];
  /** Tokens an upstream should refuse from now on. */
  revoked: Set<string>;
  close(): Promise<void>;
}

/** A token endpoint for the client-credentials grant on loopback (client secret in Basic auth): issues opaque tokens, can revoke them. */
export async function startTokenEndpoint(clientId: string, clientSecret: string): Promise<TokenEndpoint> {
  const issued: string[] = [];
  const revoked = new Set<string>();
  const http: HttpServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      if (form.get('grant_type') !== 'client_credentials' || basic !== `${clientId}:${clientSecret}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
        return;
      }
      const token = `at-${randomBytes(12).toString('hex')}`;
      issued.push(token);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/token`,
    issued,
    revoked,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}
