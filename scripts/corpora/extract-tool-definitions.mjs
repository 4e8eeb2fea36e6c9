/**
 * Reads MCP tool definitions out of server source code as a client would list them: FastMCP
 * decorators in Python (`@mcp.tool()` over a function: its name, its docstring as the
 * description, `Field(description=…)` per parameter), `registerTool`/`.tool(` calls in
 * TypeScript (name, title, description, `.describe(…)` per property), and string constants that a
 * server passes as a description. Only literal text is read (no code runs); what a literal
 * interpolates is left as `{…}`. Used by gather-public-definitions.mjs.
 */

/** The string literal starting at `i` (Python or JS quoting), or null: its value and where it ends. */
function literalAt(src, i, lang) {
  let j = i;
  if (lang === 'py') while (/[rRbBuUfF]/.test(src[j] ?? '') && j - i < 2) j++;
  const raw = lang === 'py' && /[rR]/.test(src.slice(i, j));
  const q = src[j];
  if (q !== '"' && q !== "'" && !(lang === 'js' && q === '`')) return null;
  const triple = lang === 'py' && src.startsWith(q.repeat(3), j);
  const close = triple ? q.repeat(3) : q;
  let k = j + close.length;
  let out = '';
  while (k < src.length) {
    if (src.startsWith(close, k)) return { value: out, end: k + close.length };
    const c = src[k];
    if (c === '\\' && !raw) {
      const n = src[k + 1];
      const map = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', '\n': '' };
      out += n in map ? map[n] : `\\${n}`;
      k += 2;
      continue;
    }
    if (q === '`' && c === '$' && src[k + 1] === '{') {
      const end = matching(src, k + 1);
      out += '{…}';
      k = end + 1;
      continue;
    }
    if (!triple && q !== '`' && c === '\n') return null;
    out += c;
    k++;
  }
  return null;
}

/** Index of the bracket closing the one at `open` (strings and comments skipped). */
function matching(src, open) {
  const pairs = { '(': ')', '[': ']', '{': '}' };
  const stack = [pairs[src[open]]];
  let k = open + 1;
  while (k < src.length && stack.length > 0) {
    const c = src[k];
    if (c === '"' || c === "'" || c === '`') {
      const lang = c === '`' ? 'js' : 'py';
      const lit = literalAt(src, k, lang) ?? literalAt(src, k, 'js');
      k = lit ? lit.end : k + 1;
      continue;
    }
    if (c === '#' && src.lastIndexOf('\n', k) > src.lastIndexOf('"', k)) {
      const nl = src.indexOf('\n', k);
      if (nl > 0 && /^#[^\n]*$/.test(src.slice(k, nl))) {
        k = nl;
        continue;
      }
    }
    if (c === '/' && src[k + 1] === '/') {
      k = src.indexOf('\n', k);
      if (k < 0) break;
      continue;
    }
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === stack[stack.length - 1]) stack.pop();
    k++;
  }
  return k - 1;
}

/** Adjacent or `+`-joined string literals from `i` (parentheses around them allowed): their text, or null. */
function stringExpr(src, i, lang) {
  let k = i;
  while (/\s/.test(src[k] ?? '')) k++;
  if (src[k] === '(') {
    const end = matching(src, k);
    const inner = stringExpr(src.slice(k + 1, end), 0, lang);
    return inner && /^\s*$/.test(src.slice(k + 1, end).slice(inner.end)) ? { value: inner.value, end: end + 1 } : null;
  }
  let value = null;
  for (;;) {
    while (/\s/.test(src[k] ?? '')) k++;
    const lit = literalAt(src, k, lang);
    if (!lit) break;
    value = (value ?? '') + lit.value;
    k = lit.end;
    let m = k;
    while (/\s/.test(src[m] ?? '')) m++;
    if (src[m] === '+') k = m + 1;
  }
  return value === null ? null : { value, end: k };
}

/** The value of keyword `key=` / `key:` inside `text` when it is a string expression. */
function keyword(text, key, lang) {
  const re = lang === 'py' ? new RegExp(`(?<![\\w.])${key}\\s*=`, 'g') : new RegExp(`(?<![\\w.])${key}\\s*:`, 'g');
  for (const m of text.matchAll(re)) {
    const s = stringExpr(text, m.index + m[0].length, lang);
    if (s) return s.value;
  }
  return undefined;
}

/** Top-level comma-separated parts of a parameter list. */
function splitTop(text) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (c === '"' || c === "'") {
      const lit = literalAt(text, k, 'py');
      if (lit) {
        k = lit.end - 1;
        continue;
      }
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, k));
      start = k + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

const PY_TYPES = { int: 'integer', float: 'number', bool: 'boolean', str: 'string', list: 'array', dict: 'object' };

/** Tools declared with a FastMCP-style decorator (`@x.tool(...)` over a def) in Python source. */
export function pythonTools(src) {
  const tools = [];
  for (const m of src.matchAll(/@[\w.]*\.tool\b/g)) {
    let k = m.index + m[0].length;
    let args = '';
    if (src[k] === '(') {
      const end = matching(src, k);
      args = src.slice(k + 1, end);
      k = end + 1;
    }
    const def = /^\s*(?:@[^\n]*\n\s*)*(?:async\s+)?def\s+(\w+)\s*\(/.exec(src.slice(k));
    if (!def) continue;
    const open = k + def[0].length - 1;
    const close = matching(src, open);
    const sig = src.slice(open + 1, close);
    const body = /^[^:]*:\s*/.exec(src.slice(close + 1));
    const doc = body ? stringExpr(src, close + 1 + body[0].length, 'py') : null;
    const name = keyword(args, 'name', 'py') ?? def[1];
    const description = keyword(args, 'description', 'py') ?? (doc ? dedent(doc.value) : undefined);
    const properties = {};
    const required = [];
    for (const part of splitTop(sig)) {
      const p = /^\*{0,2}(\w+)\s*(?::\s*([\s\S]*?))?(?:=\s*([\s\S]*))?$/.exec(part);
      if (!p || ['self', 'ctx', 'context', 'cls'].includes(p[1]) || /\bContext\b/.test(p[2] ?? '')) continue;
      const prop = {};
      const type = PY_TYPES[(p[2] ?? '').trim().split(/[[|\s]/)[0]];
      if (type) prop.type = type;
      const d = keyword(part, 'description', 'py');
      if (d !== undefined) prop.description = d;
      properties[p[1]] = prop;
      if (p[3] === undefined && !/\bdefault\s*=/.test(part)) required.push(p[1]);
    }
    const tool = { name, description, inputSchema: { type: 'object', properties, ...(required.length ? { required } : {}) } };
    const title = keyword(args, 'title', 'py');
    if (title) tool.title = title;
    if (description === undefined) delete tool.description;
    tools.push(tool);
  }
  return tools;
}

/** A docstring as Python's inspect.cleandoc leaves it (FastMCP lists it so). */
function dedent(text) {
  const lines = text.replace(/\t/g, '    ').split('\n');
  const indents = lines
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => /^ */.exec(l)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(cut))].join('\n').trim();
}

/** Docstrings assigned at run time (`tool.__doc__ = """…"""`: a rug pull changes a listed description so), by function name. */
export function pythonDocAssignments(src) {
  const out = {};
  for (const m of src.matchAll(/(\w+)\.__doc__\s*=\s*/g)) {
    const s = stringExpr(src, m.index + m[0].length, 'py');
    if (s) out[m[1]] = dedent(s.value);
  }
  return out;
}

/** Module-level string constants of Python source (`NAME = """…"""` or parenthesized literals), by name. */
export function pythonConstants(src) {
  const out = {};
  for (const m of src.matchAll(/^([A-Z_][A-Z0-9_]*)\s*=\s*/gm)) {
    const s = stringExpr(src, m.index + m[0].length, 'py');
    if (s) out[m[1]] = s.value;
  }
  return out;
}

/** The string literals of an array at `open`, one a line (`[\"a\", \"\", \"b\"].join(\"\\n\")`). */
function arrayText(src, open) {
  const body = src.slice(open + 1, matching(src, open));
  const out = [];
  for (const part of splitTop(body)) {
    const lit = stringExpr(part, 0, 'js');
    if (lit) out.push(lit.value);
  }
  return out.length ? out.join('\n') : undefined;
}

/** Tools registered in TypeScript/JavaScript (`registerTool('name', {title, description, inputSchema})`, `.tool('name', 'description', {…})`). */
export function scriptTools(src) {
  const tools = [];
  for (const m of src.matchAll(/(?:\bregisterTool|\.tool|\bdefineTool)\s*\(/g)) {
    const open = m.index + m[0].length - 1;
    const close = matching(src, open);
    const call = src.slice(open + 1, close);
    // `defineTool({ name, description: [lines].join("\\n"), inputSchema })`: the name is a key of the one argument.
    const named = /^\s*\{/.test(call) ? keyword(call, 'name', 'js') : undefined;
    const name = named !== undefined ? { value: named, end: 0 } : stringExpr(call, 0, 'js');
    if (!name || !/^[\w.-]{1,64}$/.test(name.value)) continue;
    let rest = call.slice(name.end).replace(/^\s*,/, '');
    const tool = { name: name.value };
    const second = stringExpr(rest, 0, 'js');
    if (second) {
      tool.description = second.value;
      rest = rest.slice(second.end);
    } else {
      const lines = /(?<![\w.])description\s*:\s*\[/.exec(rest);
      const joined = lines ? arrayText(rest, lines.index + lines[0].length - 1) : undefined;
      const description = joined ?? keyword(rest.slice(0, rest.search(/inputSchema|$/) + 1), 'description', 'js') ?? keyword(rest, 'description', 'js');
      if (description !== undefined) tool.description = description;
      const title = keyword(rest, 'title', 'js');
      if (title !== undefined) tool.title = title;
    }
    const properties = {};
    // Output schemas describe results, not what the model is asked for: properties are read up to them.
    const input = rest.split(/\boutputSchema\s*:/)[0];
    for (const p of input.matchAll(/(?:^|[{,\s])(\w+)\s*:\s*z\b/g)) {
      const tail = input.slice(p.index + p[0].length, p.index + p[0].length + 2_000);
      const next = tail.search(/[,{(]\s*\w+\s*:\s*z\b|\n\s*}/);
      const own = next < 0 ? tail : tail.slice(0, next);
      const d = /\.describe\(\s*/.exec(own);
      const text = d ? stringExpr(own, d.index + d[0].length, 'js') : null;
      properties[p[1]] = text ? { description: text.value } : {};
    }
    tool.inputSchema = { type: 'object', properties };
    if (tool.description === undefined && Object.keys(properties).length === 0) continue;
    tools.push(tool);
  }
  return tools;
}

/** Tools written as Python dict literals (`{"name": "…", "description": """…""", …}`) or `Tool(name=…, description=…, inputSchema={…})` calls. */
export function pythonLiteralTools(src) {
  const tools = [];
  for (const m of src.matchAll(/\bTool\s*\(/g)) {
    const open = m.index + m[0].length - 1;
    const call = src.slice(open + 1, matching(src, open));
    const name = keyword(call, 'name', 'py');
    if (name === undefined) continue;
    const tool = { name, description: keyword(call, 'description', 'py'), inputSchema: { type: 'object', properties: literalProperties(call) } };
    if (tool.description === undefined) delete tool.description;
    tools.push(tool);
  }
  for (const m of src.matchAll(/"description"\s*:\s*/g)) {
    const before = src.slice(Math.max(0, m.index - 200), m.index);
    const name = /"name"\s*:\s*"([\w.-]+)"\s*,\s*$/.exec(before);
    const description = stringExpr(src, m.index + m[0].length, 'py');
    if (name && description) tools.push({ name: name[1], description: dedent(description.value), inputSchema: { type: 'object', properties: {} } });
  }
  return tools;
}

/** The properties of a Python dict-literal schema (`"x": {"type": …, "description": "…"}`), names and descriptions only. */
function literalProperties(text) {
  const at = text.search(/["']properties["']\s*:\s*\{/);
  if (at < 0) return {};
  const open = text.indexOf('{', at);
  const body = text.slice(open + 1, matching(text, open));
  const out = {};
  for (const p of body.matchAll(/(?<![\w"'])["']?(\w+)["']?\s*:\s*\{/g)) {
    const inner = body.slice(p.index + p[0].length - 1, matching(body, p.index + p[0].length - 1) + 1);
    if (p.index > 0 && /["']properties["']\s*:\s*\{$/.test(body.slice(0, p.index + 1))) continue;
    const d = keyword(inner.replace(/["']description["']\s*:/g, 'description='), 'description', 'py');
    out[p[1]] = d === undefined ? {} : { description: d };
  }
  return out;
}

/** Tools of Go servers (`mcpgrafana.MustTool("name", "description", handler, mcp.WithTitleAnnotation("…"))`, `mcp.NewTool("name", mcp.WithDescription("…"), mcp.WithString("p", mcp.Description("…")))`). */
export function goTools(src) {
  const tools = [];
  for (const m of src.matchAll(/\b(?:MustTool|NewTool)\s*\(/g)) {
    const open = m.index + m[0].length - 1;
    const call = src.slice(open + 1, matching(src, open));
    const name = stringExpr(call, 0, 'js');
    if (!name || !/^[\w.-]{1,64}$/.test(name.value)) continue;
    const rest = call.slice(name.end).replace(/^\s*,/, '');
    const second = stringExpr(rest, 0, 'js');
    const withDescription = /WithDescription\(\s*/.exec(rest);
    const description = second?.value ?? (withDescription ? stringExpr(rest, withDescription.index + withDescription[0].length, 'js')?.value : undefined);
    const tool = { name: name.value, inputSchema: { type: 'object', properties: {} } };
    if (description !== undefined) tool.description = description;
    const title = /WithTitleAnnotation\(\s*/.exec(rest);
    if (title) tool.title = stringExpr(rest, title.index + title[0].length, 'js')?.value;
    for (const p of rest.matchAll(/With(?:String|Number|Boolean|Array|Object)\(\s*"(\w+)"([^\n]*)/g)) {
      const d = /Description\(\s*/.exec(p[2]);
      const text = d ? stringExpr(p[2], d.index + d[0].length, 'js') : null;
      tool.inputSchema.properties[p[1]] = text ? { description: text.value } : {};
    }
    if (tool.description !== undefined) tools.push(tool);
  }
  return tools;
}

/** Tools an OpenAPI-to-MCP server lists: one per operation (operationId, summary and description, parameter and body property descriptions). */
export function openApiTools(spec) {
  const tools = [];
  for (const [path, ops] of Object.entries(spec.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      if (!op || typeof op !== 'object' || !op.operationId) continue;
      const properties = {};
      for (const p of op.parameters ?? []) if (p.name) properties[p.name] = p.description ? { description: p.description } : {};
      const body = op.requestBody?.content?.['application/json']?.schema?.properties ?? {};
      for (const [k, v] of Object.entries(body)) properties[k] = v?.description ? { description: v.description } : {};
      const description = [op.summary, op.description].filter(Boolean).join('\n');
      tools.push({ name: op.operationId, description: description || `${method.toUpperCase()} ${path}`, inputSchema: { type: 'object', properties } });
    }
  }
  return tools;
}

/** Tools written as object literals in TypeScript/JavaScript (`{ name: "x", description: "…", inputSchema: { … } }`, as a ListTools handler returns them). */
export function scriptObjectTools(src) {
  const tools = [];
  for (const m of src.matchAll(/(?<![\w.])name:\s*(["'`])([\w.-]{1,64})\1\s*,\s*(?:title:\s*(["'`])[^"'`\n]*\3\s*,\s*)?description:\s*/g)) {
    const description = stringExpr(src, m.index + m[0].length, 'js');
    if (!description) continue;
    const after = src.slice(description.end, description.end + 6_000);
    const schema = /^\s*,\s*(?:inputSchema|parameters)\s*:\s*\{/.exec(after);
    const properties = schema ? literalProperties(after.slice(0, matching(after, schema[0].length - 1) + 1)) : {};
    tools.push({ name: m[2], description: description.value, inputSchema: { type: 'object', properties } });
  }
  return tools;
}

/** Tools as a server's own snapshot tests record what it lists (JSON: one tool, or an array of tools). */
export function jsonTools(text) {
  const value = JSON.parse(text);
  const out = [];
  for (const t of Array.isArray(value) ? value : [value]) {
    if (!t || typeof t.name !== 'string') continue;
    const tool = { name: t.name, description: t.description, inputSchema: t.inputSchema ?? { type: 'object', properties: {} } };
    const title = t.title ?? t.annotations?.title;
    if (title) tool.title = title;
    if (tool.description === undefined) delete tool.description;
    out.push(tool);
  }
  return out;
}

/** The top-level properties of a zod object literal body (`key: <chain>.describe("…")`): the last `.describe` of each chain. */
function describedProperties(body) {
  const out = {};
  let k = 0;
  while (k < body.length) {
    const m = /^[\s,]*(?:\/\/[^\n]*\n[\s,]*|\/\*[\s\S]*?\*\/[\s,]*)*(?:\.\.\.[\w.()]+|(\w+)\s*:)/.exec(body.slice(k));
    if (!m) break;
    const j = k + m[0].length;
    // The property's expression runs to the next top-level comma.
    let end = j;
    while (end < body.length && body[end] !== ',') {
      if ('([{'.includes(body[end])) end = matching(body, end) + 1;
      else if ('"\'`'.includes(body[end])) end = literalAt(body, end, 'js')?.end ?? end + 1;
      else end++;
    }
    if (m[1]) {
      const expr = body.slice(j, end);
      let text;
      for (const d of expr.matchAll(/\.describe\(\s*/g)) text = stringExpr(expr, d.index + d[0].length, 'js')?.value ?? text;
      out[m[1]] = text === undefined ? {} : { description: text };
    }
    k = end + 1;
  }
  return out;
}

/** `const X = z.object({…})` or `const X = {…}` declarations of TypeScript source: their properties, by name. */
function declaredSchemas(src) {
  const out = {};
  for (const m of src.matchAll(/\bconst\s+(\w+)(?:\s*:[^=]+)?\s*=\s*(?:z\s*\.\s*object\s*\(\s*)?\{/g)) {
    const open = m.index + m[0].length - 1;
    out[m[1]] = describedProperties(src.slice(open + 1, matching(src, open)));
  }
  return out;
}

/**
 * TypeScript tools declared as definitions rather than calls: objects with a name and a description
 * (`{ name: 'x', …, description: '…', inputSchema: xSchema }`), objects keyed by the tool's name
 * (`x: { description: '…', parameters: xSchema }`) and classes (`toolName = 'x'; description = '…';
 * argsShape = {…}`). A schema named by identifier is looked up in `schemaSrc` (the files declaring it).
 */
export function scriptDefinitionTools(src, schemaSrc = '') {
  const schemas = { ...declaredSchemas(schemaSrc), ...declaredSchemas(src) };
  const tools = [];
  const schemaOf = (text) => {
    const s = /(?<![\w.])(?:inputSchema|parameters|argsShape|schema)\s*[:=]\s*(?:z\s*\.\s*object\s*\(\s*)?(\{|\w+)/.exec(text);
    if (!s) return {};
    if (s[1] !== '{') return schemas[s[1]] ?? {};
    const open = s.index + s[0].length - 1;
    return describedProperties(text.slice(open + 1, matching(text, open)));
  };
  for (const m of src.matchAll(/(?<![\w.])description\s*[:=]\s*/g)) {
    const description = stringExpr(src, m.index + m[0].length, 'js');
    if (!description) continue;
    // The object (or class body) holding the description: back to its opening brace.
    let depth = 0;
    let open = -1;
    for (let k = m.index - 1; k >= 0 && m.index - k < 4_000; k--) {
      const c = src[k];
      if ('})]'.includes(c)) depth++;
      else if ('{(['.includes(c)) {
        if (depth === 0) {
          open = c === '{' ? k : -1;
          break;
        }
        depth--;
      }
    }
    if (open < 0) continue;
    const body = src.slice(open + 1, matching(src, open));
    const own = /(?<![\w.])(?:name|toolName)\s*[:=]\s*(["'`])([\w.-]{1,64})\1/.exec(body);
    const keyed = /(?:^|[\s,{])["']?([\w.-]{1,64})["']?\s*:\s*(?:\w+\s*\(\s*)?$/.exec(src.slice(Math.max(0, open - 200), open));
    const name = own?.[2] ?? keyed?.[1];
    // A tool's definition has a schema or a handler beside its description (a property's or an option's has not).
    if (!name || !/(?<![\w.])(?:inputSchema|parameters|argsShape|execute|handler|annotations)\s*[:=(]/.test(body)) continue;
    tools.push({ name, description: description.value, inputSchema: { type: 'object', properties: schemaOf(body) } });
  }
  return tools;
}

/** One tool per module written as exported constants (`export const name = 'x'; export const description = \`…\``, as Brave's server does). */
export function scriptConstantTools(src) {
  const name = /^export const name\s*=\s*(["'`])([\w.-]{1,64})\1/m.exec(src);
  const at = /^export const description\s*=\s*/m.exec(src);
  const description = at && stringExpr(src, at.index + at[0].length, 'js');
  return name && description ? [{ name: name[2], description: description.value.trim(), inputSchema: { type: 'object', properties: {} } }] : [];
}
