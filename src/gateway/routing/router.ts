import type { Endpoint } from '../../core/index.js';
import { compileSegment } from './segment.js';

/** The part of an endpoint the hot path needs; the full document stays in the store. */
export interface EndpointRef {
  readonly id: string;
  readonly method: string;
  readonly path: string;
}

/** One node of an endpoint path trie: static children beat the parameter child. */
class RouteNode {
  statics: Map<string, RouteNode> | null = null;
  /** Segments with literal text around parameters (`{id}.json`), tried after statics and before the whole-segment parameter. */
  patterns: Array<{ source: string; regex: RegExp; node: RouteNode }> | null = null;
  param: RouteNode | null = null;
  methods: Map<string, EndpointRef> | null = null;
  /** The `Allow` header value for a 405 at this path. */
  allow = '';
}

/** A compiled endpoint table for one proxy. */
export interface EndpointTable {
  readonly root: RouteNode;
}

/** What a path within a proxy resolves to: an endpoint, or the methods the path does allow. */
export type EndpointLookup = { endpoint: EndpointRef; allow: null } | { endpoint: null; allow: string | null };

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function templateSegments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** Builds the trie for one proxy's endpoints. */
export function compileEndpointTable(endpoints: readonly Pick<Endpoint, 'id' | 'method' | 'path'>[]): EndpointTable {
  const root = new RouteNode();
  for (const ep of endpoints) {
    let node = root;
    for (const seg of templateSegments(ep.path)) {
      const matcher = compileSegment(seg);
      if (matcher.kind === 'param') {
        node.param ??= new RouteNode();
        node = node.param;
      } else if (matcher.kind === 'pattern') {
        node.patterns ??= [];
        let entry = node.patterns.find((p) => p.source === matcher.source);
        if (!entry) {
          entry = { source: matcher.source, regex: matcher.regex, node: new RouteNode() };
          node.patterns.push(entry);
          // More literal text first, so `{id}.tar.gz` is tried before `{id}.gz`.
          node.patterns.sort((a, b) => b.source.replace(/\{[^}]*\}/g, '').length - a.source.replace(/\{[^}]*\}/g, '').length);
        }
        node = entry.node;
      } else {
        node.statics ??= new Map();
        let child = node.statics.get(seg);
        if (!child) {
          child = new RouteNode();
          node.statics.set(seg, child);
        }
        node = child;
      }
    }
    node.methods ??= new Map();
    node.methods.set(ep.method, { id: ep.id, method: ep.method, path: ep.path });
  }
  finish(root);
  return { root };
}

function finish(node: RouteNode): void {
  if (node.methods) {
    const get = node.methods.get('GET');
    // HEAD is GET without a body, so a GET endpoint answers HEAD unless HEAD has its own.
    if (get && !node.methods.has('HEAD')) node.methods.set('HEAD', get);
    node.allow = METHOD_ORDER.filter((m) => node.methods?.has(m)).join(', ');
  }
  if (node.statics) for (const child of node.statics.values()) finish(child);
  if (node.patterns) for (const p of node.patterns) finish(p.node);
  if (node.param) finish(node.param);
}

const ENCODED_SEPARATOR = /%(?:2f|5c|00)/i;

/**
 * A segment an upstream could resolve outside the proxy's base path: a dot segment (also
 * percent-encoded, or with a `;` parameter as Tomcat reads `..;`), an encoded slash, backslash or
 * NUL that a server behind the upstream may decode, or a literal backslash.
 */
function unsafeSegment(s: string): boolean {
  if (s.indexOf('.') === -1 && s.indexOf('%') === -1 && s.indexOf('\\') === -1 && s.indexOf(';') === -1) return false;
  if (s.indexOf('\\') !== -1 || ENCODED_SEPARATOR.test(s)) return true;
  const head = (s.split(';', 1)[0] ?? '').replace(/%2e/gi, '.');
  return head === '.' || head === '..';
}

function walk(node: RouteNode, segs: readonly string[], i: number): RouteNode | null {
  if (i === segs.length) return node.methods ? node : null;
  const seg = segs[i]!;
  const child = node.statics?.get(seg);
  if (child) {
    const hit = walk(child, segs, i + 1);
    if (hit) return hit;
  }
  if (node.patterns)
    for (const p of node.patterns) {
      if (!p.regex.test(seg)) continue;
      const hit = walk(p.node, segs, i + 1);
      if (hit) return hit;
    }
  return node.param ? walk(node.param, segs, i + 1) : null;
}

/** Looks up a path (relative to the proxy base, starting with `/` or empty) and method. */
export function lookupEndpoint(table: EndpointTable, rest: string, method: string): EndpointLookup | null {
  const segs = rest.length <= 1 ? [] : rest.slice(1).split('/');
  if (segs.length > 0 && segs[segs.length - 1] === '') segs.pop();
  for (const s of segs) if (s === '' || unsafeSegment(s)) return null;
  const node = walk(table.root, segs, 0);
  if (!node?.methods) return null;
  const endpoint = node.methods.get(method);
  return endpoint ? { endpoint, allow: null } : { endpoint: null, allow: node.allow };
}
