import { GUARDRAIL_TEMPLATES } from './guardrail-templates.js';
import type { WorkflowTemplate } from './template.js';
import { TRAFFIC_TEMPLATES } from './traffic-templates.js';

/** The templates `templates.list` offers and `templates.instantiate` turns into workflows. */
export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [...TRAFFIC_TEMPLATES, ...GUARDRAIL_TEMPLATES];
