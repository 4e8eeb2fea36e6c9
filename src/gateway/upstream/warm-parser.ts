import { createServer, type Socket } from 'node:net';
import { Client } from 'undici';

const CANNED = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}';

/**
 * Has undici compile its WebAssembly HTTP parser now, with one request to a throwaway loopback
 * socket. undici compiles llhttp on its first connection, and V8's optimising tier then needs
 * ~34 MB of compiler memory for a moment. Done lazily, that lands on the first proxied call, on
 * top of a fully loaded config snapshot (peak RSS 203–208 MB against a steady 180 with 10,000
 * endpoints and 100,000 credentials), and that call waits for the compile. Done before the
 * snapshot loads, the same moment costs nothing that stays.
 */
export async function warmResponseParser(): Promise<void> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', () => socket.end(CANNED));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Exclusive: in a cluster worker a shared handle would be the primary's, one port for every
    // worker, so a worker's warm-up could land on another's server and be cut when that one closes.
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, resolve);
  });
  const { port } = server.address() as { port: number };
  const client = new Client(`http://127.0.0.1:${port}`);
  try {
    const res = await client.request({ path: '/', method: 'GET', headersTimeout: 2_000, bodyTimeout: 2_000 });
    await res.body.dump();
  } finally {
    await client.close().catch(() => {});
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
