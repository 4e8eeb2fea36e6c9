import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';

/** What an auth-checking upstream saw of one request. */
export interface SeenRequest {
  url: string;
  headers: IncomingMessage['headers'];
  /** The peer certificate's subject CN (https with client certificates). */
  clientCn: string | null;
}

/** An upstream that answers 200 with what it saw when `accepts` approves the request, else 401. */
export interface AuthUpstream {
  url: string;
  seen: SeenRequest[];
  /** Changes what is accepted from now on (a rotation on the upstream's side). */
  accepts: (req: IncomingMessage) => boolean | Promise<boolean>;
  close(): Promise<void>;
}

/** Starts one on loopback; with `tls`, over https (client certificates as its options ask). */
export async function startAuthUpstream(accepts: AuthUpstream['accepts'], tls?: ServerOptions): Promise<AuthUpstream> {
  const state: AuthUpstream = { url: '', seen: [], accepts, close: async () => {} };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const cert = 'getPeerCertificate' in req.socket ? (req.socket as import('node:tls').TLSSocket).getPeerCertificate() : null;
    const seen: SeenRequest = {
      url: req.url ?? '',
      headers: req.headers,
      clientCn: cert && 'subject' in cert && cert.subject ? (cert.subject.CN as string) : null,
    };
    state.seen.push(seen);
    req.resume();
    req.on('end', async () => {
      const ok = await state.accepts(req);
      const body = JSON.stringify(ok ? { ok: true, url: seen.url, clientCn: seen.clientCn } : { error: 'unauthorized' });
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
