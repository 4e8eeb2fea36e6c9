import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { type Curated, curateWhole, type InteropUpstream } from '../support/interop.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { pythonMcpAvailable, startFastMcp } from '../support/python-upstream.js';

/**
 * Log messages a tool sends while it runs (FastMCP's `ctx.info`, test/support/fastmcp_upstream.py's
 * `slow_echo`), directly and through a virtual server, in both protocol eras: a 2025-era caller
 * (SDK v2 and SDK v1 clients) hears them on the call's stream as it does directly; a 2026-07-28
 * caller hears them when its request opts in with `_meta["io.modelcontextprotocol/logLevel"]`, at
 * that level or above, and not otherwise (the revision's per-request logging, SEP-2577).
 */

const available = pythonMcpAvailable();
const LOG_LEVEL = 'io.modelcontextprotocol/logLevel';
const text = (r: unknown) => (((r as { content?: unknown }).content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');

// Both implementations of the virtual server's hot path (GATEHOUSE_FAST_PATHS) answer alike.
describe.skipIf(!available).each([true, false])('log messages of a running tool (Python FastMCP over Streamable HTTP; fast paths: %s)', (fastPaths) => {
  let t: TestGatehouse;
  let upstream: InteropUpstream;
  let curated: Curated;
  const opened: { close(): Promise<void> }[] = [];

  /** A fresh token of a service account of its own for the virtual server. */
  async function token(): Promise<string> {
    const sa = await t.serviceAccount('viewer');
    return clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: curated.resource });
  }

  /** An SDK v2 client of `url`, pinned to an era; `bearer` for the virtual server. */
  async function v2(url: string, era: 'legacy' | '2026-07-28', bearer?: string): Promise<Client> {
    const client = new Client({ name: 'logging-test', version: '1' }, { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: era } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), bearer ? { requestInit: { headers: { authorization: `Bearer ${bearer}` } } } : {}));
    opened.push(client);
    return client;
  }

  /** Calls slow_echo and returns what it answered and the log messages heard while it ran. */
  async function logged(client: Client, meta: Record<string, unknown> = {}): Promise<{ answer: string; messages: unknown[] }> {
    const messages: unknown[] = [];
    client.setNotificationHandler('notifications/message', (n) => void messages.push(n.params.data));
    const answer = text(await client.callTool({ name: 'slow_echo', arguments: { text: 'logs' }, _meta: meta }));
    return { answer, messages };
  }

  beforeAll(async () => {
    [t, upstream] = await Promise.all([startTestGatehouse('sqlite', { fastPaths }), startFastMcp('stateful')]);
    curated = await curateWhole(t, upstream, 'py-logging');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
    await curated?.close();
    await t?.close();
    await upstream?.close();
  });

  it('a 2025-era SDK v2 caller hears them through the virtual server as it does directly', async () => {
    const direct = await logged(await v2(upstream.url, 'legacy'));
    expect(direct).toEqual({ answer: 'slow echo: logs', messages: ['working on logs'] });
    const virtual = await logged(await v2(curated.resource, 'legacy', await token()));
    expect(virtual).toEqual(direct);
  }, 60_000);

  it('a 2025-era SDK v1 caller hears them through the virtual server as it does directly', async () => {
    const hear = async (url: string, bearer?: string) => {
      const client = new V1Client({ name: 'logging-v1', version: '1' });
      await client.connect(new V1Transport(new URL(url), bearer ? { requestInit: { headers: { authorization: `Bearer ${bearer}` } } } : {}));
      opened.push(client);
      const messages: unknown[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void messages.push(n.params.data));
      const answer = text(await client.callTool({ name: 'slow_echo', arguments: { text: 'logs' } }));
      return { answer, messages };
    };
    const direct = await hear(upstream.url);
    expect(direct).toEqual({ answer: 'slow echo: logs', messages: ['working on logs'] });
    expect(await hear(curated.resource, await token())).toEqual(direct);
  }, 60_000);

  it('a 2026-07-28 caller hears them when its request asks for its level or a lower one, and not otherwise', async () => {
    const client = await v2(curated.resource, '2026-07-28', await token());
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(client.getServerCapabilities()?.logging).toBeDefined();
    expect(await logged(client, { [LOG_LEVEL]: 'debug' })).toEqual({ answer: 'slow echo: logs', messages: ['working on logs'] });
    expect(await logged(client, { [LOG_LEVEL]: 'info' })).toEqual({ answer: 'slow echo: logs', messages: ['working on logs'] });
    // Above the message's level, or no opt-in at all: nothing, as the revision says.
    expect(await logged(client, { [LOG_LEVEL]: 'warning' })).toEqual({ answer: 'slow echo: logs', messages: [] });
    expect(await logged(client)).toEqual({ answer: 'slow echo: logs', messages: [] });
  }, 60_000);

  it('a 2026-07-28 caller that also answers the upstream’s requests hears them too (its call runs relayed, in legs)', async () => {
    const client = new Client(
      { name: 'logging-capable', version: '1' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Ada' } }));
    await client.connect(
      new StreamableHTTPClientTransport(new URL(curated.resource), { requestInit: { headers: { authorization: `Bearer ${await token()}` } } }),
    );
    opened.push(client);
    expect(await logged(client, { [LOG_LEVEL]: 'info' })).toEqual({ answer: 'slow echo: logs', messages: ['working on logs'] });
    expect(await logged(client)).toEqual({ answer: 'slow echo: logs', messages: [] });
    // Its questions still come back as input_required legs.
    expect(text(await client.callTool({ name: 'ask_name', arguments: {}, _meta: { [LOG_LEVEL]: 'info' } }))).toBe('hello Ada');
  }, 60_000);
});
