import { useQuery } from '@tanstack/react-query';
import { ADMIN_API } from '../auth/discovery';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  format?: string;
  const?: unknown;
  $ref?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  additionalProperties?: boolean | JsonSchema;
};

export interface OperationDoc {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  resource: string;
  permission: 'read' | 'write' | 'admin';
  destructive: boolean;
  body?: JsonSchema;
  parameters: { name: string; in: string; required?: boolean; schema: JsonSchema }[];
}

export interface ApiDoc {
  servers: { url: string }[];
  operations: Map<string, OperationDoc>;
}

interface RawDoc {
  servers: { url: string }[];
  paths: Record<string, Record<string, Record<string, unknown>>>;
}

function parse(raw: RawDoc): ApiDoc {
  const operations = new Map<string, OperationDoc>();
  for (const [path, methods] of Object.entries(raw.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const body = (op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)?.content?.['application/json']?.schema;
      operations.set(op.operationId as string, {
        operationId: op.operationId as string,
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? ''),
        resource: (op.tags as string[])[0] ?? '',
        permission: op['x-gatehouse-permission'] as OperationDoc['permission'],
        destructive: op['x-gatehouse-destructive'] === true,
        ...(body ? { body } : {}),
        parameters: (op.parameters as OperationDoc['parameters']) ?? [],
      });
    }
  }
  return { servers: raw.servers, operations };
}

/** The admin API's OpenAPI document, read at run time: the generic pages and the RBAC checks come from it. */
export function useApiDoc() {
  return useQuery({
    queryKey: ['openapi'],
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () => {
      const res = await fetch(`${ADMIN_API}/openapi.json`);
      if (!res.ok) throw new Error(`openapi.json answered ${res.status}`);
      return parse((await res.json()) as RawDoc);
    },
  });
}

/** An operation of a resource beyond list/get/create/update/delete (publish, rotate, revoke, run…). */
export interface ActionDoc extends OperationDoc {
  /** The operation's name without the resource: `workflows.rollback` → `rollback`. */
  action: string;
  /** `item` when its path is one item's (`/workflows/{id}/rollback`): shown on that item's page; else on the list page. */
  on: 'item' | 'list';
}

/**
 * A resource the generic pages can manage: one with a list (and any of get/create/update/delete),
 * or, without one, operations of its own (`config`: export, plan, apply), shown as actions only.
 */
export interface ResourceDoc {
  name: string;
  list?: OperationDoc;
  get?: OperationDoc;
  create?: OperationDoc;
  update?: OperationDoc;
  delete?: OperationDoc;
  actions: ActionDoc[];
}

const CRUD = ['list', 'get', 'create', 'update', 'delete'];

export function resourceOf(doc: ApiDoc, name: string): ResourceDoc | undefined {
  const op = (action: string) => doc.operations.get(`${name}.${action}`);
  const list = op('list')?.method === 'GET' ? op('list') : undefined;
  const parts = { list, get: op('get'), create: op('create'), update: op('update'), delete: op('delete') };
  // One item's path: the get operation's, else the list's plus `/{id}`.
  const itemPath = parts.get?.path ?? (list ? `${list.path}/{id}` : undefined);
  const actions: ActionDoc[] = [...doc.operations.values()]
    .filter((o) => o.resource === name && o.operationId.startsWith(`${name}.`) && !CRUD.includes(o.operationId.slice(name.length + 1)))
    .map((o) => ({
      ...o,
      action: o.operationId.slice(name.length + 1),
      on: itemPath && (o.path === itemPath || o.path.startsWith(`${itemPath}/`)) ? 'item' : 'list',
    }));
  if (!list && actions.length === 0) return undefined;
  return { name, ...Object.fromEntries(Object.entries(parts).filter(([, v]) => v)), actions };
}

/** Every resource the generic pages can show, in the document's order. */
export function resources(doc: ApiDoc): ResourceDoc[] {
  const names = new Set([...doc.operations.values()].map((o) => o.resource));
  return [...names].map((n) => resourceOf(doc, n)).filter((r): r is ResourceDoc => r !== undefined);
}
