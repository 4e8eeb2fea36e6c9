#!/usr/bin/env node
/**
 * Writes bench/corpora/definitions/tune-real-servers.jsonl: the tool, prompt, resource and
 * resource-template definitions of the MCP servers installed in node_modules
 * (@modelcontextprotocol/server-everything, server-filesystem, server-memory), listed through the
 * official SDK client over stdio, all labelled clean: honest descriptions the definition scan must
 * pass. The file follows the installed versions (regenerate after an upgrade).
 *
 *   ./node_modules/.bin/node scripts/corpora/tune-real-servers.mjs
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'bench/corpora/definitions/tune-real-servers.jsonl');
const require = createRequire(import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-real-servers-'));
// Each server as its README starts it: everything over stdio, filesystem with one allowed directory, memory with a scratch file.
const SERVERS = [
  { pkg: '@modelcontextprotocol/server-everything', args: ['stdio'], env: {} },
  { pkg: '@modelcontextprotocol/server-filesystem', args: [scratch], env: {} },
  { pkg: '@modelcontextprotocol/server-memory', args: [], env: { MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') } },
];

/** Every page of a list method. */
async function all(list, key) {
  const items = [];
  let cursor;
  do {
    const page = await list(cursor === undefined ? undefined : { cursor }).catch(() => ({ [key]: [] }));
    items.push(...page[key]);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
}

const lines = [];
try {
  for (const { pkg, args, env } of SERVERS) {
    const manifest = require(`${pkg}/package.json`);
    const entry = join(dirname(require.resolve(`${pkg}/package.json`)), Object.values(manifest.bin)[0]);
    const transport = new StdioClientTransport({ command: process.execPath, args: [entry, ...args], env: { ...process.env, ...env }, stderr: 'ignore' });
    const client = new Client({ name: 'gatehouse-corpus', version: '1' });
    await client.connect(transport);
    const source = `${pkg}@${manifest.version}, listed through the MCP SDK client`;
    const short = pkg.split('/')[1].replace('server-', '');
    for (const tool of await all((p) => client.listTools(p), 'tools'))
      lines.push({ id: `real-${short}-tool-${tool.name}`, tool, label: 'clean', category: 'real_server', source });
    for (const prompt of await all((p) => client.listPrompts(p), 'prompts'))
      lines.push({ id: `real-${short}-prompt-${prompt.name}`, prompt, label: 'clean', category: 'real_server', source });
    for (const resource of await all((p) => client.listResources(p), 'resources'))
      lines.push({ id: `real-${short}-resource-${resource.uri}`, resource, label: 'clean', category: 'real_server', source });
    for (const resource of await all((p) => client.listResourceTemplates(p), 'resourceTemplates'))
      lines.push({ id: `real-${short}-template-${resource.uriTemplate}`, resource, label: 'clean', category: 'real_server', source });
    await client.close();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
// The filesystem server names its allowed directory in descriptions: the scratch path is replaced so the file regenerates byte for byte.
const text = lines.map((l) => JSON.stringify(l).replaceAll(scratch, '/allowed')).join('\n');
writeFileSync(out, `${text}\n`);
console.log(`${lines.length} clean definitions of real servers to ${out}`);
