// The peer: the fast-gateway package (restana + fast-proxy-lite, keep-alive agent) with one route.
// Usage: node bench/fast-gateway.mjs <port> <upstream-origin>   (serves /api/* → upstream /*)
import gateway from 'fast-gateway';

const port = Number(process.argv[2] ?? 0);
const server = gateway({ routes: [{ prefix: '/api', target: process.argv[3] }] });
await server.start(port, '127.0.0.1');
console.log(`listening ${port}`);
process.on('SIGTERM', () => process.exit(0));
