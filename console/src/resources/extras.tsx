import { type ComponentType, lazy } from 'react';
import type { Draft } from './schema-kinds';

/** Crafted panels shown under a resource's generic detail page, where a task needs more than its fields. */
export const EXTRAS: Record<string, ComponentType<{ id: string; item: Record<string, unknown> }>> = {
  workflows: lazy(() => import('../pages/workflows/WorkflowPanel')),
};

/**
 * Single fields of a resource's generated form (`<resource>.<field>`) that read better otherwise:
 * a crafted `editor` of the field's JSON text, and `shown`, when the field applies only to some items.
 */
export const FIELD_OVERRIDES: Record<string, { editor?: ComponentType<{ value: string; onChange: (v: string) => void }>; shown?: (draft: Draft) => boolean }> =
  {
    'mcp-servers.stdio': {
      editor: lazy(() => import('../pages/mcp/StdioFields').then((m) => ({ default: m.StdioCommandEditor }))),
      shown: (d) => d.transport === 'stdio',
    },
    'mcp-servers.sealedEnv': { shown: (d) => d.transport === 'stdio' },
  };
