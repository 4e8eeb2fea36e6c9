import { GatehouseError } from '../../core/index.js';
import type { ResourceRepository } from '../../store/repositories/resources.js';
import type { OperationContext } from '../operation.js';

/** Throws a 422 naming the field when a referenced id does not exist. */
export async function requireRefs(
  ctx: OperationContext,
  repo: ResourceRepository<object>,
  field: string,
  ids: readonly (string | null | undefined)[],
): Promise<void> {
  for (const id of ids) {
    if (id && !(await repo.get(ctx.db, id))) {
      throw new GatehouseError('GATEHOUSE_REFERENCE_NOT_FOUND', `${field}: no ${repo.type.replace(/s$/, '')} with id ${id}.`, [
        { path: field, message: `unknown id ${id}` },
      ]);
    }
  }
}

/** Throws a 409 when something still points at the resource being deleted. */
export function refuseInUse(what: string, count: number): void {
  if (count > 0) throw new GatehouseError('GATEHOUSE_IN_USE', `It is still used by ${count} ${what}.`);
}

/** Throws a 422 naming the field when a workflow (or the pinned version of it) does not exist. */
export async function requireWorkflow(
  ctx: OperationContext,
  workflows: ResourceRepository<object>,
  versions: ResourceRepository<object>,
  id: string | null | undefined,
  version: number | null | undefined,
): Promise<void> {
  if (!id) {
    if (version != null)
      throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'workflowVersion: pins a version of a workflow; set workflowId too.', [
        { path: 'workflowVersion', message: 'needs workflowId' },
      ]);
    return;
  }
  await requireRefs(ctx, workflows, 'workflowId', [id]);
  if (version != null && !(await versions.get(ctx.db, `${id}@${version}`)))
    throw new GatehouseError('GATEHOUSE_REFERENCE_NOT_FOUND', `workflowVersion: workflow ${id} has no version ${version}.`, [
      { path: 'workflowVersion', message: `unknown version ${version}` },
    ]);
}
