import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServe } from '../support/cli.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';

const RECORD = new URL('../support/record-modules.mjs', import.meta.url).href;

describe('a node without prompt_guard or virtual MCP servers never loads the prompt-injection engine', { timeout: 90_000 }, () => {
  let db: TestDatabase | undefined;
  afterEach(async () => db?.drop());

  it('serves REST calls with the engine unloaded (its rules cost ~15 MB and ~0.3 s of start-up)', async () => {
    db = await freshDatabase('sqlite');
    const log = join(db.dataDir, 'modules.log');
    writeFileSync(log, '');
    const { child, summary } = await spawnServe(['--port', '0', '--demo'], { ...db.env, NODE_OPTIONS: `--import ${RECORD}`, RECORD_MODULES: log });
    try {
      const [, token, url] = /^curl -H 'Authorization: Bearer (\S+)' (\S+)$/.exec(summary.demo.curl)!;
      const rest = await fetch(url!, { headers: { authorization: `Bearer ${token}` } });
      expect(rest.status).toBe(200);
      const loaded = readFileSync(log, 'utf8').split('\n');
      // The recorder saw the node's modules (the guardrail scanners the detect_pii node compiles with are among them)…
      expect(loaded.some((u) => u.endsWith('/gateway/guardrails/scanner.js'))).toBe(true);
      // …but not the engine, nor the definition scan that brings it.
      expect(loaded.filter((u) => /\/guardrails\/(?:injection|injection\/(?:directives|lexicon|model))\.js$|\/definition-guard\.js$/.test(u))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
