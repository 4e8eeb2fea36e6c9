import { connect, type Socket } from 'node:net';

/** A raw TCP connection to an HTTP server, for tests that must see exactly what goes over the wire. */
export interface RawConnection {
  socket: Socket;
  /** Everything the server has sent so far, as latin1 text. */
  received(): string;
  /** Resolves when the connection has closed, from either side. */
  closed: Promise<void>;
  /** Waits until what was received matches `pattern` (or `ms` pass), then returns it. */
  until(pattern: RegExp, ms?: number): Promise<string>;
}

/** Opens a connection to `baseUrl`'s port on loopback and writes `head` (a request head, say) on it. */
export function rawConnection(baseUrl: string, head: string): RawConnection {
  const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1');
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => {
    received += d;
  });
  // A server that hangs up mid-upload makes writes fail; what it sent before is what the test reads.
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(head);
  return {
    socket,
    received: () => received,
    closed,
    async until(pattern, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!pattern.test(received) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return received;
    },
  };
}
