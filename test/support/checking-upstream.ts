import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Request } from 'undici';
import { readAll } from './upstream.js';

/** What the checking upstream saw of one request. */
export interface Received {
  method: string;
  /** The request target exactly as it arrived (path and query). */
  url: string;
  contentType: string | null;
  /** The request headers as they arrived (names lower-cased). */
  headers: Record<string, string | string[] | undefined>;
  fields?: Record<string, string[]>;
  files?: Array<{ field: string; filename: string; type: string; size: number; base64: string }>;
  form?: Record<string, string[]>;
  text?: string;
  base64?: string;
  json?: unknown;
}

export interface CheckingUpstream {
  url: string;
  /** Every request, in arrival order. */
  readonly received: Received[];
  close(): Promise<void>;
}

function push(map: Record<string, string[]>, k: string, v: string): void {
  const list = map[k];
  if (list) list.push(v);
  else map[k] = [v];
}

/** Parses the body the way a real framework would, by its declared media type; a body that does not parse is the caller's fault. */
async function parse(body: Buffer, out: Received): Promise<void> {
  const type = (out.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (body.length === 0) return;
  if (type === 'multipart/form-data') {
    const form = await new Request('http://upstream/', { method: 'POST', headers: { 'content-type': out.contentType! }, body }).formData();
    out.fields = {};
    out.files = [];
    for (const [field, value] of form) {
      if (typeof value === 'string') push(out.fields, field, value);
      else {
        const bytes = Buffer.from(await value.arrayBuffer());
        out.files.push({ field, filename: value.name, type: value.type, size: bytes.length, base64: bytes.toString('base64') });
      }
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    out.form = {};
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) push(out.form, k, v);
  } else if (type.startsWith('text/')) out.text = body.toString('utf8');
  else if (type === 'application/json') out.json = JSON.parse(body.toString('utf8'));
  else out.base64 = body.toString('base64');
}

/**
 * An upstream that checks what it receives, as a strict API framework does: a request under a path
 * listed in `expect` must carry that media type (else 415), and its body must parse (else 400).
 * It answers with what it saw, so tests compare the bytes the upstream got.
 */
export async function startCheckingUpstream(expect: Record<string, string> = {}): Promise<CheckingUpstream> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const out: Received = { method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'] ?? null, headers: req.headers };
      received.push(out);
      const path = out.url.split('?')[0]!;
      const wanted = Object.entries(expect).find(([prefix]) => path.startsWith(prefix))?.[1];
      const answer = (status: number, value: unknown) => {
        const text = JSON.stringify(value);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(text);
      };
      if (wanted && (out.contentType ?? '').split(';')[0]!.trim() !== wanted) return answer(415, { message: `expected ${wanted}`, received: out });
      try {
        await parse(body, out);
      } catch (err) {
        return answer(400, { message: `body does not parse: ${(err as Error).message}`, received: out });
      }
      answer(200, out);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
