import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { isPublicAddress } from './address-policy.js';

const TIMEOUT_MS = 5000;
const MAX_BYTES = 64 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface DocumentFetchOptions {
  /** Allow private and loopback addresses, and plain http on loopback hosts (tests, closed networks). */
  allowPrivateHosts: boolean;
  timeoutMs?: number;
  maxBytes?: number;
}

/** Why a client ID metadata document was refused; the message is safe to show to the user. */
export class DocumentFetchError extends Error {}

/**
 * Fetches a JSON document from a URL a caller chose, without letting it reach internal hosts: the
 * hostname is resolved here, every address is vetted, and the connection is pinned to the vetted
 * address so a second DNS answer (rebinding) cannot redirect it. No redirects, bounded time and size.
 */
export async function fetchJsonDocument(target: string, opts: DocumentFetchOptions): Promise<Record<string, unknown>> {
  const url = URL.parse(target);
  if (!url) throw new DocumentFetchError('the URL is not valid');
  const loopbackHttp = opts.allowPrivateHosts && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) throw new DocumentFetchError('the URL must use https');
  if (url.username || url.password || url.hash) throw new DocumentFetchError('the URL must not carry credentials or a fragment');

  const pinned = await vettedAddresses(url.hostname.replace(/^\[|\]$/g, ''), opts.allowPrivateHosts);
  const first = pinned[0] as { address: string; family: number };
  // The socket may try every address (happy eyeballs); all of them were vetted, and only they are offered.
  const pin: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, pinned);
    else callback(null, first.address, first.family);
  };
  const timeoutMs = opts.timeoutMs ?? TIMEOUT_MS;
  const dispatcher = new Agent({ connect: { lookup: pin, timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  try {
    const res = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
    }).catch((err: unknown) => {
      throw new DocumentFetchError(`the document could not be fetched (${errorName(err)})`);
    });
    if (res.statusCode !== 200) {
      await res.body.dump().catch(() => {});
      throw new DocumentFetchError(
        `the document answered HTTP ${res.statusCode}${res.statusCode >= 300 && res.statusCode < 400 ? ' (redirects are not followed)' : ''}`,
      );
    }
    const type =
      String(res.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim()
        .toLowerCase() ?? '';
    if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
      await res.body.dump().catch(() => {});
      throw new DocumentFetchError('the document is not served as application/json');
    }
    const text = await readCapped(res.body, opts.maxBytes ?? MAX_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DocumentFetchError('the document is not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DocumentFetchError('the document is not a JSON object');
    return parsed as Record<string, unknown>;
  } finally {
    await dispatcher.destroy().catch(() => {});
  }
}

// Every address the name resolves to must pass, not just the first: the socket layer may try any of them.
async function vettedAddresses(hostname: string, allowPrivate: boolean): Promise<Array<{ address: string; family: number }>> {
  const family = isIP(hostname);
  let addresses: Array<{ address: string; family: number }>;
  if (family) addresses = [{ address: hostname, family }];
  else {
    try {
      addresses = await lookup(hostname, { all: true, verbatim: true });
    } catch {
      throw new DocumentFetchError('the host name does not resolve');
    }
  }
  if (addresses.length === 0) throw new DocumentFetchError('the host name does not resolve');
  if (!allowPrivate && !addresses.every((a) => isPublicAddress(a.address))) {
    throw new DocumentFetchError('the host resolves to a private, loopback or otherwise internal address');
  }
  return addresses;
}

async function readCapped(body: AsyncIterable<Buffer | Uint8Array> & { destroy(): unknown }, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new DocumentFetchError(`the document is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    body.destroy();
    if (err instanceof DocumentFetchError) throw err;
    throw new DocumentFetchError(`the document could not be read (${errorName(err)})`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorName(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timed out';
  const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : '';
  return code || 'network error';
}
