import type { paths } from '../../api/schema';

export type VirtualInput = paths['/virtual-mcps']['post']['requestBody']['content']['application/json'];
export type Curated = NonNullable<VirtualInput['tools']>[number];
export type RestToolInput = NonNullable<VirtualInput['restTools']>[number];
export type CuratedPrompt = NonNullable<VirtualInput['prompts']>[number];
export type CuratedResource = NonNullable<VirtualInput['resources']>[number];
export type Access = NonNullable<VirtualInput['access']>;
export type Virtual = paths['/virtual-mcps/{id}']['get']['responses']['200']['content']['application/json'];
export type ToolStatus = paths['/virtual-mcps/{id}/tool-status']['get']['responses']['200']['content']['application/json']['items'][number];
/** A REST tool's operation contract now against its approved one. */
export type RestToolStatus = paths['/virtual-mcps/{id}/tool-status']['get']['responses']['200']['content']['application/json']['restTools'][number];

/** A curated item's key: its upstream and its name there. */
export const keyOf = (t: { upstreamId: string; name: string }) => `${t.upstreamId}\n${t.name}`;
export type AttachedWorkflow = NonNullable<VirtualInput['workflows']>[number];
