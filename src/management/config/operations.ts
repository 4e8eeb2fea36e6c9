import { z } from 'zod';
import { type AnyOperation, defineOperation } from '../operation.js';
import { exportDocument } from './export.js';
import { configJsonSchema } from './json-schema.js';
import { type ConfigKind, configKinds } from './kinds.js';
import { makePlan, runPlan } from './plan.js';
import { type Invoke, readPresent } from './present.js';
import { parseSelector } from './selector.js';
import { readWanted } from './wanted.js';

const Selector = z
  .string()
  .max(2000)
  .optional()
  .describe(
    'Only these top-level items and what lives in them: SECTION or SECTION=NAME (with * wildcards), comma-separated, e.g. collections=payments,policies',
  );

const PlanInput = z.strictObject({
  document: z.record(z.string(), z.unknown()).describe('The config file as JSON (its schema: config.schema)'),
  prune: z.boolean().default(false).describe('Also delete what the file does not list (within the selector)'),
  selector: Selector,
});

const FieldChange = z.object({ field: z.string(), before: z.unknown().optional(), after: z.unknown().optional() });
const PlannedChange = z.object({
  action: z.enum(['create', 'update', 'delete']),
  resource: z.string(),
  name: z.string(),
  id: z.string().optional(),
  fields: z.array(FieldChange),
});
const PlanOutput = z.object({
  changes: z.array(PlannedChange),
  summary: z.object({ create: z.number(), update: z.number(), delete: z.number() }),
});

function summary(changes: ReadonlyArray<{ action: 'create' | 'update' | 'delete' }>) {
  const counts = { create: 0, update: 0, delete: 0 };
  for (const c of changes) counts[c.action]++;
  return counts;
}

/** export, plan, apply and schema of declarative config, for every kind the other operations declare. */
export function configOperations(ops: readonly AnyOperation[]) {
  const kinds: ConfigKind[] = configKinds(ops);
  const schema = configJsonSchema(kinds);
  /** The plan that makes the gateway match the file, read as the caller. */
  const planFor = async (invoke: Invoke, input: z.output<typeof PlanInput>) => {
    const scope = parseSelector(kinds, input.selector);
    const present = await readPresent(kinds, invoke);
    return makePlan(kinds, await readWanted(kinds, input.document, present, scope), present, { prune: input.prune, scope });
  };
  return [
    defineOperation({
      name: 'config.export',
      resource: 'config',
      action: 'export',
      summary: 'Export the declarative config (catalog, policies, clients, profiles…) as a file: sorted, by name, never a secret',
      permission: 'read',
      input: z.strictObject({ selector: Selector }),
      output: z.record(z.string(), z.unknown()),
      http: { method: 'GET', path: '/config/export' },
      handler: async (ctx, input) => exportDocument(kinds, await readPresent(kinds, ctx.invoke), parseSelector(kinds, input.selector)),
    }),
    defineOperation({
      name: 'config.plan',
      resource: 'config',
      action: 'plan',
      summary: 'Show what applying a config file would create, change (field by field) and delete, without changing anything',
      permission: 'read',
      input: PlanInput,
      output: PlanOutput,
      http: { method: 'POST', path: '/config/plan', bodyLimitBytes: 64 * 1024 * 1024 },
      handler: async (ctx, input) => {
        const { changes } = await planFor(ctx.invoke, input);
        return { changes, summary: summary(changes) };
      },
    }),
    defineOperation({
      name: 'config.apply',
      resource: 'config',
      action: 'apply',
      summary: 'Make the gateway match a config file, all or nothing: one transaction, each change authorized and audited on its own',
      permission: 'write',
      destructive: true,
      composite: true,
      input: PlanInput,
      output: PlanOutput,
      http: { method: 'POST', path: '/config/apply', bodyLimitBytes: 64 * 1024 * 1024 },
      // 100,000 items take minutes on PostgreSQL: longer than clients wait for an answer.
      job: true,
      handler: async (ctx, input) => {
        ctx.progress({ phase: 'planning', applied: 0 });
        const plan = await planFor(ctx.invoke, input);
        // Counted before the steps run: after them nothing but the commit is left in its turn.
        const counts = summary(plan.changes);
        ctx.progress({ phase: 'applying', planned: plan.steps.length, applied: 0 });
        await runPlan(plan, ctx.invoke, (applied) => ctx.progress({ applied }));
        ctx.progress({ phase: 'committing' });
        ctx.audit.after = { changes: plan.changes.length };
        return { changes: plan.changes, summary: counts };
      },
    }),
    defineOperation({
      name: 'config.schema',
      resource: 'config',
      action: 'schema',
      summary: 'The JSON Schema of config files, for editors',
      permission: 'read',
      input: z.strictObject({}),
      output: z.record(z.string(), z.unknown()),
      http: { method: 'GET', path: '/config/schema' },
      handler: async () => schema,
    }),
  ] as const;
}
