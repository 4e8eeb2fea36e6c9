import { z } from 'zod';
import { patchOf } from './patch.js';
import { Description, Id, Name, Stored } from './common.js';

export const ClientStatus = z.enum(['active', 'suspended']);

export const ClientInput = z.strictObject({
  name: Name,
  description: Description.default(''),
  status: ClientStatus.default('active'),
  collectionIds: z.array(Id).max(1000).default([]),
  policyId: Id.nullable().default(null),
});
export const ClientPatch = patchOf(ClientInput);
export const Client = ClientInput.extend(Stored);
export type Client = z.infer<typeof Client>;
