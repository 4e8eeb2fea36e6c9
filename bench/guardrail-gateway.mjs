// The end-to-end channels of `--guardrails`: a real gatehouse (dist) in front of a real HTTP
// upstream and a real MCP upstream (bench/guardrail-upstreams.mjs), each corpus text sent through
// it the way a caller would. Per detector group (one PII category, or `inject`) a workflow of one
// node (detect_pii redact of that category with its defaults, or prompt_guard with its defaults)
// runs on the request of `/req-<group>`, on the response of `/res-<group>`, and on a virtual MCP
// server's `<group>_args` (request) and `<group>_result` / `<group>_structured` (response) tools.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { join } from 'node:path';
import { BENCH_DIR, clientCredentialsToken, freePort, HOST, startGatehouseAt, startProcess, waitForHttp } from './lib.mjs';

export const PII_GROUPS = ['email', 'phone', 'card', 'iban', 'ip', 'secret'];
export const GROUPS = [...PII_GROUPS, 'inject'];
export const CHANNELS = [
  'rest_request_json',
  'rest_response_json',
  'rest_response_text',
  'rest_response_sse',
  'rest_response_ndjson',
  'rest_response_chat',
  'mcp_arguments',
  'mcp_result_text',
  'mcp_structured',
];
const BODY_LIMIT = 4_194_304;
const MAIN = join(BENCH_DIR, '..', 'dist', 'cli', 'main.js');

function nodeFor(group) {
  if (group === 'inject') return { type: 'prompt_guard', id: 'guard' };
  return { type: 'detect_pii', id: 'pii', types: [group], maxBytes: BODY_LIMIT };
}

async function seed(dataDir, upstream) {
  const { openLocalPlane } = await import('../dist/node/local.js');
  const plane = await openLocalPlane({ dataDir, logLevel: 'warn' });
  try {
    const run = (op, input) => plane.executor.execute(op, input, plane.call);
    const col = await run('collections.create', { slug: 'bench-guardrails', name: 'Bench guardrail corpora', published: true });
    const vmWorkflows = [];
    for (const g of GROUPS) {
      for (const phase of ['request', 'response']) {
        const wf = await run('workflows.create', { name: `bench-${phase}-${g}`, [phase]: [nodeFor(g)], bodyLimitBytes: BODY_LIMIT });
        const proxy = await run('proxies.create', {
          collectionId: col.id,
          name: `${phase} ${g}`,
          basePath: `/${phase === 'request' ? 'req' : 'res'}-${g}`,
          upstreams: [`${upstream}/http`],
          workflowId: wf.id,
        });
        for (const path of ['/echo', '/text', '/sse', '/ndjson', '/chat']) await run('endpoints.create', { proxyId: proxy.id, method: 'POST', path });
        vmWorkflows.push({ workflowId: wf.id, tools: phase === 'request' ? [`${g}_args`] : [`${g}_result`, `${g}_structured`] });
      }
    }
    // The event-loop probe's route: every PII family and prompt_guard on one request body.
    const all = await run('workflows.create', {
      name: 'bench-cost',
      request: [
        { type: 'detect_pii', id: 'pii', types: PII_GROUPS, maxBytes: BODY_LIMIT },
        { type: 'prompt_guard', id: 'guard', action: 'flag' },
      ],
      bodyLimitBytes: BODY_LIMIT,
    });
    const cost = await run('proxies.create', { collectionId: col.id, name: 'cost', basePath: '/cost', upstreams: [`${upstream}/http`], workflowId: all.id });
    await run('endpoints.create', { proxyId: cost.id, method: 'POST', path: '/echo' });
    const policy = await run('policies.create', { name: 'bench-guardrails', rateLimits: [{ window: 'minute', limit: 100_000_000 }] });
    const client = await run('clients.create', { name: 'Bench guardrails', collectionIds: [col.id], policyId: policy.id });
    const profile = await run('profiles.create', { clientId: client.id, name: 'default', authType: 'token' });
    const token = (await run('credentials.issue', { profileId: profile.id })).token;

    // The upstream listens on loopback: allowed for this server.
    const server = await run('mcp-servers.create', {
      name: 'guardrail-upstream',
      url: `${upstream}/mcp`,
      maxResultChars: 1_000_000,
      allowPrivateNetwork: true,
    });
    const tools = GROUPS.flatMap((g) => ['args', 'result', 'structured'].map((k) => ({ upstreamId: server.id, name: `${g}_${k}` })));
    await run('virtual-mcps.create', {
      slug: 'guardrails',
      name: 'Guardrail corpora',
      upstreamIds: [server.id],
      tools,
      workflows: vmWorkflows,
      published: true,
    });
    const sa = await run('service-accounts.create', { name: 'bench-guardrails', role: 'viewer' });
    return { token, sa: { clientId: sa.serviceAccount.clientId, clientSecret: sa.clientSecret } };
  } finally {
    await plane.close();
  }
}

/** A client-credentials token for the virtual server, from the authorization server its metadata names. */
async function mcpToken(base, slug, sa) {
  const meta = await (await fetch(`${base}/.well-known/oauth-protected-resource/mcp/v/${slug}`)).json();
  const { token_endpoint } = await (await fetch(`${meta.authorization_servers[0]}/.well-known/openid-configuration`)).json();
  return clientCredentialsToken(token_endpoint, sa, meta.resource);
}

/** Starts the upstreams and a seeded gatehouse; returns what the channels need and a close(). */
export async function startGuardrailGateway(work) {
  const upPort = await freePort();
  const upstreamProc = startProcess('guardrail-upstreams', process.execPath, [join(BENCH_DIR, 'guardrail-upstreams.mjs'), String(upPort), ...GROUPS]);
  const upstream = `http://${HOST}:${upPort}`;
  await waitForHttp(`${upstream}/http/echo`, upstreamProc);
  const dataDir = join(work, 'data');
  const { token, sa } = await seed(dataDir, upstream);
  const port = await freePort();
  const gateway = await startGatehouseAt('gatehouse', MAIN, dataDir, port);
  const base = `http://${HOST}:${port}`;
  const mcp = new Client({ name: 'guardrail-bench', version: '1' });
  const bearer = await mcpToken(base, 'guardrails', sa);
  await mcp.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp/v/guardrails`), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }),
  );
  return {
    base,
    gateway,
    headers: { authorization: `Bearer ${token}` },
    mcp,
    close: async () => {
      await mcp.close().catch(() => {});
    },
  };
}

/** The group an item is judged by: its PII category, or `inject`; null when no group covers it. */
export function groupOf(item) {
  if (item.family === 'injection') return 'inject';
  if (item.family === 'pii' && PII_GROUPS.includes(item.category)) return item.category;
  return null;
}

/** How a returned text counts: a positive is found when no expected value survived, a negative when it changed at all. */
function judgeText(item, texts) {
  if (item.family === 'injection') return false; // prompt_guard blocks; a passed text was not caught
  if (item.positive) return item.expect.every((e) => texts.every((t) => !t.includes(e.value)));
  return texts.some((t) => t !== item.text);
}

/** Posts an item's text as `{"text": …}` to a route: the answer's status and body. */
async function post(gw, item, path) {
  const res = await fetch(`${gw.base}${path}`, {
    method: 'POST',
    headers: { ...gw.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ text: item.text }),
  });
  return { status: res.status, body: await res.text() };
}

async function rest(gw, item, path, json) {
  const { status, body } = await post(gw, item, path);
  if (status !== 200) return refusal(status, body);
  if (!json) return { flagged: judgeText(item, [body]) };
  let text;
  try {
    text = JSON.parse(body).text;
  } catch {
    return { flagged: true, error: `unparseable JSON answer (${body.slice(0, 80)})` };
  }
  return { flagged: judgeText(item, [typeof text === 'string' ? text : JSON.stringify(text)]) };
}

/** A completion streamed through the gateway: the text its reader reads (each event's delta, in order) is what is judged. */
async function streamed(gw, item, path) {
  const { status, body } = await post(gw, item, path);
  if (status !== 200) return refusal(status, body);
  let text = '';
  for (const event of body.split('\n\n')) {
    if (!event.startsWith('data: {')) continue;
    try {
      text += JSON.parse(event.slice(6)).choices?.[0]?.delta?.content ?? '';
    } catch {
      return { flagged: true, error: `an event that is not JSON (${event.slice(0, 80)})` };
    }
  }
  return { flagged: judgeText(item, [text]) };
}

/** An answer streamed as Ollama streams one: the text its reader reads (each line's message content, in order) is what is judged. */
async function streamedLines(gw, item, path) {
  const { status, body } = await post(gw, item, path);
  if (status !== 200) return refusal(status, body);
  let text = '';
  for (const line of body.split('\n')) {
    if (line === '') continue;
    try {
      text += JSON.parse(line).message?.content ?? '';
    } catch {
      return { flagged: true, error: `a line that is not JSON (${line.slice(0, 80)})` };
    }
  }
  return { flagged: judgeText(item, [text]) };
}

/** A chat completion answered whole (OpenAI's shape): the text its reader reads is the message's content. */
async function chatAnswer(gw, item, path) {
  const { status, body } = await post(gw, item, path);
  if (status !== 200) return refusal(status, body);
  try {
    return { flagged: judgeText(item, [JSON.parse(body).choices?.[0]?.message?.content ?? '']) };
  } catch {
    return { flagged: true, error: `unparseable JSON answer (${body.slice(0, 80)})` };
  }
}

/** A refused call: flagged either way (the text did not get through), an error unless a guardrail refused it. */
function refusal(status, body) {
  const code = /"(GATEHOUSE_[A-Z_]+)"/.exec(body)?.[1] ?? String(status);
  return { flagged: true, refusedBy: code, error: code.startsWith('GATEHOUSE_GUARDRAIL') ? undefined : `${status} ${body.slice(0, 120)}` };
}

async function tool(gw, item, name, structured) {
  let result;
  try {
    result = await gw.mcp.callTool({ name, arguments: { text: item.text } });
  } catch (err) {
    const msg = String(err?.message ?? err);
    return { flagged: true, refusedBy: 'mcp_error', error: /guardrail|blocked|injection/i.test(msg) ? undefined : msg.slice(0, 160) };
  }
  const texts = (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text);
  if (result.isError) {
    const msg = texts.join(' ');
    return { flagged: true, refusedBy: 'tool_error', error: /guardrail|blocked|injection|GATEHOUSE_GUARDRAIL/i.test(msg) ? undefined : msg.slice(0, 160) };
  }
  if (!structured) return { flagged: judgeText(item, texts) };
  const views = [typeof result.structuredContent?.text === 'string' ? result.structuredContent.text : JSON.stringify(result.structuredContent ?? null)];
  for (const t of texts) {
    try {
      views.push(String(JSON.parse(t).text));
    } catch {
      views.push(t);
    }
  }
  return { flagged: judgeText(item, views) };
}

/** Sends one item through one channel; `{flagged, error?}`. */
export function sendThrough(gw, item, channel) {
  const g = groupOf(item);
  if (channel === 'rest_request_json') return rest(gw, item, `/req-${g}/echo`, true);
  if (channel === 'rest_response_json') return rest(gw, item, `/res-${g}/echo`, true);
  if (channel === 'rest_response_text') return rest(gw, item, `/res-${g}/text`, false);
  if (channel === 'rest_response_sse') return streamed(gw, item, `/res-${g}/sse`);
  if (channel === 'rest_response_ndjson') return streamedLines(gw, item, `/res-${g}/ndjson`);
  if (channel === 'rest_response_chat') return chatAnswer(gw, item, `/res-${g}/chat`);
  if (channel === 'mcp_arguments') return tool(gw, item, `${g}_args`, false);
  if (channel === 'mcp_result_text') return tool(gw, item, `${g}_result`, false);
  return tool(gw, item, `${g}_structured`, true);
}

/** Runs `jobs` (async thunks) with at most `width` in flight; their results in order. */
export async function pool(jobs, width) {
  const out = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    }),
  );
  return out;
}
