import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundClient, type OutboundOptions } from './outbound-client.js';
import { OutboundError } from './outbound-error.js';
import type { Resolve } from './vetting-lookup.js';

let server: Server;
let base: string;
let port: number;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/ok') return res.end('{"ok":true}');
    if (req.url === '/big') return res.end('x'.repeat(4096));
    if (req.url === '/big-chunked') {
      res.write('x'.repeat(2048));
      return setTimeout(() => res.end('x'.repeat(2048)), 20);
    }
    if (req.url === '/form') {
      let text = '';
      req.on('data', (c: Buffer) => {
        text += c.toString();
      });
      return req.on('end', () => res.end(JSON.stringify({ type: req.headers['content-type'], text })));
    }
    if (req.url === '/slow') return setTimeout(() => res.end('late'), 2_000).unref();
    if (req.url === '/hop') return res.writeHead(302, { location: '/ok' }).end();
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    if (req.url === '/to-metadata') return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
    if (req.url === '/to-file') return res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function failure(opts: Partial<OutboundOptions>, url: string): Promise<OutboundError> {
  const client = new OutboundClient({ allowPrivateNetworks: true, timeoutMs: 1_000, maxBytes: 1_024, ...opts });
  try {
    const err = await client.request(url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutboundError);
    return err as OutboundError;
  } finally {
    await client.close();
  }
}

/** A DNS stand-in: every name answers these addresses. */
const answering =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('the outbound client', () => {
  it('reaches a loopback upstream only where private networks are allowed', async () => {
    const open = new OutboundClient({ allowPrivateNetworks: true, timeoutMs: 1_000, maxBytes: 1_024 });
    try {
      const res = await open.request(`${base}/ok`);
      expect([res.status, res.body.toString()]).toEqual([200, '{"ok":true}']);
    } finally {
      await open.close();
    }
    for (const url of [
      `${base}/ok`,
      `http://localhost:${port}/ok`,
      `http://[::1]:${port}/ok`,
      `http://[::ffff:127.0.0.1]:${port}/ok`,
      'http://169.254.169.254/',
    ]) {
      const err = await failure({ allowPrivateNetworks: false }, url);
      expect([err.reason, err.message], url).toEqual(['refused', expect.stringMatching(/loopback, private or link-local/)]);
    }
  });

  it('vets the address a name resolves to on the connection itself (DNS rebinding)', async () => {
    const before = hits.length;
    // A public-looking name that resolves to this host: refused after resolution, before any byte is sent.
    const rebound = await failure({ allowPrivateNetworks: false, resolve: answering('127.0.0.1') }, `http://rebind.example:${port}/ok`);
    expect([rebound.reason, rebound.message]).toEqual(['refused', `rebind.example:${port} resolves to a non-public address`]);
    // One private answer among public ones is enough: the socket may try any of them.
    const mixed = await failure({ allowPrivateNetworks: false, resolve: answering('8.8.8.8', '169.254.169.254') }, `http://mixed.example:${port}/ok`);
    expect(mixed.reason).toBe('refused');
    const mapped = await failure({ allowPrivateNetworks: false, resolve: answering('::ffff:127.0.0.1') }, `http://mapped.example:${port}/ok`);
    expect(mapped.reason).toBe('refused');
    expect(hits.length).toBe(before);
    // Where private networks are allowed, the connection goes to the resolver's answer, not to a second lookup.
    const pinned = new OutboundClient({ allowPrivateNetworks: true, timeoutMs: 1_000, maxBytes: 1_024, resolve: answering('127.0.0.1') });
    try {
      expect((await pinned.request(`http://anything.example:${port}/ok`)).status).toBe(200);
    } finally {
      await pinned.close();
    }
  });

  it('cuts a body larger than the cap, declared or streamed', async () => {
    for (const path of ['/big', '/big-chunked']) {
      const err = await failure({}, `${base}${path}`);
      expect([err.reason, err.message], path).toEqual(['too-large', `127.0.0.1:${port} answered more than 1024 bytes`]);
    }
    const client = new OutboundClient({ allowPrivateNetworks: true, timeoutMs: 1_000, maxBytes: 8_192 });
    try {
      expect((await client.request(`${base}/big`)).body.length).toBe(4096);
      const smaller = await client.request(`${base}/big`, { maxBytes: 100 }).catch((e: unknown) => e);
      expect(smaller).toMatchObject({ reason: 'too-large' });
    } finally {
      await client.close();
    }
  });

  it('cuts a streamed answer read over its pool at the cap (as lean MCP calls read theirs)', async () => {
    const client = new OutboundClient({ allowPrivateNetworks: true, timeoutMs: 1_000, maxBytes: 1_024 });
    try {
      const res = await request(`${base}/big-chunked`, { dispatcher: client.dispatcher });
      await expect(res.body.text()).rejects.toMatchObject({ code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' });
    } finally {
      await client.close();
    }
  });

  it('gives up at the time limit', async () => {
    const err = await failure({ timeoutMs: 300 }, `${base}/slow`);
    expect([err.reason, err.message]).toEqual(['timeout', `127.0.0.1:${port} did not answer within 300 ms`]);
  });

  it('follows no redirect by default, and checks every hop when it does', async () => {
    const plain = new OutboundClient({ allowPrivateNetworks: true, timeoutMs: 1_000, maxBytes: 1_024 });
    const following = new OutboundClient({ allowPrivateNetworks: true, timeoutMs: 1_000, maxBytes: 1_024, maxRedirects: 2 });
    const strict = new OutboundClient({ allowPrivateNetworks: false, timeoutMs: 1_000, maxBytes: 1_024, maxRedirects: 2, resolve: answering('127.0.0.1') });
    try {
      const kept = await plain.request(`${base}/hop`);
      expect([kept.status, kept.headers.location]).toEqual([302, '/ok']);
      const followed = await following.request(`${base}/hop`);
      expect([followed.status, followed.url.pathname]).toEqual([200, '/ok']);
      expect(await following.request(`${base}/loop`).catch((e: unknown) => e)).toMatchObject({ reason: 'redirect' });
      expect(await following.request(`${base}/to-file`).catch((e: unknown) => e)).toMatchObject({ reason: 'refused', message: 'file: URLs are not fetched' });
      expect(await strict.request(`http://public.example:${port}/to-metadata`).catch((e: unknown) => e)).toMatchObject({ reason: 'refused' });
    } finally {
      await Promise.all([plain.close(), following.close(), strict.close()]);
    }
  });

  it('serves libraries a fetch with the same policy', async () => {
    const client = new OutboundClient({ allowPrivateNetworks: false, timeoutMs: 1_000, maxBytes: 1_024 });
    try {
      await expect(client.fetch(`${base}/ok`)).rejects.toMatchObject({ reason: 'refused' });
    } finally {
      await client.close();
    }
    const open = new OutboundClient({ allowPrivateNetworks: true, timeoutMs: 1_000, maxBytes: 1_024 });
    try {
      const res = await open.fetch(`${base}/ok`, { headers: { accept: 'application/json' } });
      expect(await res.json()).toEqual({ ok: true });
      const form = await open.fetch(`${base}/form`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) });
      expect(await form.json()).toEqual({ type: 'application/x-www-form-urlencoded;charset=UTF-8', text: 'grant_type=refresh_token' });
    } finally {
      await open.close();
    }
  });
});
