import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleSignIn } from '../identity/index.js';
import { type Coding, pickCoding } from './content-coding.js';

/** Where `npm run build` puts the console: `dist/console`, found the same way from `src/http` (tests) and `dist/http`. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../dist/console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The console's Content-Security-Policy: its own scripts and styles only, no inline code, calls to
 * this gateway and to the authorization server's origin (an external IdP's token endpoint).
 */
export function consoleCsp(issuer: string): string {
  const issuerOrigin = new URL(issuer).origin;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${issuerOrigin}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the built console at /console: hashed assets cached for a year, the page itself
 * revalidated on every load (it names the assets of the current build), and every other path under
 * /console answered with the page so the browser-side router can take it. The files are read once
 * at start: the build does not change while the gateway runs.
 */
export function registerConsole(app: FastifyInstance, urls: { issuer: string; proxyBase: string; signIn: ConsoleSignIn }, dir: string = CONSOLE_DIST): void {
  const csp = consoleCsp(urls.issuer);
  const indexPath = join(dir, 'index.html');
  if (!existsSync(indexPath)) {
    app.get('/console*', async (_req, reply) => reply.code(503).type('text/plain; charset=utf-8').send('The console is not built: run `npm run build`.\n'));
    return;
  }
  // The proxy listener may differ from the admin one: the "connect your AI client" page needs its URL;
  // the sign-in settings name the console's client at the authorization server (built-in or external).
  const { signIn } = urls;
  const meta = [
    metaTag('gatehouse-proxy-url', urls.proxyBase),
    metaTag('gatehouse-client-id', signIn.clientId ?? ''),
    metaTag('gatehouse-scope', signIn.scope),
    metaTag('gatehouse-resource', signIn.resource ?? ''),
    metaTag('gatehouse-subject-claim', signIn.subjectClaim),
    metaTag('gatehouse-groups-claim', signIn.groupsClaim),
    metaTag('gatehouse-name-claim', signIn.nameClaim ?? ''),
  ].join('');
  // The page carries this gateway's settings, so it is compressed here, once; the assets were at build.
  const html = Buffer.from(readFileSync(indexPath, 'utf8').replace('</head>', `${meta}</head>`));
  const index: Encoded = {
    identity: html,
    coded: new Map<Coding, Buffer>([
      ['br', brotliCompressSync(html)],
      ['gzip', gzipSync(html)],
    ]),
  };
  const assets = new Map<string, Encoded>();
  const assetDir = join(dir, 'assets');
  if (existsSync(assetDir)) {
    for (const name of readdirSync(assetDir)) {
      if (name.endsWith('.gz') || name.endsWith('.br')) continue;
      const coded = new Map<Coding, Buffer>();
      for (const [coding, suffix] of [
        ['br', '.br'],
        ['gzip', '.gz'],
      ] as const) {
        const path = join(assetDir, name + suffix);
        if (existsSync(path)) coded.set(coding, readFileSync(path));
      }
      assets.set(name, { identity: readFileSync(join(assetDir, name)), coded });
    }
  }

  app.get('/console/assets/:name', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const file = assets.get(name);
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    const body = pickVariant(req, reply, file);
    return reply
      .type(TYPES[extname(name)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('content-security-policy', csp)
      .send(body);
  });
  const page = async (req: FastifyRequest, reply: FastifyReply) => {
    const body = pickVariant(req, reply, index);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', csp)
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .send(body);
  };
  app.get('/console', page);
  app.get('/console/*', page);
}

/** A file as built and in the codings kept beside it. */
interface Encoded {
  identity: Buffer;
  coded: ReadonlyMap<Coding, Buffer>;
}

/**
 * The variant the client accepts, with its Content-Encoding and Content-Length set; caches are told
 * the answer depends on Accept-Encoding whichever variant this one is.
 */
function pickVariant(req: FastifyRequest, reply: FastifyReply, file: Encoded): Buffer {
  reply.header('vary', 'Accept-Encoding');
  const coding = pickCoding(req.headers['accept-encoding'], new Set(file.coded.keys()));
  const body = coding ? file.coded.get(coding)! : file.identity;
  if (coding) reply.header('content-encoding', coding);
  reply.header('content-length', body.length);
  return body;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

function metaTag(name: string, content: string): string {
  return `<meta name="${name}" content="${content.replace(/[&"<>]/g, (c) => ESCAPES[c]!)}">`;
}
