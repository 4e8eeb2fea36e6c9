import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** How a test's SDK client is made: its name, the SDK's client options, and where it is kept to be closed after the test. */
export interface McpClientOptions {
  name?: string;
  options?: ConstructorParameters<typeof Client>[1];
  keep?: { push(client: Client): unknown };
}

/** The official SDK client, connected over Streamable HTTP to `url` (a virtual server, /mcp) with a bearer token, as an AI client connects. */
export async function connectedClient(url: string, bearer: string, { name = 'gatehouse-test', options, keep }: McpClientOptions = {}): Promise<Client> {
  const client = new Client({ name, version: '1' }, options);
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }));
  keep?.push(client);
  return client;
}
