import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { GatehouseError } from '../../core/index.js';
import { guardedLookup, isPrivateAddress } from '../../gateway/net/index.js';
import type { OpenApiImportSettings } from './settings.js';

let publicAgent: Agent | null = null;
let anyAgent: Agent | null = null;

function agentFor(allowPrivate: boolean): Agent {
  if (allowPrivate) {
    anyAgent ??= new Agent({ connections: 4 });
    return anyAgent;
  }
  publicAgent ??= new Agent({ connections: 4, connect: { lookup: guardedLookup as never } });
  return publicAgent;
}

/** Fetches a document over HTTP(S) under the import settings: off by default, public addresses only, size and time bounded. */
export async function fetchDocument(url: string, s: Readonly<OpenApiImportSettings>): Promise<{ text: string; contentType: string }> {
  if (!s.allowUrls) {
    throw new GatehouseError(
      'GATEHOUSE_OPENAPI_FETCH_REFUSED',
      'Fetching OpenAPI documents or remote $refs by URL is disabled on this gateway; upload the document instead (or enable openapiImport.allowUrls).',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_REFUSED', `Not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_REFUSED', `Only http and https URLs can be fetched, not ${parsed.protocol}`);
  if (parsed.username || parsed.password) throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_REFUSED', 'URLs with credentials are not fetched.');
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!s.allowPrivateNetworks && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host))))
    throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_REFUSED', `${parsed.hostname} is a loopback, private or link-local address.`);
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(parsed, {
      method: 'GET',
      dispatcher: agentFor(s.allowPrivateNetworks),
      headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' },
      headersTimeout: s.fetchTimeoutMs,
      bodyTimeout: s.fetchTimeoutMs,
      signal: AbortSignal.timeout(s.fetchTimeoutMs),
    });
  } catch (err) {
    const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (code === 'GATEHOUSE_PRIVATE_ADDRESS' || String((err as Error).message).includes('non-public address'))
      throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_REFUSED', `${parsed.hostname} resolves to a non-public address.`);
    throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_FAILED', `Could not fetch ${url}: ${(err as Error).message}`);
  }
  if (res.statusCode !== 200) {
    await res.body.dump().catch(() => {});
    const hint = res.statusCode >= 300 && res.statusCode < 400 ? ' (redirects are not followed; give the final URL)' : '';
    throw new GatehouseError('GATEHOUSE_OPENAPI_FETCH_FAILED', `Fetching ${url} answered ${res.statusCode}${hint}.`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > s.maxDocumentBytes) {
      res.body.destroy();
      throw new GatehouseError(
        'GATEHOUSE_OPENAPI_FETCH_FAILED',
        `The document at ${url} is larger than the ${s.maxDocumentBytes}-byte document limit (openapiImport.maxDocumentBytes).`,
      );
    }
    parts.push(chunk as Buffer);
  }
  const ct = res.headers['content-type'];
  return { text: Buffer.concat(parts).toString('utf8'), contentType: (Array.isArray(ct) ? ct[0] : ct) ?? '' };
}
