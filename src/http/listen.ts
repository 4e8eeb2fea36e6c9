import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { type AddressInfo, Server as NetServer } from 'node:net';
import { deferContinue } from '../gateway/net/index.js';
import type { NodeHandler } from './admin-app.js';
import { guardBodyIdle } from './body-idle.js';
import { answerClientErrors } from './client-errors.js';
import { beginDrain, closeQuietSockets, openResponses, responseTracker } from './drain.js';

/** How long a request body may stop arriving before the request is answered 408 (GATEHOUSE_REQUEST_BODY_IDLE_MS). */
export const DEFAULT_BODY_IDLE_MS = 15_000;

/**
 * Starts a node:http listener (node:https with `tls`) with safe limits; resolves once bound (port 0
 * picks a free port). Requests that expect 100-continue reach the handler with the 100 held back
 * (see sendContinue). Over TLS it asks for a client certificate but admits callers without one (or
 * with one it cannot verify): `mtls` profiles decide, and answer with their own 401.
 */
export async function listen(
  handler: NodeHandler,
  host: string,
  port: number,
  tls?: { cert: Buffer; key: Buffer },
  bodyIdleMs = DEFAULT_BODY_IDLE_MS,
): Promise<{ server: Server; url: string }> {
  // A missing Host is refused by the dispatcher, in the JSON shape of every other error (node:http would answer a bare 400).
  const limits = { maxHeaderSize: 16_384, requestTimeout: 300_000, headersTimeout: 30_000, keepAliveTimeout: 65_000, requireHostHeader: false };
  const guarded: NodeHandler = (req, res) => {
    track(req, res);
    guardBodyIdle(req, res, bodyIdleMs);
    handler(req, res);
  };
  const server: Server = tls ? createTlsServer({ ...limits, ...tls, requestCert: true, rejectUnauthorized: false }, guarded) : createServer(limits, guarded);
  const track = responseTracker(server);
  answerClientErrors(server);
  server.on('checkContinue', (req, res) => {
    deferContinue(req);
    guarded(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return { server, url: `${tls ? 'https' : 'http'}://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${addr.port}` };
}

/**
 * Stops accepting; each kept-alive connection closes after its next response (`Connection: close`)
 * or once quiet for QUIET_MS; calls in flight get `graceMs` to finish before their sockets are cut.
 * Resolves with how many requests were still open when cut (0 on a clean drain).
 */
export async function closeServer(server: Server, graceMs = 2_000): Promise<number> {
  beginDrain(server);
  return new Promise<number>((resolve) => {
    // net.Server's close, not http.Server's: since Node 19 the latter also destroys every idle
    // keep-alive socket at once, and a socket idle here may already hold the client's next request
    // (sent, unread): destroying it resets that call. This one only stops accepting.
    NetServer.prototype.close.call(server, () => resolve(0));
    const sweep = setInterval(() => closeQuietSockets(server), 100);
    sweep.unref();
    setTimeout(() => {
      clearInterval(sweep);
      const cut = openResponses(server);
      server.closeAllConnections();
      resolve(cut);
    }, graceMs).unref();
    server.once('close', () => clearInterval(sweep));
  });
}
