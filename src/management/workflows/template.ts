import type { z } from 'zod';
import { type WorkflowInput, WorkflowInput as WorkflowInputSchema } from '../../core/index.js';
import { parseOrThrow } from '../validation.js';

/** What a template is for: guarding what a model reads and does, or shaping traffic. */
export type TemplateCategory = 'guardrail' | 'traffic';

/** A ready-made workflow: what it is for, what it asks for, and how it is built from that. */
export interface WorkflowTemplate {
  name: string;
  category: TemplateCategory;
  title: string;
  description: string;
  params: z.ZodObject;
  build(params: Record<string, unknown>): z.input<typeof WorkflowInputSchema>;
}

export const MIB = 1_048_576;

/** Declares a template with its parameters' type flowing into `build`. */
export function template<S extends z.ZodObject>(t: {
  name: string;
  category: TemplateCategory;
  title: string;
  description: string;
  params: S;
  build(p: z.output<S>): z.input<typeof WorkflowInputSchema>;
}): WorkflowTemplate {
  return { ...t, build: (p) => t.build(p as z.output<S>) };
}

/** A template's workflow with the given name and parameters (validated like any workflow before it is saved). */
export function instantiate(t: WorkflowTemplate, name: string, params: Record<string, unknown>): WorkflowInput {
  const built = t.build(parseOrThrow(t.params, params));
  return parseOrThrow(WorkflowInputSchema, { ...built, name });
}
