import { type ComponentType, lazy } from 'react';

/** Crafted panels shown under a resource's generic detail page, where a task needs more than its fields. */
export const EXTRAS: Record<string, ComponentType<{ id: string; item: Record<string, unknown> }>> = {
  workflows: lazy(() => import('../pages/workflows/WorkflowPanel')),
};
