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

/** A resource the generic pages can manage: one with list, and at least one of get/create/update/delete. */
export interface ResourceDoc {
  name: string;
  list: OperationDoc;
  get?: OperationDoc;
  create?: OperationDoc;
  update?: OperationDoc;
  delete?: OperationDoc;
}

export function resourceOf(doc: ApiDoc, name: string): ResourceDoc | undefined {
  const op = (action: string) => doc.operations.get(`${name}.${action}`);
  const list = op('list');
  if (list?.method !== 'GET') return undefined;
  const parts = { get: op('get'), create: op('create'), update: op('update'), delete: op('delete') };
  return { name, list, ...Object.fromEntries(Object.entries(parts).filter(([, v]) => v)) };
}

/** Every resource with a list operation, in the document's order. */
export function resources(doc: ApiDoc): ResourceDoc[] {
  const names = new Set([...doc.operations.values()].map((o) => o.resource));
  return [...names].map((n) => resourceOf(doc, n)).filter((r): r is ResourceDoc => r !== undefined);
}
