import { OutboundClient, OutboundError } from '../gateway/net/index.js';

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

  const timeoutMs = opts.timeoutMs ?? TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? MAX_BYTES;
  const client = new OutboundClient({ allowPrivateNetworks: opts.allowPrivateHosts, timeoutMs, maxBytes, connections: 1 });
  try {
    const res = await client.request(url, { headers: { accept: 'application/json' } }).catch((err: unknown) => {
      throw refusal(err, maxBytes);
    });
    if (res.status !== 200) {
      throw new DocumentFetchError(`the document answered HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}`);
    }
    const type =
      String(res.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim()
        .toLowerCase() ?? '';
    if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type))
      throw new DocumentFetchError('the document is not served as application/json');
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new DocumentFetchError('the document is not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DocumentFetchError('the document is not a JSON object');
    return parsed as Record<string, unknown>;
  } finally {
    await client.dispatcher.destroy().catch(() => {});
  }
}

// The outbound module's reasons, in this flow's words (shown to the person signing in).
function refusal(err: unknown, maxBytes: number): DocumentFetchError {
  if (!(err instanceof OutboundError)) return new DocumentFetchError(`the document could not be fetched (${errorName(err)})`);
  if (err.reason === 'refused') return new DocumentFetchError('the host resolves to a private, loopback or otherwise internal address');
  if (err.reason === 'too-large') return new DocumentFetchError(`the document is larger than ${maxBytes} bytes`);
  if (err.reason === 'timeout') return new DocumentFetchError('the document could not be fetched (timed out)');
  return new DocumentFetchError(`the document could not be fetched (${/\((.+)\)$/.exec(err.message)?.[1] ?? 'network error'})`);
}

function errorName(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timed out';
  const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : '';
  return code || 'network error';
}
