/** A self-contained reference page for the admin API: it renders openapi.json in the browser, with no external assets. */
export function apiReferencePage(openapiUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gatehouse Admin API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1c2430;background:#f6f7f9}
header{background:#1c2430;color:#fff;padding:16px 32px}main{max-width:1000px;margin:0 auto;padding:16px 32px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:10px 0;padding:10px 16px}
.m{display:inline-block;min-width:64px;font-weight:700;font-family:monospace}.GET{color:#0a7}.POST{color:#06c}.PATCH{color:#a60}.DELETE{color:#c22}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f3f4f6;padding:8px;overflow:auto;max-height:320px}
h2{margin-top:28px;text-transform:capitalize}.perm{float:right;color:#667;font-size:13px}
</style></head><body><header><h1>Gatehouse Admin API</h1><p id="desc"></p></header><main id="ops">Loading…</main>
<script type="module">
const doc = await (await fetch(${JSON.stringify(openapiUrl)})).json();
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
document.getElementById('desc').textContent = doc.info.description;
const byTag = {};
for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) (byTag[op.tags[0]] ??= []).push({ path, method: method.toUpperCase(), op });
let html = '<p>Base URL: <code>' + esc(doc.servers[0].url) + '</code> · <a href="openapi.json">openapi.json</a></p>';
for (const [tag, ops] of Object.entries(byTag)) {
  html += '<h2>' + esc(tag) + '</h2>';
  for (const { path, method, op } of ops) {
    const body = op.requestBody ? '<details><summary>Request body</summary><pre>' + esc(JSON.stringify(op.requestBody.content['application/json'].schema, null, 2)) + '</pre></details>' : '';
    const params = op.parameters.length ? '<p>Parameters: ' + op.parameters.map((p) => '<code>' + esc(p.name) + '</code> (' + p.in + (p.required ? ', required' : '') + ')').join(', ') + '</p>' : '';
    html += '<section><span class="perm">' + esc(op['x-gatehouse-permission']) + '</span><span class="m ' + method + '">' + method + '</span> <code>' + esc(path) + '</code><p>' + esc(op.summary) + '</p>' + params + body + '</section>';
  }
}
document.getElementById('ops').innerHTML = html;
</script></body></html>`;
}
