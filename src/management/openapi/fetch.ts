import { GatehouseError } from '../../core/index.js';
import { OutboundClient, OutboundError } from '../../gateway/net/index.js';
import type { OpenApiImportSettings } from './settings.js';

// One client per distinct setting (they change rarely), each with its own address policy, time limit and cap.
const clients = new Map<string, OutboundClient>();

function clientFor(s: Readonly<OpenApiImportSettings>): OutboundClient {
  const key = `${s.allowPrivateNetworks}:${s.fetchTimeoutMs}:${s.maxDocumentBytes}`;
  let client = clients.get(key);
  if (!client) {
    client = new OutboundClient({ allowPrivateNetworks: s.allowPrivateNetworks, timeoutMs: s.fetchTimeoutMs, maxBytes: s.maxDocumentBytes, connections: 4 });
    clients.set(key, client);
  }
  return client;
}

/** Fetches a document over HTTP(S) under the import settings: off by default, public addresses only, size and time bounded. */
export async function fetchDocument(url: string, s: Readonly<OpenApiImportSettings>): Promise<{ text: string; contentType: string }> {
  if (!s.allowUrls) {
    throw new GatehouseError(
      'GATEHOUSE_OPENAPI_FETCH_REFUSED',
      'Fetching OpenAPI documents or remote $refs by URL is disabled on this gateway; upload the document instead (or enable openapiImport.allowUrls).',
    );
  }
  let res: Awaited<ReturnType<OutboundClient['request']>>;
  try {
    res = await clientFor(s).request(url, { headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' } });
  } catch (err) {
    if (!(err instanceof OutboundError)) throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_FAILED', `Could not fetch ${url}: ${(err as Error).message}`);
    if (err.reason === 'refused') throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_REFUSED', `Not fetched: ${err.message}.`);
    if (err.reason === 'too-large')
      throw new GatehouseError(
        'GATEHOUSE_OPENAPI_FETCH_FAILED',
        `The document at ${url} is larger than the ${s.maxDocumentBytes}-byte document limit (openapiImport.maxDocumentBytes).`,
      );
    throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_FAILED', `Could not fetch ${url}: ${err.message}`);
  }
  if (res.status !== 200) {
    const hint = res.status >= 300 && res.status < 400 ? ' (redirects are not followed; give the final URL)' : '';
    throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_FAILED', `Fetching ${url} answered ${res.status}${hint}.`);
  }
  const ct = res.headers['content-type'];
  return { text: res.body.toString('utf8'), contentType: (Array.isArray(ct) ? ct[0] : ct) ?? '' };
}
