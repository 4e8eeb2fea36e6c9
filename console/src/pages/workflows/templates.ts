import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';

export type Template = paths['/workflows/templates']['get']['responses']['200']['content']['application/json']['items'][number];
export type Attached = paths['/workflows/templates/{template}/attach']['post']['responses']['201']['content']['application/json'];
/** Where a template's workflow goes: exactly one of these. */
export type AttachTarget = { virtualMcpId: string } | { proxyId: string } | { endpointId: string };

/** The gateway's workflow templates (the registry's, as CLI and MCP see them). */
export function useTemplates() {
  return useQuery({ queryKey: ['workflow-templates'], queryFn: () => unwrap(api.GET('/workflows/templates')), staleTime: Number.POSITIVE_INFINITY });
}

/** Creates a workflow from a template and attaches it to the target, in one change. */
export function attachTemplate(template: string, target: AttachTarget, extra: { name?: string; params?: Record<string, unknown> } = {}): Promise<Attached> {
  return unwrap(api.POST('/workflows/templates/{template}/attach', { params: { path: { template } }, body: { ...target, ...extra } }));
}

/** What the status line says once a template is attached. */
export function attachedText(out: Attached): string {
  return `Attached ${out.workflow.name} to ${out.attachedTo.name}.`;
}
