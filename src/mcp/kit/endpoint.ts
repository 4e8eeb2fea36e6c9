import type { IncomingMessage, ServerResponse } from 'node:http';
import { type NodeMcpRequestHandler, toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';
import {
  type CallToolResult,
  type CompleteRequestParams,
  type CompleteResult,
  createMcpHandler,
  type GetPromptResult,
  type Prompt,
  ProtocolError,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType,
  Server,
  type ServerEventBus,
  type Tool,
} from '@modelcontextprotocol/server';
import { type FastCall, fastCall, legacyTaskCall, resultWriter } from './fast-call.js';
import { isInputRequired } from './held-call.js';
import { isTwinResult } from './json-text.js';
import { liveAnswer } from './live-answer.js';
import { type McpLog, report } from './log.js';
import { cancelTask, declaresTasks, getTask, type LegacyTasks, TASKS_EXTENSION, tasksRequired, updateTask, writeTaskCreated } from './modern-tasks.js';
import type { Page } from './page.js';
import type { ServerInfo } from './protocol.js';
import { refuseUndeclaredTasks } from './tasks-gate.js';

/** The tools a caller sees and can call: built once and shared by every request of callers like it. */
export interface ToolSet<S> {
  readonly tools: readonly Tool[];
  /** The `tools/list` result, `{"tools":[…]}` (and its `_meta`, `listMeta`), serialized once. */
  readonly listJson: string;
  /** The `tools/list` result's `_meta`, when it has one. */
  readonly listMeta?: Record<string, unknown>;
  /** Whether a tool of this name can be called (it may be unlisted: the call is then refused, and audited, further in). */
  has(name: string): boolean;
  /**
   * Runs one call; failures are `isError` results, never thrown. `stream` is there when the call came
   * through the SDK (see `streams`); `notify`, on a 2025-era fast-path call of a set that `liveLogs`,
   * sends a notification on the call's answer, which then becomes an event stream (see liveAnswer).
   */
  call(
    state: S,
    name: string,
    args: Record<string, unknown>,
    stream?: CallStream,
    notify?: (method: string, params: Record<string, unknown> | undefined) => void,
  ): Promise<CallToolResult>;
  /** Whether a 2025-era fast-path call may send notifications before its result (its upstream's log messages). */
  readonly liveLogs?: boolean;
  /** Prompts and resources served besides the tools, when the endpoint has any. */
  readonly extras?: PromptsAndResources<S>;
  /** Whether a call of this tool may talk to the caller while it runs (progress, server-to-client requests): it then skips the fast path. */
  streams?(name: string): boolean;
  /** The `instructions` of `initialize` for these callers, over the endpoint's own. */
  readonly instructions?: string;
  /** `logging/setLevel` (2025 revisions), when the endpoint passes log messages on. */
  setLogLevel?(state: S, level: string): Promise<void>;
  /** `resources/subscribe` and `unsubscribe` (2025 revisions), when updates reach callers that keep a stream open. */
  subscribe?(state: S, uri: string, on: boolean): Promise<void>;
  /** `tasks/get`, `tasks/result`, `tasks/cancel` and `tasks/list` (2025-11-25 tasks), when calls may run as tasks (`CallStream.task`). */
  tasks?(
    state: S,
    method: 'tasks/get' | 'tasks/result' | 'tasks/cancel' | 'tasks/list',
    params: Record<string, unknown>,
    /** A 2025-era request's stream: `tasks/result` relays what the task asks of the caller on it. */
    stream?: CallStream,
  ): Promise<Record<string, unknown>>;
  /** Whether a call of this tool runs only as a task: a 2026-07-28 caller that declared the tasks extension then gets one. */
  runsAsTask?(state: S, name: string): Promise<boolean>;
  /** What a task in `input_required` asks its 2026-07-28 caller now (the extension's `inputRequests`), when the set relays such questions. */
  taskQuestions?(state: S, taskId: string): Promise<Record<string, unknown>>;
  /** A 2026-07-28 caller's `tasks/update`: its answers (`inputResponses`) to the questions `taskQuestions` gave it. */
  answerTask?(state: S, taskId: string, responses: Record<string, unknown>): void;
}

/** What a call that came through the SDK can send its caller while it runs, on its response's event stream. */
export interface CallStream {
  /** The caller's `_meta.progressToken`, when it asked for progress. */
  progressToken: string | number | undefined;
  /** The call's `task` (2025-11-25 tasks): run it as a task and answer with the `CreateTaskResult`. */
  task: Record<string, unknown> | undefined;
  /** The request's protocol era: a 2026-07-28 caller answers server-to-client requests by retrying the call (`input_required`), not on a stream. */
  era: 'legacy' | 'modern';
  /** A 2026-07-28 retry's answers and the `requestState` it echoes. */
  inputResponses?: Record<string, unknown> | undefined;
  requestState?: string | undefined;
  notify(method: string, params: Record<string, unknown> | undefined): void;
  /** A server-to-client request with an id of the tool set's choosing; the caller answers it with a POST of its own. */
  send(message: { id: string; method: string; params?: Record<string, unknown> | undefined }): Promise<void>;
}

/**
 * Prompts and resources an endpoint serves besides its tools (a virtual MCP server's curated
 * ones), listed a page at a time. Unknown names, URIs and cursors throw a ProtocolError; so do
 * upstream failures.
 */
export interface PromptsAndResources<S> {
  /** Whether the `prompts` capability is declared (default yes); resources always are. */
  declaresPrompts?: boolean;
  listPrompts(cursor: string | undefined): Promise<Page<Prompt>>;
  getPrompt(state: S, name: string, args: Record<string, string> | undefined): Promise<GetPromptResult>;
  listResources(cursor: string | undefined): Promise<Page<Resource>>;
  readResource(state: S, uri: string): Promise<ReadResourceResult>;
  listResourceTemplates?(cursor: string | undefined): Promise<Page<ResourceTemplateType>>;
  /** `completion/complete` for a prompt's argument or a resource template's variable, as `state` asks it. */
  complete?(state: S, params: CompleteRequestParams): Promise<CompleteResult>;
}

export interface ToolEndpointOptions {
  serverInfo: ServerInfo;
  /** Whether the endpoint tells callers when tools change (`notifyToolsChanged`): declared as `tools.listChanged`. */
  listChanged?: boolean;
  instructions?: string;
  maxBodyBytes: number;
  log: McpLog;
  /** Where 2026-07-28 `subscriptions/listen` streams hear changes; also makes prompts and resources declare `listChanged` and `subscribe` to them. */
  bus?: ServerEventBus;
  /** Whether tools/list and tools/call take the hot path (fast-call.ts) or the SDK's server like every other method (default: the hot path). */
  fastPaths?: boolean;
}

/** An MCP endpoint over tool sets: both protocol eras, no session state, no per-request server on the hot path. */
export interface ToolEndpoint<S> {
  /**
   * Answers one authenticated request whose body the adapter has read and parsed: `tools/list`
   * and `tools/call` straight from the tool set, everything else (initialize, discover, ping,
   * malformed requests) through the SDK with a server built for the request.
   */
  serve(req: IncomingMessage, res: ServerResponse, parsed: unknown, tools: ToolSet<S>, state: S, clientId: string): Promise<void>;
  /** Sends `notifications/tools/list_changed` on every open 2026-07-28 `subscriptions/listen` stream that asked for it. */
  notifyToolsChanged(): void;
  close(): Promise<void>;
}

interface RequestTools<S> {
  tools: ToolSet<S>;
  state: S;
}

/** Builds the endpoint; the tool sets and per-request state come with each request. */
export function createToolEndpoint<S>(opts: ToolEndpointOptions): ToolEndpoint<S> {
  const hot = opts.fastPaths !== false;
  const writeResult = resultWriter(opts.serverInfo);
  const writeError = (res: ServerResponse, call: FastCall, err: ProtocolError) => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: call.id,
      error: { code: err.code, message: err.message, ...(err.data !== undefined ? { data: err.data } : {}) },
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const factory = (ctx: { era: 'legacy' | 'modern'; authInfo?: { extra?: Record<string, unknown> } }) => {
    const request = ctx.authInfo?.extra?.request as RequestTools<S> | undefined;
    if (request === undefined) throw new Error('the MCP endpoint was called without its request state');
    const { tools, state } = request;
    const extras = tools.extras;
    const era = ctx.era;
    const instructions = tools.instructions ?? opts.instructions;
    // A 2026-07-28 caller hears prompt and resource changes on its listen stream, through the bus; a 2025-era one on its event stream.
    const listens = era === 'legacy' || opts.bus !== undefined;
    const server = new Server(opts.serverInfo, {
      capabilities: {
        tools: { listChanged: opts.listChanged === true },
        ...(extras
          ? {
              ...(extras.declaresPrompts !== false ? { prompts: { listChanged: listens } } : {}),
              resources: { listChanged: listens, ...(tools.subscribe && listens ? { subscribe: true } : {}) },
            }
          : {}),
        ...(extras?.complete ? { completions: {} } : {}),
        ...(tools.setLogLevel ? { logging: {} } : {}),
        ...(tools.tasks && ctx.era === 'legacy' ? { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } } : {}),
        // 2026-07-28 callers get the tasks extension (SEP-2663) over the same tasks.
        ...(tools.tasks && ctx.era === 'modern' ? { extensions: { [TASKS_EXTENSION]: {} } } : {}),
      },
      ...(instructions ? { instructions } : {}),
    });
    server.setRequestHandler('tools/list', () => ({ tools: [...tools.tools], ...(tools.listMeta ? { _meta: tools.listMeta } : {}) }));
    server.setRequestHandler('tools/call', async (request, ctx) => {
      const name = request.params.name;
      // An unknown tool is a protocol error (-32602), as the specification says.
      if (!tools.has(name)) throw new ProtocolError(-32602, `Unknown tool: ${name.slice(0, 100)}`);
      const progressToken = request.params._meta?.progressToken;
      const task = (request.params as { task?: unknown }).task;
      const stream: CallStream = {
        progressToken: typeof progressToken === 'string' || typeof progressToken === 'number' ? progressToken : undefined,
        task: task !== null && typeof task === 'object' && !Array.isArray(task) ? (task as Record<string, unknown>) : undefined,
        era,
        inputResponses: ctx.mcpReq.inputResponses,
        requestState: ((state: unknown) => (typeof state === 'string' ? state : undefined))(ctx.mcpReq.requestState()),
        notify: (method, params) => void ctx.mcpReq.notify({ method, ...(params ? { params } : {}) } as never).catch(() => undefined),
        send: async (message) => {
          if (!server.transport) throw new Error('the request has no stream');
          await server.transport.send({ jsonrpc: '2.0', ...message } as never, { relatedRequestId: ctx.mcpReq.id });
        },
      };
      return tools.call(state, name, (request.params.arguments ?? {}) as Record<string, unknown>, stream);
    });
    if (tools.tasks && ctx.era === 'legacy') {
      const tasks = tools.tasks;
      for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel', 'tasks/list'] as const) {
        server.setRequestHandler(
          method as never,
          ((request: { params?: Record<string, unknown> }, rctx: { mcpReq: { id: string | number; notify(n: unknown): Promise<void> } }) => {
            // The upstream may ask the caller something while the task's result is awaited: on this request's stream, as a direct server would.
            const stream: CallStream | undefined =
              method === 'tasks/result'
                ? {
                    progressToken: undefined,
                    task: undefined,
                    era: 'legacy',
                    notify: (m, params) => void rctx.mcpReq.notify({ method: m, ...(params ? { params } : {}) }).catch(() => undefined),
                    send: async (message) => {
                      if (!server.transport) throw new Error('the request has no stream');
                      await server.transport.send({ jsonrpc: '2.0', ...message } as never, { relatedRequestId: rctx.mcpReq.id });
                    },
                  }
                : undefined;
            return tasks(state, method, request.params ?? {}, stream);
          }) as never,
        );
      }
    }
    if (tools.tasks && ctx.era === 'modern') {
      const tasks = tools.tasks;
      const legacy: LegacyTasks = (method, params) => tasks(state, method, params);
      const questions = tools.taskQuestions ? (taskId: string) => tools.taskQuestions?.(state, taskId) ?? Promise.resolve({}) : undefined;
      const answer = tools.answerTask ? (taskId: string, responses: Record<string, unknown>) => tools.answerTask?.(state, taskId, responses) : undefined;
      // Extension methods: the SDK dispatches them on this revision only with a schema of their own.
      const byId = { params: z.looseObject({ taskId: z.string().max(1_000) }) };
      const update = { params: z.looseObject({ taskId: z.string().max(1_000), inputResponses: z.record(z.string().max(200), z.unknown()).optional() }) };
      server.setRequestHandler('tasks/get' as never, byId as never, ((params: { taskId: string }) => getTask(legacy, params.taskId, questions)) as never);
      server.setRequestHandler(
        'tasks/update' as never,
        update as never,
        // The SDK takes a request's `inputResponses` off its params (the multi round-trip fields) onto the context.
        ((params: { taskId: string; inputResponses?: Record<string, unknown> }, rctx: { mcpReq: { inputResponses?: Record<string, unknown> } }) =>
          updateTask(legacy, params.taskId, params.inputResponses ?? rctx.mcpReq.inputResponses ?? {}, answer)) as never,
      );
      server.setRequestHandler('tasks/cancel' as never, byId as never, ((params: { taskId: string }) => cancelTask(legacy, params.taskId)) as never);
    }
    if (tools.setLogLevel && ctx.era === 'legacy') {
      const setLevel = tools.setLogLevel;
      server.setRequestHandler('logging/setLevel', async (request) => {
        await setLevel(state, request.params.level);
        return {};
      });
    }
    if (extras) {
      if (extras.declaresPrompts !== false) {
        server.setRequestHandler('prompts/list', async (request) => {
          const { items, nextCursor, _meta } = await extras.listPrompts(request.params?.cursor);
          return { prompts: items, ...(nextCursor ? { nextCursor } : {}), ...(_meta ? { _meta } : {}) };
        });
        server.setRequestHandler('prompts/get', (request) => extras.getPrompt(state, request.params.name, request.params.arguments));
      }
      server.setRequestHandler('resources/list', async (request) => {
        const { items, nextCursor, _meta } = await extras.listResources(request.params?.cursor);
        return { resources: items, ...(nextCursor ? { nextCursor } : {}), ...(_meta ? { _meta } : {}) };
      });
      server.setRequestHandler('resources/read', (request) => extras.readResource(state, request.params.uri));
      const { listResourceTemplates, complete } = extras;
      const subscribe = tools.subscribe;
      if (listResourceTemplates) {
        server.setRequestHandler('resources/templates/list', async (request) => {
          const { items, nextCursor, _meta } = await listResourceTemplates(request.params?.cursor);
          return { resourceTemplates: items, ...(nextCursor ? { nextCursor } : {}), ...(_meta ? { _meta } : {}) };
        });
      }
      if (complete) server.setRequestHandler('completion/complete', (request) => complete(state, request.params));
      if (subscribe && ctx.era === 'legacy') {
        server.setRequestHandler('resources/subscribe', async (request) => {
          await subscribe(state, request.params.uri, true);
          return {};
        });
        server.setRequestHandler('resources/unsubscribe', async (request) => {
          await subscribe(state, request.params.uri, false);
          return {};
        });
      }
    }
    return server;
  };
  const mcp = createMcpHandler(factory, {
    // A single JSON body unless a call talks to its caller first (relayed progress): then an event stream.
    responseMode: 'auto',
    maxRequestBodySize: opts.maxBodyBytes,
    onerror: (err) => report(opts.log, `${opts.serverInfo.name} MCP error`, err),
    ...(opts.bus ? { bus: opts.bus } : {}),
  });
  const node: NodeMcpRequestHandler = toNodeHandler(mcp, {
    maxRequestBodySize: opts.maxBodyBytes,
    onerror: (err) => report(opts.log, `${opts.serverInfo.name} MCP adapter error`, err),
  });
  return {
    async serve(req, res, parsed, tools, state, clientId) {
      const fast = hot ? fastCall(req, parsed, tools.streams ? (name) => tools.has(name) && !tools.streams?.(name) : (name) => tools.has(name)) : null;
      if (fast?.era === 'modern' && fast.method === 'tools/call' && tools.tasks && (await tools.runsAsTask?.(state, fast.name))) {
        // The server decides what runs as a task (SEP-2663): a tool the upstream runs only as one, for a caller that declared the extension.
        if (!declaresTasks(parsed)) return writeError(res, fast, tasksRequired(fast.name));
        const stream: CallStream = {
          progressToken: undefined,
          task: {},
          era: 'modern',
          notify: () => {},
          send: () => Promise.reject(new Error('a task has no stream')),
        };
        try {
          return writeTaskCreated(res, fast, (await tools.call(state, fast.name, fast.args, stream)) as Record<string, unknown>, opts.serverInfo);
        } catch (err) {
          if (err instanceof ProtocolError) return writeError(res, fast, err);
          throw err;
        }
      }
      if (fast) {
        if (fast.method === 'tools/list') return writeResult(res, fast, tools.listJson);
        // A 2025-era caller hears what its call's upstream says on the call's own stream, as it would directly.
        const live = fast.era === 'legacy' && tools.liveLogs ? liveAnswer(res) : null;
        let result: CallToolResult;
        try {
          result = await tools.call(state, fast.name, fast.args, undefined, live?.notify);
        } catch (err) {
          if (!(err instanceof ProtocolError)) throw err;
          if (!live?.started) return writeError(res, fast, err);
          return live.finish({ id: fast.id, error: { code: err.code, message: err.message, ...(err.data !== undefined ? { data: err.data } : {}) } });
        }
        if (live?.started) return live.finish({ id: fast.id, result });
        if (isTwinResult(result)) return writeResult.twin(res, fast, result);
        return writeResult.result(res, fast, result, isInputRequired(result));
      }
      if (refuseUndeclaredTasks(res, parsed)) return;
      // A 2025-era task-augmented call answers with a CreateTaskResult, which the SDK's server would refuse as a tools/call result.
      const taskCall = tools.tasks ? legacyTaskCall(req, parsed, (name) => tools.has(name)) : null;
      if (taskCall) {
        const stream: CallStream = {
          progressToken: undefined,
          task: taskCall.task,
          era: 'legacy',
          notify: () => {},
          send: () => Promise.reject(new Error('a task has no stream')),
        };
        let created: CallToolResult;
        try {
          created = await tools.call(state, taskCall.name, taskCall.args, stream);
        } catch (err) {
          if (err instanceof ProtocolError) return writeError(res, taskCall, err);
          throw err;
        }
        return writeResult(res, taskCall, JSON.stringify(created));
      }
      const request: RequestTools<S> = { tools, state };
      (req as IncomingMessage & { auth?: unknown }).auth = { token: '', clientId, scopes: [], extra: { request } };
      await node(req, res, parsed);
    },
    notifyToolsChanged: () => mcp.notify.toolsChanged(),
    close: () => mcp.close(),
  };
}
