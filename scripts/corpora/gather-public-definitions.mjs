#!/usr/bin/env node
/**
 * Writes bench/corpora/definitions/public-<source>.jsonl: tool definitions published by others,
 * one file per source, each item with its repository, commit, path and licence. Poisoned ones
 * from published tool-poisoning material (Invariant Labs' experiments, MCPSecBench, SAFE-MCP's
 * technique pages, a tool-poisoning benchmark, demo servers, scanners' test servers); clean ones from
 * real MCP servers (the official reference servers, AWS Labs, Atlassian, Cloudflare, GitHub, Neon,
 * MongoDB and more) as a client lists them, read from their source or from the tool snapshots their
 * tests keep (extract-tool-definitions.mjs). Every source is pinned to a commit; only
 * sources under MIT, Apache-2.0 or CC-BY are written. Labels are given here per item, by hand,
 * after reading the item and its source's own account of the attack.
 *
 *   ./node_modules/.bin/node scripts/corpora/gather-public-definitions.mjs            # from GitHub
 *   GATHER_MIRRORS=/work/.mirror ./node_modules/.bin/node scripts/corpora/…           # from local bare mirrors (<owner>+<name>/repo)
 *   … --list <source>                                                                 # print a source's items and labels, write nothing
 *   … --only <source>[,<source>…]                                                     # write these sources only
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  goTools,
  jsonTools,
  openApiTools,
  pythonConstants,
  pythonDocAssignments,
  pythonLiteralTools,
  pythonTools,
  scriptConstantTools,
  scriptDefinitionTools,
  scriptObjectTools,
  scriptTools,
} from './extract-tool-definitions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MIRRORS = process.env.GATHER_MIRRORS;

/** A file of a repository at a commit: from a local bare mirror when GATHER_MIRRORS is set, else from GitHub. */
async function read(repo, commit, path) {
  if (MIRRORS)
    return execFileSync('git', ['--git-dir', join(MIRRORS, repo.replace('/', '+'), 'repo'), 'show', `${commit}:${path}`], {
      encoding: 'utf8',
      maxBuffer: 64e6,
    });
  const res = await fetch(`https://raw.githubusercontent.com/${repo}/${commit}/${path}`);
  if (!res.ok) throw new Error(`${repo}@${commit}:${path}: HTTP ${res.status}`);
  return res.text();
}

/** The paths of a repository at a commit under `prefix` matching `pattern`. */
async function list(repo, commit, prefix, pattern) {
  let paths;
  if (MIRRORS)
    paths = execFileSync('git', ['--git-dir', join(MIRRORS, repo.replace('/', '+'), 'repo'), 'ls-tree', '-r', '--name-only', commit, prefix || '.'], {
      encoding: 'utf8',
      maxBuffer: 64e6,
    }).split('\n');
  else {
    const res = await fetch(`https://api.github.com/repos/${repo}/git/trees/${commit}?recursive=1`);
    if (!res.ok) throw new Error(`${repo}@${commit}: HTTP ${res.status}`);
    paths = (await res.json()).tree.map((t) => t.path).filter((p) => p.startsWith(prefix));
  }
  return paths.filter((p) => pattern.test(p)).sort();
}

/** JSON objects with a name and a description in a markdown page's code blocks (technique pages show poisoned definitions so). */
function markdownDefinitions(md) {
  const out = [];
  for (const block of md.matchAll(/```(\w*)[^\n]*\n([\s\S]*?)```/g)) {
    if (!['', 'json', 'jsonc', 'js', 'javascript'].includes(block[1])) continue;
    let value;
    try {
      value = JSON.parse(block[2]);
    } catch {
      continue;
    }
    const stack = [value];
    while (stack.length) {
      const node = stack.pop();
      if (Array.isArray(node)) stack.push(...node);
      else if (node && typeof node === 'object') {
        // A tool's definition, not a package manifest or a server's card.
        if (typeof node.name === 'string' && typeof node.description === 'string' && !('scripts' in node || 'version' in node || 'jsonrpc' in node))
          out.push(node);
        else stack.push(...Object.values(node));
      }
    }
  }
  return out;
}

/** Tools of the tool-poisoning benchmark's scenarios: its base tool set and the descriptions its scenarios put in their place. */
function scenarioTools(src) {
  const tools = [];
  for (const m of src.matchAll(/"name":\s*"(\w+)",\s*"description":\s*"([^"]*)",\s*"parameters":\s*(\{[\s\S]*?\n {12}\})/g)) {
    const properties = Object.fromEntries([...m[3].matchAll(/"(\w+)":\s*\{"type":\s*"(\w+)"\}/g)].map((p) => [p[1], { type: p[2] }]));
    tools.push({ key: m[1], tool: { name: m[1], description: m[2], inputSchema: { type: 'object', properties } } });
  }
  const base = new Map(tools.map((t) => [t.key, t.tool]));
  for (const m of src.matchAll(/id="([\w-]+)"(?:(?!id=")[\s\S])*?description_override=\{\s*"(\w+)":\s*\(([\s\S]*?)\)\s*\}/g)) {
    const text = [...m[3].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => JSON.parse(`"${s[1]}"`)).join('');
    tools.push({ key: m[1], tool: { ...base.get(m[2]), description: text } });
  }
  return tools;
}

/** The FastMCP tools of every Python file of a repository under `prefix` matching `pattern`, keyed by path and tool. */
async function pythonToolsUnder(r, prefix, pattern) {
  const out = [];
  for (const path of await list(r.repo, r.commit, prefix, pattern))
    for (const tool of pythonTools(await read(r.repo, r.commit, path))) out.push({ key: `${path}:${tool.name}`, tool, from: r, path });
  return out;
}

/** The FastMCP tools of one file in each of several repositories, keyed by the repository's owner and the tool. */
async function pythonToolsOf(pairs) {
  const out = [];
  for (const [r, path] of pairs)
    for (const tool of pythonTools(await read(r.repo, r.commit, path))) out.push({ key: `${r.repo.split('/')[0]}:${tool.name}`, tool, from: r, path });
  return out;
}

/** An agent toolkit's `*_PROMPT` constants as tools named after the constant (Stripe's and PayPal's prompts.py). */
function promptConstantTools(src) {
  return Object.entries(pythonConstants(src)).map(([k, description]) => ({
    name: k.replace(/_PROMPT$/, '').toLowerCase(),
    description: description.trim(),
    inputSchema: { type: 'object', properties: {} },
  }));
}

// Each source: where it is, its licence, how its definitions are read, and the label of each (by key; `clean` unless listed).
const SOURCES = [
  {
    source: 'invariant',
    note: "Invariant Labs' tool-poisoning and shadowing experiments, as kept (with remote scenarios added) by an MIT-licensed fork",
    repos: [{ repo: 'johannhartmann/mcp-injection-experiments', commit: '4a8a92d43a388b8d2c6e73d65d2fe28df97c444c', licence: 'MIT (pyproject.toml)' }],
    async items() {
      const [fork] = this.repos;
      const out = [];
      for (const path of ['direct-poisoning.py', 'shadowing.py'])
        for (const tool of pythonTools(await read(fork.repo, fork.commit, path))) out.push({ key: `${path}:${tool.name}`, tool, from: fork, path });
      const constants = [
        ['src/mcp_demo/experiments/direct_poisoning.py', 'POISONED_DESCRIPTION', 'calculator.add'],
        ['src/mcp_demo/experiments/direct_poisoning.py', 'CLEAN_DESCRIPTION', 'calculator.add'],
        ['src/mcp_demo/experiments/implicit_tool_poisoning.py', '_POISONED_DESCRIPTION', 'lint_helper'],
        ['src/mcp_demo/experiments/sleeper_rug_pull.py', 'BENIGN_DESCRIPTION', 'fact_of_the_day'],
        ['src/mcp_demo/experiments/sleeper_rug_pull.py', 'POISONED_DESCRIPTION', 'fact_of_the_day'],
        ['src/mcp_demo/experiments/tool_shadowing.py', 'HELPER_DESCRIPTION', 'helper.add'],
        ['src/mcp_demo/experiments/tool_shadowing.py', 'MAIL_DESCRIPTION', 'send_email'],
      ];
      for (const [path, constant, name] of constants) {
        const description = pythonConstants(await read(fork.repo, fork.commit, path))[constant];
        if (description !== undefined)
          out.push({ key: `${path}:${constant}`, tool: { name, description, inputSchema: { type: 'object', properties: {} } }, from: fork, path });
      }
      return out;
    },
    poisoned: {
      'direct-poisoning.py:add': 'secret_file',
      'shadowing.py:add': 'shadowing',
      'src/mcp_demo/experiments/direct_poisoning.py:POISONED_DESCRIPTION': 'secret_file',
      'src/mcp_demo/experiments/implicit_tool_poisoning.py:_POISONED_DESCRIPTION': 'implicit',
      'src/mcp_demo/experiments/sleeper_rug_pull.py:POISONED_DESCRIPTION': 'rug_pull',
      'src/mcp_demo/experiments/tool_shadowing.py:HELPER_DESCRIPTION': 'shadowing',
    },
  },
  {
    source: 'mcpsecbench',
    note: 'MCPSecBench (AIS2Lab): the servers of its 17 attacks; poisoned are the tool-poisoning, shadowing, preference and data-exfiltration tools',
    repos: [{ repo: 'AIS2Lab/MCPSecBench', commit: '7eb773d07f298b251e763f99fe07e183a9d9694e', licence: 'MIT' }],
    async items() {
      return pythonToolsUnder(this.repos[0], 'code/', /\.py$/);
    },
    poisoned: {
      'code/maliciousadd.py:add': 'preference',
      'code/maliciousadd.py:modify': 'shadowing',
      'code/maliciousadd.py:times': 'exfiltration_param',
      'code/maliciousadd.py:m_check': 'preference',
      'code/maliciousadd.py:aft_check': 'shadowing',
    },
  },
  {
    source: 'safe-mcp',
    note: "SAFE-MCP's technique pages: the example definitions they show",
    repos: [{ repo: 'SAFE-MCP/safe-mcp', commit: '5be97029951e21b166a9a573d5870b456c7367de', licence: 'Apache-2.0 / CC-BY-4.0' }],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of await list(r.repo, r.commit, 'techniques/', /README\.md$/))
        for (const tool of markdownDefinitions(await read(r.repo, r.commit, path)))
          out.push({ key: `${path.split('/')[1]}:${tool.name}`, tool, from: r, path });
      return out;
    },
    // The others show honest-looking tools whose danger is elsewhere (scopes, a package's entry point, a later change of capability).
    poisoned: {
      'SAFE-T1001:file_reader': 'hidden_comment',
      'SAFE-T1205:file_manager-2': 'hidden_fields',
      'SAFE-T1402:doc_summarizer': 'hidden_comment',
      'SAFE-T1501:database_query': 'full_schema',
      'SAFE-T1501:file_manager': 'full_schema',
    },
  },
  {
    source: 'poisoning-demos',
    note: 'Tool-poisoning demonstration servers and a tool-poisoning benchmark',
    repos: [
      { repo: 'harryc295/tool-poisoning-bench', commit: 'f89083e44ed550c1249eebf765350172f9b60f61', licence: 'MIT' },
      { repo: 'SarveshChandak/MCP-Server-Tool-Poisoning', commit: '7cfd8ff4a2f7bf7914b6ae015bc65ed910a40817', licence: 'MIT' },
    ],
    async items() {
      const [bench, sarvesh] = this.repos;
      const out = scenarioTools(await read(bench.repo, bench.commit, 'scenarios.py')).map((t) => ({
        ...t,
        key: `scenarios:${t.key}`,
        from: bench,
        path: 'scenarios.py',
      }));
      for (const tool of pythonTools(await read(sarvesh.repo, sarvesh.commit, 'tool_poisoning.py')))
        out.push({ key: `tool_poisoning.py:${tool.name}`, tool, from: sarvesh, path: 'tool_poisoning.py' });
      return out;
    },
    poisoned: {
      'scenarios:desc-inject-explicit': 'exfiltration',
      'scenarios:desc-inject-social': 'exfiltration',
      'scenarios:desc-inject-obfuscated': 'exfiltration',
      'tool_poisoning.py:add': 'argument_tampering',
      'tool_poisoning.py:subtract': 'secret_file',
    },
  },
  {
    source: 'mcp-servers',
    note: "The official reference servers (modelcontextprotocol/servers): TypeScript registerTool calls and the Python servers' tools",
    repos: [{ repo: 'modelcontextprotocol/servers', commit: '76d64c822f5125032f89eb71dbdb94e42b434821', licence: 'MIT / Apache-2.0' }],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of await list(r.repo, r.commit, 'src/', /^src\/[\w-]+\/(?:index|tools\/[\w-]+)\.ts$/))
        for (const tool of scriptTools(await read(r.repo, r.commit, path))) out.push({ key: `${path}:${tool.name}`, tool, from: r, path });
      return out;
    },
    poisoned: {},
  },
  {
    source: 'awslabs',
    note: "AWS Labs' MCP servers (awslabs/mcp): FastMCP tools, docstrings and Field descriptions",
    repos: [{ repo: 'awslabs/mcp', commit: '100b55b6d92f731bc8d23486ce9efd5bbf90c606', licence: 'Apache-2.0' }],
    async items() {
      return pythonToolsUnder(this.repos[0], 'src/', /^src\/[\w-]+\/awslabs\/[\w]+\/(?:server|tools?\/[\w]+|[\w]*tools?)\.py$/);
    },
    poisoned: {},
  },
  {
    source: 'atlassian',
    note: 'mcp-atlassian (Jira and Confluence): FastMCP tools with Annotated Field descriptions',
    repos: [{ repo: 'sooperset/mcp-atlassian', commit: '436b37e4854aacad0aee3ce47baafb6fdb4162a7', licence: 'MIT' }],
    async items() {
      return pythonToolsUnder(this.repos[0], 'src/mcp_atlassian/servers/', /\.py$/);
    },
    poisoned: {},
  },
  {
    source: 'cloudflare',
    note: "Cloudflare's MCP servers (cloudflare/mcp-server-cloudflare): server.tool calls with zod .describe texts",
    repos: [{ repo: 'cloudflare/mcp-server-cloudflare', commit: '70ff690553722f731849ede6ba9ce98958395a23', licence: 'Apache-2.0' }],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of await list(r.repo, r.commit, '', /(?:^apps|^packages\/mcp-common)\/.*tools?\.ts$|\.app\.ts$/))
        for (const tool of scriptTools(await read(r.repo, r.commit, path))) out.push({ key: `${path}:${tool.name}`, tool, from: r, path });
      return out;
    },
    poisoned: {},
  },
];

// Gathered after the scan's changes of 26 Nov 2026 and scored once, never tuned to: the held-out sources of that night.
SOURCES.push(
  {
    source: 'mcp-poison-fixtures',
    note: "mcp-poison's scanner fixtures: description poisoning, line jumping, cross-server shadowing, parameter names, ANSI escapes; and clean tools",
    repos: [{ repo: 'SamsonCyber/mcp-poison', commit: '19ddfa8c686e6aacf697d2e42e0c85efaca78fe5', licence: 'MIT' }],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of await list(r.repo, r.commit, 'fixtures/', /\.json$/))
        for (const tool of JSON.parse(await read(r.repo, r.commit, path)).tools ?? [])
          out.push({ key: `${path.split('/')[1].replace('.json', '')}:${tool.name}`, tool, from: r, path });
      return out;
    },
    poisoned: {
      't1_description_poison:add': 'secret_file',
      't3_line_jump:sqrt': 'line_jumping',
      't4_cross_server_a:random_trivia': 'shadowing',
      't6_param_names:add_numbers': 'param_name',
      't8_ansi:convert_currency': 'terminal_escape',
    },
  },
  {
    source: 'gensecai',
    note: "GenSecAI's MCP poisoning proof of concept: the poisoned tool definitions of its attacks and demo server",
    repos: [{ repo: 'gensecaihq/mcp-poisoning-poc', commit: '67fd8c6fdeeec33be27cdd16271855914f1ab000', licence: 'MIT' }],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of ['src/attacks/data_exfiltration.py', 'src/attacks/tool_hijacking.py', 'src/demo/malicious_server.py'])
        for (const tool of pythonLiteralTools(await read(r.repo, r.commit, path)))
          out.push({ key: `${path.split('/').pop()}:${tool.name}`, tool, from: r, path });
      return out;
    },
    poisoned: {
      'data_exfiltration.py:calculator': 'hidden_block',
      'tool_hijacking.py:weather_checker': 'shadowing',
      'malicious_server.py:calculator': 'hidden_block',
      'malicious_server.py:weather': 'hidden_block',
    },
  },
  {
    source: 'shardguard-servers',
    note: "ShardGuard's test servers (Naman2701B/malicious-mcp-servers): dangerous operations described honestly (deleting data, wiring money, launching a strike), all clean as text",
    repos: [{ repo: 'Naman2701B/malicious-mcp-servers', commit: '7365d3d56af6dc3b8a323208320887387b514138', licence: 'Apache-2.0' }],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of await list(r.repo, r.commit, 'src/malicious_mcp_servers/', /_server\.py$/))
        for (const tool of pythonLiteralTools(await read(r.repo, r.commit, path)))
          out.push({ key: `${path.split('/').pop()}:${tool.name}`, tool, from: r, path });
      return out;
    },
    poisoned: {},
  },
  {
    source: 'unlicensed-demos',
    unlicensed: true,
    note: 'Two tool-poisoning demo servers published without a licence: written only outside the repository (GATHER_UNLICENSED_DIR)',
    repos: [
      { repo: 'MB-Workspace/mcp-tool-poisoning-defense', commit: '394f828a9726399b9674865227548e9edb098e62', licence: 'none stated' },
      { repo: 'kimtnals/gmail-mcp-tool-poison-demo', commit: 'e5c32e5ef926f4cd8b225515f77bd03c5bf1eca8', licence: 'none stated' },
    ],
    async items() {
      return pythonToolsOf([
        [this.repos[0], 'malicious_mcp_server.py'],
        [this.repos[1], 'main.py'],
      ]);
    },
    poisoned: { 'MB-Workspace:get_weather': 'secret_file', 'MB-Workspace:add': 'secret_file', 'MB-Workspace:subtract': 'param_name' },
  },
);

// Invariant Labs' WhatsApp rug pull survives in a fork without a licence: gathered with round 1, written only outside the repository.
SOURCES.push({
  source: 'unlicensed-invariant-whatsapp',
  unlicensed: true,
  note: "Invariant Labs' WhatsApp takeover: the tool as first listed and as its docstring is replaced (a fork without a licence)",
  repos: [{ repo: 'sanxku/mcp-injection-experiments', commit: '14dbac56aeb08ce5c3c8f4e0dfa7d8aa6cee1069', licence: 'none stated' }],
  async items() {
    const [r] = this.repos;
    const path = 'whatsapp-takeover.py';
    const src = await read(r.repo, r.commit, path);
    const tools = pythonTools(src);
    const out = tools.map((tool) => ({ key: `${path}:${tool.name}`, tool, from: r, path }));
    // The rug pull: the description the same tool is listed with once its docstring is replaced.
    for (const [name, description] of Object.entries(pythonDocAssignments(src))) {
      const tool = tools.find((t) => t.name === name);
      if (tool) out.push({ key: `${path}:${name}:changed`, tool: { ...tool, description }, from: r, path });
    }
    return out;
  },
  poisoned: { 'whatsapp-takeover.py:get_fact_of_the_day:changed': 'shadowing' },
});

// Round 3, gathered after the round-2 scoring and scored once: clean definitions of more vendors' servers, in Go, from OpenAPI and in TypeScript.
SOURCES.push(
  {
    source: 'grafana',
    note: "Grafana's MCP server (Go): MustTool names, descriptions and titles",
    repos: [{ repo: 'grafana/mcp-grafana', commit: 'c6e492b39f493f7e5856eb4ab419bc918b083716', licence: 'Apache-2.0' }],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of await list(r.repo, r.commit, 'tools/', /^tools\/[\w]+\.go$/)) {
        if (path.endsWith('_test.go')) continue;
        for (const tool of goTools(await read(r.repo, r.commit, path))) out.push({ key: `${path}:${tool.name}`, tool, from: r, path });
      }
      return out;
    },
    poisoned: {},
  },
  {
    source: 'notion',
    note: "Notion's MCP server: one tool per operation of the OpenAPI document it serves",
    repos: [{ repo: 'makenotion/notion-mcp-server', commit: '1d38420769c8a1fe2d583ff1e7d2d108d4eb0b30', licence: 'MIT' }],
    async items() {
      const [r] = this.repos;
      const path = 'scripts/notion-openapi.json';
      return openApiTools(JSON.parse(await read(r.repo, r.commit, path))).map((tool) => ({ key: tool.name, tool, from: r, path }));
    },
    poisoned: {},
  },
  {
    source: 'unlicensed-sentry',
    unlicensed: true,
    note: "Sentry's MCP server (FSL-1.1, not a licence to copy here): written only outside the repository",
    repos: [{ repo: 'getsentry/sentry-mcp', commit: '4a109327ef3cc3b20b36ac18edbce68d37010565', licence: 'FSL-1.1-Apache-2.0' }],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of await list(r.repo, r.commit, 'packages/mcp-core/src/tools/catalog/', /^[^_]*\/[\w-]+\.ts$/)) {
        if (/\.test\.ts$/.test(path)) continue;
        for (const tool of scriptTools(await read(r.repo, r.commit, path))) out.push({ key: `${path.split('/').pop()}:${tool.name}`, tool, from: r, path });
      }
      return out;
    },
    poisoned: {},
  },
);

// Round 4, gathered after the changes drawn from round 3 and scored once: more vendors' servers, and a workshop's poisoned servers.
/** A source of the TypeScript files under `prefix` matching `pattern`, read with `extract`. */
function scriptSource(source, note, repo, commit, licence, prefix, pattern, extract, poisoned = {}, unlicensed = false) {
  return {
    source,
    note,
    unlicensed,
    repos: [{ repo, commit, licence }],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of await list(r.repo, r.commit, prefix, pattern)) {
        if (/\.test\.ts$|__tests__/.test(path)) continue;
        for (const tool of extract(await read(r.repo, r.commit, path))) out.push({ key: `${path}:${tool.name}`, tool, from: r, path });
      }
      return out;
    },
    poisoned,
  };
}
SOURCES.push(
  scriptSource('exa', "Exa's MCP server", 'exa-labs/exa-mcp-server', '15ffb50519e719dc791cdc750ce5ed1934c0a1ed', 'MIT', 'src/tools/', /\.ts$/, scriptTools),
  scriptSource(
    'context7',
    "Upstash's Context7 MCP server",
    'upstash/context7',
    'c3248289c2ad431a9f34849a3f3d047fc4400373',
    'MIT',
    'packages/mcp/src/',
    /index\.ts$/,
    scriptTools,
  ),
  scriptSource(
    'tavily',
    "Tavily's MCP server",
    'tavily-ai/tavily-mcp',
    '7bcf90750ef5180968b78abb891eed837d9f7c20',
    'MIT (package.json, LICENCE)',
    'src/',
    /index\.ts$/,
    scriptObjectTools,
  ),
  scriptSource(
    'docker-hub',
    "Docker Hub's MCP server",
    'docker/hub-mcp',
    '5a7c80f57d9fc31558aebfaf3fd5dc6198aaaf30',
    'Apache-2.0',
    'src/',
    /\.ts$/,
    scriptTools,
  ),
  scriptSource(
    'unlicensed-devoxx-workshop',
    'A Devoxx France 2026 workshop on MCP poisoning (French): rug pull, shadowing, poisoning and command-injection servers; no licence, written only outside the repository',
    'pi-2r/devoxxfr2026-workshop-jailbreak-prompt-injection-mcp-poisoning',
    'edc0ae7019d44b059345d6bdc846ad6b0a579d6b',
    'none stated',
    'mcp/',
    /(?:server|index)\.ts$/,
    scriptObjectTools,
    {
      'mcp/mcp-rug-pull/mcp-server/src/index.ts:get_server_logs': 'harvest',
      'mcp/mcp-shadowing/server-fintech/index.ts:transfer_funds': 'preference',
    },
    true,
  ),
);

// Round 5 (#51), gathered on 26 Nov 2026 and scored once before any change drawn from it: more vendors' servers, read from
// the snapshots their own tests keep of what they list where they have them, and scanners' test material.
/** A source of the files under `prefix` matching `pattern`, each read with `extract(text, path)`; `schemas` (a pattern) names the files declaring the schemas tools refer to. */
function fileSource({ source, note, repo, commit, licence, prefix, pattern, extract, schemas, skip, poisoned = {} }) {
  return {
    source,
    note,
    repos: [{ repo, commit, licence }],
    async items() {
      const [r] = this.repos;
      const paths = await list(r.repo, r.commit, prefix, /./);
      const schemaSrc = schemas ? (await Promise.all(paths.filter((p) => schemas.test(p)).map((p) => read(r.repo, r.commit, p)))).join('\n') : '';
      const out = [];
      const seen = new Set();
      for (const path of paths.filter((p) => pattern.test(p) && !/\.test\.|\.spec\.|__tests__/.test(p) && !skip?.test(p)))
        for (const tool of extract(await read(r.repo, r.commit, path), schemaSrc)) {
          // The same tool listed by several of a server's configurations (a parameter more or less) is one definition.
          const k = `${tool.name}|${tool.description}`;
          if (seen.has(k)) continue;
          seen.add(k);
          out.push({
            key: `${path
              .split('/')
              .pop()
              .replace(/\.\w+$/, '')}:${tool.name}`,
            tool,
            from: r,
            path,
          });
        }
      return out;
    },
    poisoned,
  };
}
/** Tool names a TypeScript server gives through a constants object (`server.tool(REPO_TOOLS.repo_file, …)`), written in as the strings they are. */
function namedConstants(src) {
  const names = Object.fromEntries([...src.matchAll(/^\s*(\w+):\s*"([\w.-]{1,64})",?$/gm)].map((m) => [m[1], m[2]]));
  return src.replace(/(\(\s*)[A-Z_]+\.(\w+)(\s*,)/g, (all, a, key, b) => (key in names ? `${a}"${names[key]}"${b}` : all));
}
SOURCES.push(
  fileSource({
    source: 'github',
    note: "GitHub's MCP server (Go): the tool snapshots its tests keep (__toolsnaps__), exactly as listed",
    repo: 'github/github-mcp-server',
    commit: '64a49f34d076b6f5917dae1424521d43c7bcae84',
    licence: 'MIT',
    prefix: 'pkg/github/__toolsnaps__/',
    pattern: /\.snap$/,
    extract: jsonTools,
  }),
  fileSource({
    source: 'kubernetes',
    note: 'The containers/ Kubernetes MCP server (Go): the tool lists its tests keep per toolset',
    repo: 'containers/kubernetes-mcp-server',
    commit: '55749981693f71c9f9a573bfab229eccd4f124ea',
    licence: 'Apache-2.0',
    prefix: 'pkg/mcp/testdata/',
    pattern: /toolsets-[\w-]*tools[\w-]*\.json$/,
    extract: jsonTools,
  }),
  fileSource({
    source: 'kubernetes-ts',
    note: "Flux159's Kubernetes MCP server (TypeScript): tool objects with JSON-schema properties",
    repo: 'Flux159/mcp-server-kubernetes',
    commit: '1ece64e6a9a52b62c9d1ac39e38331a357f89666',
    licence: 'MIT',
    prefix: 'src/tools/',
    pattern: /\.ts$/,
    extract: scriptObjectTools,
  }),
  fileSource({
    source: 'firecrawl',
    note: "Firecrawl's MCP server",
    repo: 'mendableai/firecrawl-mcp-server',
    commit: '1b9c89b502a04d7c6383b20484dabdf67a326363',
    licence: 'MIT',
    prefix: 'src/',
    pattern: /index\.ts$/,
    extract: scriptObjectTools,
  }),
  fileSource({
    source: 'browserbase',
    note: "Browserbase's MCP server",
    repo: 'browserbase/mcp-server-browserbase',
    commit: '1e196b3d3c4dc70944e0d19038dd9eb3608b207a',
    licence: 'Apache-2.0',
    prefix: 'src/tools/',
    pattern: /\.ts$/,
    extract: scriptDefinitionTools,
  }),
  fileSource({
    source: 'redis',
    note: "Redis's MCP server (Python, FastMCP docstrings)",
    repo: 'redis/mcp-redis',
    commit: '5945b0b5b098c9a1882075a161a6a58f23de81ed',
    licence: 'MIT',
    prefix: 'src/tools/',
    pattern: /\.py$/,
    extract: pythonTools,
  }),
  fileSource({
    source: 'chroma',
    note: "Chroma's MCP server (Python, FastMCP docstrings)",
    repo: 'chroma-core/chroma-mcp',
    commit: '078dc678636b687f345ea64509a9fe2ec39f5b7b',
    licence: 'Apache-2.0',
    prefix: 'src/',
    pattern: /server\.py$/,
    extract: pythonTools,
  }),
  fileSource({
    source: 'neon',
    note: "Neon's MCP server: its tool definitions and the zod schemas they name",
    repo: 'neondatabase/mcp-server-neon',
    commit: '94928121944167d82d9b2b865bcdc5469631557d',
    licence: 'MIT',
    prefix: 'mcp/tools/',
    pattern: /definitions\.ts$/,
    schemas: /toolsSchema\.ts$/,
    extract: scriptDefinitionTools,
  }),
  fileSource({
    source: 'supabase',
    note: "Supabase's MCP server: tool definitions keyed by name, with their zod schemas",
    repo: 'supabase-community/supabase-mcp',
    commit: '17fb90f8655ad1ce7ee320614d22eb68bb26e510',
    licence: 'Apache-2.0',
    prefix: 'packages/mcp-server-supabase/src/tools/',
    pattern: /-tools\.ts$/,
    extract: scriptDefinitionTools,
  }),
  fileSource({
    source: 'mongodb',
    note: "MongoDB's MCP server: tool classes (toolName, description, argsShape)",
    repo: 'mongodb-js/mongodb-mcp-server',
    commit: '36a405e33817577f0c5a34d6d9479c0285fac5e4',
    licence: 'Apache-2.0',
    prefix: 'packages/',
    pattern: /\/src\/tools\/\w+\/\w+\.ts$/,
    extract: scriptDefinitionTools,
  }),
  fileSource({
    source: 'pulumi',
    note: "Pulumi's MCP server: command objects with zod schemas",
    repo: 'pulumi/mcp-server',
    commit: '91ed260e02287aa270fa039524a4b214650d00b1',
    licence: 'Apache-2.0',
    prefix: 'src/',
    pattern: /\.ts$/,
    extract: scriptDefinitionTools,
  }),
  fileSource({
    source: 'heroku',
    note: "Heroku's MCP server: server.tool calls",
    repo: 'heroku/heroku-mcp-server',
    commit: 'de94a9c50cbf73f79210c0bf19111f96995eac4d',
    licence: 'Apache-2.0',
    prefix: 'src/',
    pattern: /\.ts$/,
    extract: scriptTools,
  }),
  fileSource({
    source: 'azure-devops',
    note: "Microsoft's Azure DevOps MCP server: server.tool calls, names from its constants",
    repo: 'microsoft/azure-devops-mcp',
    commit: '7ecd6f77bc33482f2455eb7283217636267291d8',
    licence: 'MIT (LICENSE.md)',
    prefix: 'src/tools/',
    pattern: /\.ts$/,
    extract: (src) => scriptTools(namedConstants(src)),
  }),
  fileSource({
    source: 'auth0',
    note: "Auth0's MCP server: tool objects",
    repo: 'auth0/auth0-mcp-server',
    commit: 'c2709eb5630c5850c94826f54a2fbc8131fb6d48',
    licence: 'MIT',
    prefix: 'src/tools/',
    pattern: /\.ts$/,
    extract: scriptObjectTools,
  }),
  {
    source: 'cisco-mcp-scanner',
    note: "Cisco AI Defense's mcp-scanner: its behavioural-analysis servers (danger in the code, text clean, but for the prompt-injection ones), its example malicious servers and its benign remote tool sets",
    repos: [{ repo: 'cisco-ai-defense/mcp-scanner', commit: '893327c54d223ea07296f68f32d8294f5c045f4a', licence: 'Apache-2.0' }],
    async items() {
      const [r] = this.repos;
      const out = [];
      const paths = [
        ...(await list(r.repo, r.commit, 'evals/behavioral-analysis/data/', /\.py$/)),
        ...(await list(r.repo, r.commit, 'evals/remote/benign/', /\.py$/)),
        // The other examples are copies of these or tools that call themselves malicious openly (no instruction to the model).
        ...['server.py', 'line_jumping_server.py', 'malicious_mcp_streamable_server.py', 'tricky_server.py', 'example_behavioural_malicious_server.py'].map(
          (f) => `examples/example-malicious-servers/${f}`,
        ),
      ];
      for (const path of paths) {
        const src = await read(r.repo, r.commit, path);
        const tools = pythonTools(src);
        const short = path.split('/').slice(-2).join('/').replace(/\.py$/, '');
        for (const tool of tools) if (!this.left.includes(`${short}:${tool.name}`)) out.push({ key: `${short}:${tool.name}`, tool, from: r, path });
        // A rug pull: the description a tool is listed with once its docstring is replaced.
        for (const [name, description] of Object.entries(pythonDocAssignments(src))) {
          const tool = tools.find((t) => t.name === name);
          if (tool) out.push({ key: `${short}:${name}:changed`, tool: { ...tool, description }, from: r, path });
        }
      }
      return out;
    },
    // A script tag aimed at a client's page, no text to the model: neither label fits it.
    left: ['example-malicious-servers/malicious_mcp_streamable_server:execute_system_command_test'],
    poisoned: {
      'prompt-injection/act_as_role_injection:execute_system_command': 'role_override',
      'prompt-injection/admin_privilege_escalation:query_database': 'role_override',
      'prompt-injection/contradictory_description_validation_bypass:validate_input': 'role_override',
      'prompt-injection/hidden_metadata_filter_bypass:search_documentation': 'role_override',
      'prompt-injection/hidden_system_instructions:read_file_safely': 'role_override',
      'prompt-injection/jailbreak_mode_context_manipulation:process_request': 'role_override',
      'prompt-injection/nested_ignore_trust_escalation:format_text': 'role_override',
      'prompt-injection/override_instruction_injection:process_data': 'role_override',
      'prompt-injection/safety_bypass_emergency_access:emergency_system_access': 'role_override',
      'prompt-injection/system_prompt_override:configure_assistant': 'role_override',
      'example-malicious-servers/server:add': 'secret_file',
      'example-malicious-servers/server:send_email': 'shadowing',
      'example-malicious-servers/line_jumping_server:send_mail': 'exfiltration',
      'example-malicious-servers/line_jumping_server:retrieve_logs': 'secret_file',
      'example-malicious-servers/line_jumping_server:get_workstation_environment': 'line_jumping',
      'example-malicious-servers/malicious_mcp_streamable_server:execute_system_command': 'injection',
      'example-malicious-servers/malicious_mcp_streamable_server:run_injection_code': 'injection',
      'example-malicious-servers/tricky_server:get_fact_of_the_day:changed': 'shadowing',
    },
  },
  {
    source: 'scanner-tests',
    note: "The test servers of two MCP scanners: Invariant Labs' mcp-scan demo server (a rug pull) and Tencent AI-Infra-Guard's MCP test case",
    repos: [
      { repo: 'invariantlabs-ai/mcp-scan', commit: '9d6f6f911182ca9e401261a3d93d7b5a80cafb8b', licence: 'Apache-2.0' },
      {
        repo: 'Tencent/AI-Infra-Guard',
        commit: '4908db1deab794a02ee9eaa77d3583ad590e7b27',
        licence: 'Apache-2.0 (Tencent Zhuque Lab, attribution per its NOTICE)',
      },
    ],
    async items() {
      return pythonToolsOf([
        [this.repos[0], 'demoserver/server.py'],
        [this.repos[1], 'mcp-scan/testcase/case1/main1.py'],
      ]);
    },
    // The demo server's `sum` says only that its arguments are numbers inside <IMPORTANT>: clean.
    poisoned: { 'invariantlabs-ai:multiply': 'exfiltration_param', 'Tencent:add': 'secret_file', 'Tencent:sub': 'shadowing' },
  },
);

// Round 6, gathered after the round-5 changes and scored once, never tuned to.
SOURCES.push({
  source: 'dbt',
  note: "dbt Labs' MCP server: each tool's description is a markdown file its server loads (prompts/<area>/<tool>.md; argument texts apart)",
  repos: [{ repo: 'dbt-labs/dbt-mcp', commit: 'c964666f0dcbbd8d6c9dd3abf0fe518ea5a0f6bd', licence: 'Apache-2.0' }],
  async items() {
    const [r] = this.repos;
    const out = [];
    for (const path of await list(r.repo, r.commit, 'src/dbt_mcp/prompts/', /^src\/dbt_mcp\/prompts\/[\w-]+\/[\w-]+\.md$/)) {
      const name = path.split('/').pop().replace(/\.md$/, '');
      const description = (await read(r.repo, r.commit, path)).trim();
      out.push({
        key: path.split('/').slice(-2).join('/').replace(/\.md$/, ''),
        tool: { name, description, inputSchema: { type: 'object', properties: {} } },
        from: r,
        path,
      });
    }
    return out;
  },
  poisoned: {},
});

// Round 7 (#51), gathered on 26 Nov 2026 and scored once before any change drawn from it: six servers nobody had gathered.
SOURCES.push(
  fileSource({
    source: 'posthog',
    note: "PostHog's MCP server: the tool definitions it generates its listing from (schema/tool-definitions.json, keyed by name)",
    repo: 'PostHog/mcp',
    commit: 'e2ee61a01b3d06b9934eaf6196c222ccc70cee5c',
    licence: 'MIT',
    prefix: 'schema/',
    pattern: /^schema\/tool-definitions\.json$/,
    extract: (text) =>
      Object.entries(JSON.parse(text)).map(([name, t]) => ({ name, description: t.description, inputSchema: { type: 'object', properties: {} } })),
  }),
  fileSource({
    source: 'circleci',
    note: "CircleCI's MCP server: one tool object per tool.ts (`name: 'x' as const` read as a plain name)",
    repo: 'CircleCI-Public/mcp-server-circleci',
    commit: '8787136b6c8bf72752ebcffad1520c2a847b5276',
    licence: 'Apache-2.0',
    prefix: 'src/tools/',
    pattern: /^src\/tools\/\w+\/tool\.ts$/,
    extract: (src) => scriptObjectTools(src.replace(/(["'`]) as const,/g, '$1,')),
  }),
  fileSource({
    source: 'motherduck',
    note: "MotherDuck's DuckDB MCP server (Python, FastMCP tools)",
    repo: 'motherduckdb/mcp-server-motherduck',
    commit: 'adef923b42425751265d478431eaf9dafa8846bc',
    licence: 'MIT',
    prefix: 'src/mcp_server_motherduck/',
    pattern: /server\.py$/,
    extract: pythonTools,
  }),
  fileSource({
    source: 'brave-search',
    note: "Brave's search MCP server: each tool module exports its name and description",
    repo: 'brave/brave-search-mcp-server',
    commit: '2748b47a378dc1a7e21551a8bd7726af38f65b6c',
    licence: 'MIT',
    prefix: 'src/tools/',
    pattern: /^src\/tools\/\w+\/index\.ts$/,
    extract: scriptConstantTools,
  }),
  fileSource({
    source: 'stripe',
    note: "Stripe's agent toolkit: the tool descriptions of its Python toolkit (prompts.py; the tool named after its constant)",
    repo: 'stripe/agent-toolkit',
    commit: '57599ddf4e666528da7cc1abbfc1a96ea02610f7',
    licence: 'MIT',
    prefix: 'tools/python/stripe_agent_toolkit/',
    pattern: /prompts\.py$/,
    extract: promptConstantTools,
  }),
  fileSource({
    source: 'qdrant',
    note: "Qdrant's MCP server: the default descriptions of its store and find tools (settings.py)",
    repo: 'qdrant/mcp-server-qdrant',
    commit: 'e4ec69b2daa187c8de86d860f09192200b4c834a',
    licence: 'Apache-2.0',
    prefix: 'src/mcp_server_qdrant/',
    pattern: /settings\.py$/,
    extract: (src) =>
      Object.entries(pythonConstants(src))
        .filter(([k]) => /^DEFAULT_TOOL_\w+_DESCRIPTION$/.test(k))
        .map(([k, description]) => ({
          name: `qdrant-${k.split('_')[2].toLowerCase()}`,
          description,
          inputSchema: { type: 'object', properties: {} },
        })),
  }),
);

// Round 8 (#51), gathered after the round-7 changes and scored once, never tuned to.
SOURCES.push({
  source: 'pinecone',
  note: "Pinecone's MCP server: each tool's INSTRUCTIONS text (the shared freshness note filled in) and, on its database tools, the two caller-identity arguments every one of them adds",
  repos: [{ repo: 'pinecone-io/pinecone-mcp', commit: 'a15d4b9ebc2e81ef35586218bdcde63c49c1bd9c', licence: 'Apache-2.0' }],
  async items() {
    const [r] = this.repos;
    const template = (src) => /`((?:[^`\\]|\\.)*)`/.exec(src)?.[1];
    const freshness = template(await read(r.repo, r.commit, 'src/tools/database/common/messages.ts'));
    const caller = {};
    for (const m of (await read(r.repo, r.commit, 'src/tools/database/common/register-tool.ts')).matchAll(
      /(\w+): z\s*\.string\(\)\s*\.optional\(\)\s*\.describe\(\s*'((?:[^'\\]|\\.)*)'/g,
    ))
      caller[m[1]] = { type: 'string', description: m[2].replace(/\\'/g, "'") };
    const out = [];
    for (const path of await list(r.repo, r.commit, 'src/tools/', /^src\/tools\/\w+\/[\w-]+\.ts$/)) {
      if (/\.test\.ts$|\/index\.ts$/.test(path)) continue;
      const src = await read(r.repo, r.commit, path);
      const text = /const INSTRUCTIONS = (`(?:[^`\\]|\\.)*`)/.exec(src);
      const name = /(?:registerDatabaseTool\(\s*server,|\.registerTool\()\s*'([\w-]+)'/.exec(src);
      if (!text || !name) continue;
      const description = template(text[1]).replace(`\${FRESHNESS_NOTE}`, freshness);
      const properties = src.includes('registerDatabaseTool(') ? caller : {};
      out.push({ key: name[1], tool: { name: name[1], description, inputSchema: { type: 'object', properties } }, from: r, path });
    }
    return out;
  },
  poisoned: {},
});

// Round 9 (#51), gathered on 26 Nov 2026 after the round-8 changes and scored once before any change drawn from it.
/** Razorpay's Go tools: each constructor declares its parameters (`mcpgo.WithString("x", mcpgo.Description("…"))`) before `mcpgo.NewTool`. */
function razorpayTools(src) {
  const tools = [];
  for (const block of src.split(/\nfunc /).slice(1)) {
    const [tool] = goTools(block);
    if (!tool) continue;
    for (const p of block.matchAll(/With(?:String|Number|Boolean|Array|Object)\(\s*"(\w+)",\s*mcpgo\.Description\(((?:\s*"(?:[^"\\]|\\.)*"\s*\+?)+)\)/g))
      tool.inputSchema.properties[p[1]] = { description: [...p[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((q) => JSON.parse(`"${q[1]}"`)).join('') };
    tools.push(tool);
  }
  return tools;
}
/** Python functions a server registers by reference (`mcp.tool()(fn)`, `Tool.from_function(fn, name=…, description=…)`), read as if decorated. */
function registeredPythonTools(src, names) {
  let out = src;
  for (const [fn, args] of names) out = out.replace(new RegExp(`^((?:async\\s+)?def\\s+${fn}\\s*\\()`, 'm'), `@mcp.tool(${args})\n$1`);
  return pythonTools(out);
}
/** `inputSchema: zodToJsonSchema(ns.XSchema)` read as `inputSchema: XSchema`, the zod schema it converts (looked up by name). */
const zodSchemaNames = (src) => src.replace(/\bzodToJsonSchema\(\s*(?:\w+\.)?(\w+)\s*\)/g, '$1');
SOURCES.push(
  fileSource({
    source: 'meilisearch',
    note: "Meilisearch's MCP server: the Tool(...) list of its list_tools handler",
    repo: 'meilisearch/meilisearch-mcp',
    commit: '2821835a5e2d213609c2e4d5e59d84cb2922673f',
    licence: 'MIT',
    prefix: 'src/meilisearch_mcp/',
    pattern: /server\.py$/,
    extract: pythonLiteralTools,
  }),
  fileSource({
    source: 'razorpay',
    note: "Razorpay's MCP server (Go): mcpgo.NewTool calls with the parameters each constructor declares",
    repo: 'razorpay/razorpay-mcp-server',
    commit: 'ad68cf044342687313fdf3245f2cb2250e106556',
    licence: 'MIT',
    prefix: 'pkg/razorpay/',
    pattern: /^pkg\/razorpay\/\w+\.go$/,
    skip: /_test\.go$/,
    extract: razorpayTools,
  }),
  fileSource({
    source: 'box',
    note: "Box's MCP server (Python): the *_tool functions its registry hands to mcp.tool()",
    repo: 'box-community/mcp-server-box',
    commit: '50f4b677d6ffc2bad19a82e0f6f24eb644c0b02d',
    licence: 'MIT',
    prefix: 'src/tools/',
    pattern: /^src\/tools\/box_tools_\w+\.py$/,
    extract: (src) =>
      registeredPythonTools(
        src,
        [...src.matchAll(/^(?:async\s+)?def\s+(\w+_tool)\s*\(/gm)].map((m) => [m[1], '']),
      ),
  }),
  fileSource({
    source: 'clickhouse',
    note: "ClickHouse's MCP server (Python): the functions it registers with Tool.from_function",
    repo: 'ClickHouse/mcp-clickhouse',
    commit: 'cb75c276fbe67592e33142cf1760ddb7ce63a84b',
    licence: 'Apache-2.0',
    prefix: 'mcp_clickhouse/',
    pattern: /mcp_server\.py$/,
    extract: (src) =>
      registeredPythonTools(
        src,
        [...src.matchAll(/Tool\.from_function\(\s*(\w+)\s*(?:,([\s\S]*?))?\)\s*\)/g)].map((m) => [m[1], (m[2] ?? '').trim().replace(/,$/, '')]),
      ),
  }),
  fileSource({
    source: 'jfrog',
    note: "JFrog's MCP server: tool objects, their zod schemas (zodToJsonSchema(x.Schema)) from schemas/",
    repo: 'jfrog/mcp-jfrog',
    commit: '667a01f6d39360db730ece3f57723afbfb900722',
    licence: 'Apache-2.0',
    prefix: '',
    pattern: /^tools\/\w+\.ts$/,
    schemas: /^schemas\/\w+\.ts$/,
    extract: (src, schemaSrc) => scriptDefinitionTools(zodSchemaNames(src), schemaSrc),
  }),
  fileSource({
    source: 'upstash',
    note: "Upstash's MCP server: tool definitions keyed by name, with their zod schemas",
    repo: 'upstash/mcp-server',
    commit: '1c3beba163db17c83b108207bbe70dba2dd9603a',
    licence: 'MIT',
    prefix: 'src/tools/',
    pattern: /\.ts$/,
    extract: scriptDefinitionTools,
  }),
  fileSource({
    source: 'mapbox',
    note: "Mapbox's MCP server: tool classes (name, description), their input schemas from the *.input.schema.ts files",
    repo: 'mapbox/mcp-server',
    commit: '1ccdc1f582227dd042d2276c8e844fb0a8570658',
    licence: 'MIT (LICENSE.md)',
    prefix: 'src/tools/',
    pattern: /Tool\.ts$/,
    schemas: /\.input\.schema\.ts$/,
    extract: scriptDefinitionTools,
  }),
  fileSource({
    source: 'launchdarkly',
    note: "LaunchDarkly's MCP server (generated): one tool object per file",
    repo: 'launchdarkly/mcp-server',
    commit: '77296aaca76d0dfffeddcc59ed1eb079b5adbced',
    licence: 'MIT',
    prefix: 'src/mcp-server/tools/',
    pattern: /\.ts$/,
    extract: scriptObjectTools,
  }),
  fileSource({
    source: 'square',
    note: "Square's MCP server: its three server.tool calls (the API's services are reached through them)",
    repo: 'square/square-mcp-server',
    commit: '7d498d17c9fda67ad9459dd0dc77e9809e96d5ee',
    licence: 'Apache-2.0',
    prefix: '',
    pattern: /^server\.ts$/,
    extract: scriptTools,
  }),
  fileSource({
    source: 'paypal',
    note: "PayPal's agent toolkit: the tool descriptions of its Python toolkit (prompts.py per area; the tool named after its constant)",
    repo: 'paypal/agent-toolkit',
    commit: '1df21a620667595bd2cd326c2daee0c97c355f78',
    licence: 'Apache-2.0',
    prefix: 'python/paypal_agent_toolkit/shared/',
    pattern: /prompts\.py$/,
    extract: promptConstantTools,
  }),
  fileSource({
    source: 'apify',
    note: "Apify's Actors MCP server: tool objects, named by the HelperTools enum (written in as the strings they are)",
    repo: 'apify/actors-mcp-server',
    commit: '6216fa40638616c481ce401cd671a112e897e42a',
    licence: 'MIT (LICENSE.md)',
    prefix: 'src/',
    pattern: /^src\/tools\/[\w-]+\.ts$|^src\/const\.ts$/,
    extract: (src, consts) => {
      if (/export enum HelperTools/.test(src)) return [];
      const names = Object.fromEntries([...consts.matchAll(/^\s*(\w+) = '([\w.-]+)',$/gm)].map((m) => [m[1], m[2]]));
      // An Actor's own tool (name and description filled in at run time) is no definition of this server's.
      return scriptDefinitionTools(
        zodSchemaNames(
          src
            .replace(/\$\{HelperTools\.(\w+)\}/g, (all, k) => names[k] ?? all)
            .replace(/\bHelperTools\.(\w+)/g, (all, k) => (k in names ? `'${names[k]}'` : all)),
        ),
      ).filter((t) => t.name !== 'tool');
    },
    schemas: /^src\/const\.ts$/,
  }),
  fileSource({
    source: 'elasticsearch',
    note: "Elastic's Elasticsearch MCP server (Rust, rmcp): #[tool(description, annotations(title))] methods",
    repo: 'elastic/mcp-server-elasticsearch',
    commit: 'a2b050d07c1e0af19974f63efa20f4553cb43b2b',
    licence: 'Apache-2.0',
    prefix: 'src/servers/',
    pattern: /\.rs$/,
    extract: (src) =>
      [
        ...src.matchAll(
          /#\[tool\(\s*description\s*=\s*"((?:[^"\\]|\\.)*)"(?:,\s*annotations\(title\s*=\s*"((?:[^"\\]|\\.)*)"[^)]*\))?\s*\)\]\s*(?:pub\s+)?async\s+fn\s+(\w+)/g,
        ),
      ].map((m) => ({
        name: m[3],
        description: JSON.parse(`"${m[1]}"`),
        ...(m[2] ? { title: JSON.parse(`"${m[2]}"`) } : {}),
        inputSchema: { type: 'object', properties: {} },
      })),
  }),
  fileSource({
    source: 'e2b',
    note: "E2B's MCP server (Python): its one Tool(...)",
    repo: 'e2b-dev/mcp-server',
    commit: 'dba87432cacaa7a5af1326d72e37e2d770628a0b',
    licence: 'Apache-2.0',
    prefix: 'packages/python/',
    pattern: /server\.py$/,
    extract: pythonLiteralTools,
  }),
);

// Round 9's poisoned material: two more published sets, scored once before any change.
/** Every `fn.__doc__ = """…"""` of a Python source (a rug pull: the description a tool is listed with once replaced), cleaned as inspect.cleandoc does. */
function docReplacements(src) {
  const out = [];
  for (const m of src.matchAll(/(\w+)\.__doc__\s*=\s*"""([\s\S]*?)"""/g)) {
    const [first, ...rest] = m[2].split('\n');
    const indent = Math.min(...rest.filter((l) => l.trim()).map((l) => /^ */.exec(l)[0].length));
    const text = [first.trim(), ...rest.map((l) => l.slice(Number.isFinite(indent) ? indent : 0).trimEnd())].join('\n').trim();
    out.push({ name: m[1], description: text });
  }
  return out;
}
SOURCES.push(
  {
    source: 'unlicensed-dvmcp',
    // Its README names MIT, but no licence file says so: kept outside the repository like the other unlicensed demos.
    unlicensed: true,
    note: 'Damn Vulnerable MCP Server: the tools of its ten challenges (most dangerous in their code, text clean) and the descriptions its rug pull swaps in',
    repos: [
      {
        repo: 'harishsg993010/damn-vulnerable-MCP-server',
        commit: 'c7cb1e95ec2596bf0e989b70e7b954f364da03a2',
        licence: "MIT (README.md's licence section; no LICENSE file)",
      },
    ],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of await list(r.repo, r.commit, 'challenges/', /\/server\.py$/)) {
        const src = await read(r.repo, r.commit, path);
        const short = path.split('/')[2];
        const tools = pythonTools(src);
        for (const tool of tools) out.push({ key: `${short}:${tool.name}`, tool, from: r, path });
        for (const { name, description } of docReplacements(src)) {
          const tool = tools.find((t) => t.name === name);
          if (tool && description !== tool.description) out.push({ key: `${short}:${name}:changed`, tool: { ...tool, description }, from: r, path });
        }
      }
      return out;
    },
    poisoned: {
      'challenge2:get_company_data': 'secret_resource',
      'challenge2:search_company_database': 'secret_resource',
      'challenge4:get_weather_forecast:changed': 'rug_pull',
      'challenge5:calculate-2': 'secret_resource',
      'challenge5:enhanced_calculate': 'secret_resource',
      'challenge10:get_user_profile': 'secret_resource',
      'challenge10:malicious_check_system_status': 'secret_file',
    },
  },
  {
    source: 'mcp-shield',
    note: "MCP-Shield's example servers (a scanner's test material): its vulnerable demo server, both descriptions of its rug pull, and the WhatsApp server it shadows",
    repos: [{ repo: 'riseandignite/mcp-shield', commit: '379140c3555bf35c6f8f451ee320da24302e792e', licence: 'MIT' }],
    async items() {
      const [r] = this.repos;
      const out = [];
      for (const path of ['mcp-servers-example/bad-mcp-server.js', 'mcp-servers-example/mcp-whatsapp.js']) {
        const src = await read(r.repo, r.commit, path);
        const short = path.split('/').pop().replace(/\.js$/, '');
        for (const tool of scriptTools(src)) out.push({ key: `${short}:${tool.name}`, tool, from: r, path });
        // The fact tool is listed with a variable: its first value, then the one it takes once a trigger file exists.
        const values = [...src.matchAll(/factDescription = `([^`]*)`/g)].map((m) => m[1]);
        for (const [i, description] of values.entries())
          out.push({
            key: `${short}:getFactOfTheDay${i ? ':changed' : ''}`,
            tool: { name: 'getFactOfTheDay', description, inputSchema: { type: 'object', properties: {} } },
            from: r,
            path,
          });
      }
      return out;
    },
    // fetchWeather's danger is in its parameters' names (feedback, debug, extra) and its code: its text asks nothing of the model.
    poisoned: {
      'bad-mcp-server:calculateSum': 'secret_file',
      'bad-mcp-server:sendEmail': 'shadowing',
      'bad-mcp-server:readFile': 'secret_file',
      'bad-mcp-server:getFactOfTheDay:changed': 'shadowing',
    },
  },
);

// At most this many definitions of one source are written (spread over its files): the big clean sources would otherwise outweigh the rest.
const MAX_PER_SOURCE = 400;

const args = process.argv.slice(2);
const only = args[0] === '--list' ? args[1] : null;
const writeOnly = args[0] === '--only' ? args[1].split(',') : null;
for (const s of SOURCES) {
  if ((only && s.source !== only) || (writeOnly && !writeOnly.includes(s.source))) continue;
  const seen = new Set();
  let items = (await s.items()).filter((i) => {
    const k = `${i.key}|${JSON.stringify(i.tool)}`;
    if (seen.has(k) || !i.tool.name) return false;
    seen.add(k);
    return true;
  });
  if (items.length > MAX_PER_SOURCE) {
    const step = items.length / MAX_PER_SOURCE;
    items = Array.from({ length: MAX_PER_SOURCE }, (_, i) => items[Math.floor(i * step)]);
  }
  const keys = new Map();
  const lines = items.map((i) => {
    const n = keys.get(i.key) ?? 0;
    keys.set(i.key, n + 1);
    const key = `${i.key}${n ? `-${n + 1}` : ''}`;
    const category = s.poisoned[key];
    return {
      id: `public-${s.source}-${key.replace(/[^\w.:-]+/g, '_')}`,
      label: category ? 'poisoned' : 'clean',
      category: category ?? 'public_server',
      tool: i.tool,
      source: `${i.from.repo}@${i.from.commit.slice(0, 12)}:${i.path}`,
      licence: i.from.licence,
    };
  });
  if (only) {
    for (const l of lines)
      console.log(`${l.label === 'poisoned' ? 'P' : '-'} ${l.id} | ${JSON.stringify(l.tool).slice(0, Number(process.env.LIST_CHARS ?? 400))}`);
    continue;
  }
  if (s.unlicensed && !process.env.GATHER_UNLICENSED_DIR) {
    console.log(`public-${s.source}: no licence, not written (set GATHER_UNLICENSED_DIR to write it outside the repository)`);
    continue;
  }
  const dir = s.unlicensed ? process.env.GATHER_UNLICENSED_DIR : join(root, 'bench/corpora/definitions');
  writeFileSync(join(dir, `public-${s.source}.jsonl`), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  console.log(
    `public-${s.source}.jsonl: ${lines.filter((l) => l.label === 'poisoned').length} poisoned, ${lines.filter((l) => l.label === 'clean').length} clean`,
  );
}
