import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { browse, CookieJar, registerClient } from '../support/oauth.js';
import { type Check, freePort, runAuthorizationSuite, type SuiteRun } from './auth-suite.js';

// The MCP conformance suite's authorization-server scenarios (`conformance authorization`):
//   authorization-server-metadata-endpoint — RFC 8414 metadata, incl. client_id_metadata_document_supported
//   authorization-code-grant — code + PKCE S256 + resource, state/iss/code in the redirect, token response
// The suite prints the authorization URL for a person to open; the test plays that person's browser
// (sign in as the admin, allow on the consent page) and lets the redirect reach the suite's callback
// listener. Not applicable: the suite's confidential-client path, because it picks the `none` method
// whenever the server advertises it (ours does, for public MCP clients), so a secret is never sent.
const ADMIN_PASSWORD = 'correct-horse-battery-staple';
let database: TestDatabase;
let gh: RunningGatehouse;
let managementMcp: string;
let docs: Server;

function browser(port: number) {
  const callback = `http://127.0.0.1:${port}/callback`;
  return async (url: string): Promise<void> => {
    const outcome = await browse(url, callback, { username: 'admin', password: ADMIN_PASSWORD, consent: 'allow', jar: new CookieJar() });
    if (!outcome.landedAt) throw new Error(`the flow stopped before the redirect: ${outcome.status} ${outcome.error ?? ''}`);
    // The redirect is what the suite checks, so it is delivered to its listener as a browser would.
    await (await fetch(outcome.landedAt)).text();
  };
}

function expectAllPassed(run: SuiteRun): void {
  const summary = Object.entries(run.checks).flatMap(([scenario, list]) => list.map((c: Check) => `${scenario}/${c.id}: ${c.status} ${c.errorMessage ?? ''}`));
  expect(Object.keys(run.checks).sort(), run.stdout).toEqual(['authorization-code-grant', 'authorization-server-metadata-endpoint']);
  for (const line of summary) expect(line).toMatch(/: SUCCESS $/);
  expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.checks['authorization-server-metadata-endpoint']?.map((c) => c.id)).toEqual([
    'authorization-server-metadata',
    'authorization-server-metadata-cimd',
  ]);
  expect(run.checks['authorization-code-grant']?.map((c) => c.id)).toEqual(['authorization-code-grant']);
}

beforeAll(async () => {
  database = await freshDatabase('sqlite');
  gh = await startGatehouse({
    port: 0,
    dataDir: database.dataDir,
    adminPassword: ADMIN_PASSWORD,
    logLevel: 'silent',
    // The CIMD run serves its client document from loopback http.
    oauth: { allowPrivateCimdHosts: true, dcrRateLimitPerMinute: 20 },
  });
  managementMcp = `${gh.urls.admin}/management/mcp`;
});

afterAll(async () => {
  docs?.closeAllConnections();
  docs?.close();
  await gh?.close();
  await database?.drop();
});

describe('MCP conformance: authorization server scenarios', () => {
  it('passes with a dynamically registered public client (consent page included)', async () => {
    const port = await freePort();
    const { status, body } = await registerClient(gh.urls.issuer, {
      client_name: 'conformance suite',
      redirect_uris: [`http://127.0.0.1:${port}/callback`],
      token_endpoint_auth_method: 'none',
    });
    expect(status).toBe(201);
    const run = await runAuthorizationSuite({
      issuer: gh.urls.issuer,
      clientId: body.client_id as string,
      resource: managementMcp,
      port,
      onAuthorizationUrl: browser(port),
    });
    expectAllPassed(run);
  }, 90_000);

  it('passes with a Client ID Metadata Document client', async () => {
    const port = await freePort();
    docs = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ client_id: `${base}${req.url}`, client_name: 'conformance (CIMD)', redirect_uris: [`http://127.0.0.1:${port}/callback`] }));
    });
    await new Promise<void>((resolve) => docs.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(docs.address() as AddressInfo).port}`;
    const run = await runAuthorizationSuite({
      issuer: gh.urls.issuer,
      clientId: `${base}/client.json`,
      resource: managementMcp,
      port,
      onAuthorizationUrl: browser(port),
    });
    expectAllPassed(run);
  }, 90_000);

  it('passes with the first-party CLI client (no consent, any loopback port)', async () => {
    const port = await freePort();
    const run = await runAuthorizationSuite({
      issuer: gh.urls.issuer,
      clientId: 'gatehouse-cli',
      resource: gh.urls.adminApi,
      port,
      onAuthorizationUrl: browser(port),
    });
    expectAllPassed(run);
  }, 90_000);
});
