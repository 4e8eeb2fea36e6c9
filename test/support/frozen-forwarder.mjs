// A loopback TCP forwarder run as its own process, so a test can freeze it with SIGSTOP: the kernel
// still accepts connections on its port and keeps open ones open, but nothing is relayed either
// way — what a SIGSTOPped database looks like to its clients, without touching the real one.
// Usage: node frozen-forwarder.mjs <targetHost> <targetPort>; prints the port it listens on.
import { connect, createServer } from 'node:net';

const [host, port] = process.argv.slice(2);
const server = createServer((inbound) => {
  const outbound = connect(Number(port), host);
  const close = () => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.on('error', close);
  outbound.on('error', close);
  inbound.pipe(outbound).pipe(inbound);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
