import type { HeaderMap, OutgoingHeaders } from '../net/header-map.js';
import type { CallView } from './call-view.js';
import type { BackendAuth } from '../credentials/types.js';
import type { UpstreamSet } from '../upstream/targets.js';
import type { StoredHit } from './cache/stored-hit.js';
import { addResponse, buildVariables, type CallVariables, refreshRequest } from './variables.js';

export type { CallView } from './call-view.js';

/** A response a workflow holds: the upstream's (buffered), or one it made itself (mock, cache, preflight). */
export interface WorkflowResponse {
  status: number;
  headers: OutgoingHeaders;
  /** null while only the head is known (response nodes that need no body). */
  body: Buffer | null;
}

/** One node's run, as `run` and `nodes.test` report it. */
export interface TraceEntry {
  node: string;
  type: string;
  phase: 'request' | 'response';
  /** What the node decided: `then`, a route, `cache:hit`, `mock`, `valid`… */
  decision: string | null;
  /** What it changed: `request.header x-tenant = acme`, `request.path = /v2/…`. */
  changes: string[];
  durationMs: number;
  error?: { code: string; message: string };
}

/** The upstream target group a route node chose for a call. */
export interface RouteChoice {
  readonly name: string;
  /** The route node's id, for the upstream request's span. */
  readonly node: string;
  /** null where no call is sent (dry runs). */
  readonly set: UpstreamSet | null;
  /** The group's own credential; absent when it uses the proxy's. */
  readonly auth?: BackendAuth | 'unavailable';
}

/** A response to store once the response phase has run (set by the cache node on a miss). */
export interface PendingCacheStore {
  store(response: WorkflowResponse): void | Promise<void>;
}

/** One call's passage through a workflow: what the nodes read and change, and what they decided. */
export class Exchange {
  phase: 'request' | 'response' = 'request';
  /** Edits to apply on top of the gateway's forwarding rules, so a workflow may set a header the caller could not. */
  headerEdits: Map<string, string | null> | null = null;
  /** The path below the upstream URL's own path, and the query (`?…` or ''), as the upstream will get them. */
  rest: string;
  query: string;
  /** The request body when buffered (a node needs it), possibly replaced by a node. */
  requestBody: Buffer | null = null;
  /** The upstream target group a route node chose. */
  route: RouteChoice | null = null;
  /** Set when the request phase answered the call itself; no upstream call follows. */
  answered: 'mock' | 'cache' | null = null;
  /** The stored response a cache node answered with; the REST path writes it as it is, without `response`. */
  cacheHit: StoredHit | null = null;
  /** Headers every response of this call gets (CORS). */
  extraResponseHeaders: Record<string, string> | null = null;
  cacheStore: PendingCacheStore | null = null;
  /** The node that failed, for the request log. */
  failedNode: string | null = null;
  readonly decisions: string[] = [];
  /** What guardrail nodes found and did (`pii:redacted email=2`: kinds and counts, never a matched value), for the call's span. */
  readonly guardrails: string[] = [];
  trace: TraceEntry[] | null = null;
  /**
   * A tool policy's hold, settled once the whole request phase has shaped the call: an approval is
   * bound to the call as the upstream gets it, whatever a later node rewrites (see runRequestPhase).
   */
  hold: { readonly settle: (reasons: readonly string[]) => Promise<void>; readonly reasons: string[] } | null = null;
  #vars: CallVariables | null = null;
  #requestJson: { value: unknown } | null = null;
  #responseJson: { value: unknown } | null = null;

  /** The caller's headers once a node has changed them (copied on the first change). */
  #ownHeaders: HeaderMap | null = null;
  #response: WorkflowResponse | null = null;

  constructor(readonly ctx: CallView) {
    this.rest = ctx.rest;
    this.query = ctx.query;
  }

  /** The response the workflow holds; a cache hit's is built on first read. */
  get response(): WorkflowResponse | null {
    if (this.#response === null && this.cacheHit !== null) this.#response = this.cacheHit.response();
    return this.#response;
  }

  /** The caller's headers as the workflow has shaped them (lower-case names). */
  get requestHeaders(): HeaderMap {
    return this.#ownHeaders ?? this.ctx.headers;
  }

  private ownHeaders(): HeaderMap {
    if (this.#ownHeaders === null) this.#ownHeaders = { ...this.ctx.headers };
    return this.#ownHeaders;
  }

  /** The variables CEL and templates read, built on first use. */
  vars(): CallVariables {
    if (this.#vars === null) this.#vars = buildVariables(this);
    return this.#vars;
  }

  /** Records what a node decided (the request log keeps these). */
  note(decision: string): void {
    this.decisions.push(decision);
  }

  private edits(): Map<string, string | null> {
    if (this.headerEdits === null) this.headerEdits = new Map();
    return this.headerEdits;
  }

  setRequestHeader(name: string, value: string): void {
    this.ownHeaders()[name] = value;
    this.edits().set(name, value);
    if (this.#vars) refreshRequest(this.#vars, this);
  }

  removeRequestHeader(name: string): void {
    delete this.ownHeaders()[name];
    this.edits().set(name, null);
    if (this.#vars) refreshRequest(this.#vars, this);
  }

  setQuery(query: string): void {
    this.query = query;
    if (this.#vars) refreshRequest(this.#vars, this);
  }

  /** The request body as JSON; undefined when there is none or it is not JSON (validate_request reports which). */
  requestJson(): unknown {
    if (this.#requestJson === null) this.#requestJson = { value: parseJson(this.requestBody) };
    return this.#requestJson.value;
  }

  setRequestBody(body: Buffer): void {
    this.requestBody = body;
    this.#requestJson = null;
  }

  /** Holds the response (the upstream's, or one the workflow made) for the response phase. */
  setResponse(response: WorkflowResponse): void {
    this.#response = response;
    this.#responseJson = null;
    if (this.#vars) addResponse(this.#vars, this);
  }

  responseJson(): unknown {
    if (this.#responseJson === null) this.#responseJson = { value: parseJson(this.response?.body ?? null) };
    return this.#responseJson.value;
  }

  setResponseBody(body: Buffer): void {
    this.response!.body = body;
    this.response!.headers['content-length'] = String(body.length);
    this.#responseJson = null;
  }

  /** Answers the call from the request phase (mock, cache); the remaining request nodes are skipped. */
  answer(kind: 'mock' | 'cache', response: WorkflowResponse): void {
    this.answered = kind;
    this.setResponse(response);
  }

  /** Answers the call from the cache; its response object is built only if something reads `response`. */
  answerFromCache(hit: StoredHit): void {
    this.answered = 'cache';
    this.cacheHit = hit;
    this.#response = null;
    this.#responseJson = null;
    if (this.#vars) addResponse(this.#vars, this);
  }

  /** The phases whose body a guardrail redacted: the request log captures those bodies as redacted (see buildRecord). */
  readonly redacted = { request: false, response: false };

  /** Records a guardrail's outcome: in the log's decisions and on the call's span. */
  guard(outcome: string): void {
    this.decisions.push(outcome);
    this.guardrails.push(outcome);
    if (outcome.includes(':redacted')) this.redacted[this.phase] = true;
  }

  /** The log's summary: the workflow, then what its nodes decided. */
  summary(workflow: string): string {
    // Built by appending: this runs for every call through a workflow (a cache hit included).
    let out = workflow;
    for (const d of this.decisions) out += ` ${d}`;
    if (this.failedNode !== null) out += ` failed:${this.failedNode}`;
    return out;
  }
}

function parseJson(body: Buffer | null): unknown {
  if (body === null || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
