// The MCP client of bench/estate.mjs: tools/list and search_endpoints timings, then inspect_contract
// on every endpoint of the estate. bench/estate.mjs runs it as a process of its own
// (`node bench/estate-client.mjs <mcp url> <token>`), so that the gateway's RSS is the gateway's:
// in the gateway's process, decoding ~5,000 responses of up to a few hundred KB each left tens of MB
// of the client's strings and buffers in the same malloc heap. `--client-in-process` imports it instead.
// As a process it prints one JSON line of results, then holds its session open until its stdin closes.
import { median } from './lib.mjs';

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/**
 * Connects to the Gateway MCP at `url` with `token`, times tools/list and search_endpoints, lists
 * every endpoint of the `estate` collection and inspects each contract (`onProgress(i)` every 250).
 * Resolves with the timings and a `close` function that ends the session.
 */
export async function inspectEstate(url, token, onProgress = () => {}) {
  const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  const client = new Client({ name: 'estate-bench', version: '1' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));

  const listTimes = [];
  for (let i = 0; i < 50; i++) listTimes.push((await timed(() => client.listTools())).ms);
  const searchTimes = [];
  for (let i = 0; i < 50; i++)
    searchTimes.push((await timed(() => client.callTool({ name: 'search_endpoints', arguments: { query: `update an entity of group ${i * 17}` } }))).ms);

  const ids = [];
  for (let cursor = '0'; cursor !== null; ) {
    const page = await client.callTool({ name: 'list_endpoints', arguments: { collection: 'estate', limit: 500, cursor } });
    for (const ep of page.structuredContent.endpoints) ids.push(ep.id);
    cursor = page.structuredContent.nextCursor;
  }
  const inspected = await timed(async () => {
    for (const [i, id] of ids.entries()) {
      const res = await client.callTool({ name: 'inspect_contract', arguments: { endpoint: id } });
      if (res.isError) throw new Error(`inspect_contract ${id}: ${JSON.stringify(res.structuredContent)}`);
      if (i % 250 === 0) onProgress(i);
    }
  });
  return {
    inspected: ids.length,
    inspectMs: inspected.ms,
    listP50: median(listTimes),
    searchP50: median(searchTimes),
    close: () => client.close(),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, token] = process.argv.slice(2);
  const { close, ...result } = await inspectEstate(url, token);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await close();
}
