import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { OutgoingHeaders } from '../../net/header-map.js';

/** What a hit is prepared from: a stored response (a CachedResponse, named by its shape so this module and the cache's types do not import each other). */
interface StoredEntry {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Stored headers a hit replaces with its own. */
const REPLACED = new Set(['content-length', 'x-cache', 'cache-status']);

/** Headers node:http acts on (framing, keep-alive, its own Date): handed to it, never written behind its back. */
const FRAMING = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'expect', 'trailer', 'upgrade']);

/**
 * A stored response as a cache hit sends it, prepared once: its header lines serialized (and
 * validated) when it is stored, so a hit only adds the call's own headers and writes.
 */
export class StoredHit {
  private constructor(
    readonly status: number,
    readonly body: Buffer,
    /** The stored headers, X-Cache and Cache-Status as `name: value\r\n` lines. */
    readonly head: string,
    /** The body's length, as its Content-Length value. */
    readonly contentLength: string,
    /** What node:http must see itself, as name, value pairs: Content-Length, and any stored FRAMING header. Never changed. */
    readonly framing: string[],
    private readonly entry: StoredEntry,
    private readonly cacheStatus: string,
  ) {}

  /**
   * Prepares `entry` for hits answered with `cacheStatus`; null when a stored header is not one
   * node:http would send (the head is written without its checks).
   */
  static of(entry: StoredEntry, cacheStatus: string): StoredHit | null {
    let head = '';
    const contentLength = String(entry.body.length);
    const framing: string[] = ['content-length', contentLength];
    try {
      for (const name in entry.headers) {
        if (REPLACED.has(name)) continue;
        const value = entry.headers[name]!;
        if (FRAMING.has(name)) {
          for (const v of typeof value === 'string' ? [value] : value) framing.push(name, v);
          continue;
        }
        validateHeaderName(name);
        if (typeof value === 'string') head += line(name, value);
        else for (const v of value) head += line(name, v);
      }
      validateHeaderValue('cache-status', cacheStatus);
    } catch {
      return null;
    }
    head += `x-cache: HIT\r\ncache-status: ${cacheStatus}\r\n`;
    return new StoredHit(entry.status, entry.body, head, contentLength, framing, entry, cacheStatus);
  }

  /** The hit as a workflow response (a fresh header object: the caller may change it), for every path but the REST one. */
  response(): { status: number; headers: OutgoingHeaders; body: Buffer } {
    const headers: OutgoingHeaders = { ...this.entry.headers, 'x-cache': 'HIT', 'cache-status': this.cacheStatus };
    headers['content-length'] = this.contentLength;
    return { status: this.status, headers, body: this.body };
  }
}

function line(name: string, value: string): string {
  validateHeaderValue(name, value);
  return `${name}: ${value}\r\n`;
}
