import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuiltSurface, type LazySurface, lazySurface } from './lazy-surface.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

/** Serves `surface` on a loopback port; returns its URL. */
async function serve(surface: LazySurface): Promise<string> {
  server = createServer((req, res) => surface.handle(req, res));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** A surface that answers which build it is, and counts its closes. */
function built(n: number, closed: number[]): BuiltSurface {
  return {
    handle: (_req, res) => res.end(`build ${n}`),
    close: async () => {
      closed.push(n);
    },
  };
}

describe('lazySurface', () => {
  it('builds once for concurrent first requests, and answers each with the built handler', async () => {
    let loads = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const surface = lazySurface(
      'test surface',
      async () => {
        const n = ++loads;
        await gate;
        return built(n, []);
      },
      () => undefined,
    );
    const url = await serve(surface);
    const answers = Array.from({ length: 5 }, () => fetch(url).then((r) => r.text()));
    // Every request has arrived before the load ends.
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect(await Promise.all(answers)).toEqual(Array(5).fill('build 1'));
    expect(await (await fetch(url)).text()).toBe('build 1');
    expect(loads).toBe(1);
  });

  it('answers GATEHOUSE_NOT_READY when the load fails, logs it, and loads again at the next request', async () => {
    let loads = 0;
    const logged: string[] = [];
    const surface = lazySurface(
      'test surface',
      async () => {
        if (++loads === 1) throw new Error('cannot load');
        return built(loads, []);
      },
      (msg) => logged.push(msg),
    );
    const url = await serve(surface);
    const failed = await fetch(url);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({
      error: { code: 'GATEHOUSE_NOT_READY', message: 'The test surface could not be loaded; try again.' },
    });
    expect(logged).toEqual(['loading the test surface failed']);
    expect(await (await fetch(url)).text()).toBe('build 2');
  });

  it('closes what a load under way builds, and refuses requests after close', async () => {
    const closed: number[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const surface = lazySurface(
      'test surface',
      async () => {
        await gate;
        return built(1, closed);
      },
      () => undefined,
    );
    const url = await serve(surface);
    const waiting = fetch(url);
    await new Promise((r) => setTimeout(r, 50));
    const closing = surface.close();
    release();
    await closing;
    expect(closed).toEqual([1]);
    const refused = await waiting;
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: 'GATEHOUSE_NOT_READY', message: 'The node is shutting down.' } });
    expect((await fetch(url)).status).toBe(503);
  });

  it('closes a surface built earlier', async () => {
    const closed: number[] = [];
    const surface = lazySurface(
      'test surface',
      async () => built(1, closed),
      () => undefined,
    );
    const url = await serve(surface);
    expect(await (await fetch(url)).text()).toBe('build 1');
    await surface.close();
    expect(closed).toEqual([1]);
  });
});
