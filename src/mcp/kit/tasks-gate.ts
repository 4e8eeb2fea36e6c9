import type { ServerResponse } from 'node:http';
import { isPlain, MODERN_REVISION } from './protocol.js';

const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
const TASK_METHODS: ReadonlySet<string> = new Set(['tasks/get', 'tasks/update', 'tasks/cancel', 'tasks/list']);

/**
 * A 2026-07-28 `tasks/*` request from a client that did not declare the tasks extension: refused
 * as a missing required capability (-32021, HTTP 400, SEP-2575/SEP-2663) rather than an unknown
 * method, so the client learns what it would have to declare. A client that did declare it gets
 * the SDK's answer (these servers offer no tasks: method not found).
 */
export function refuseUndeclaredTasks(res: ServerResponse, message: unknown): boolean {
  if (!isPlain(message) || typeof message.method !== 'string' || !TASK_METHODS.has(message.method)) return false;
  const id = message.id;
  if (typeof id !== 'string' && typeof id !== 'number') return false;
  const meta = isPlain(message.params) ? message.params._meta : undefined;
  if (!isPlain(meta) || meta['io.modelcontextprotocol/protocolVersion'] !== MODERN_REVISION) return false;
  const capabilities = meta['io.modelcontextprotocol/clientCapabilities'];
  const extensions = isPlain(capabilities) ? capabilities.extensions : undefined;
  if (isPlain(extensions) && extensions[TASKS_EXTENSION] !== undefined) return false;
  const error = {
    code: -32021,
    message: `${message.method} needs the ${TASKS_EXTENSION} extension, which the request did not declare.`,
    data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
  };
  const body = JSON.stringify({ jsonrpc: '2.0', id, error });
  res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}
