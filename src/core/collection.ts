import { z } from 'zod';
import { patchOf } from './patch.js';
import { Description, Name, Slug, Stored } from './common.js';

export const CollectionInput = z.strictObject({
  slug: Slug,
  name: Name,
  description: Description.default(''),
  published: z.boolean().default(false),
  /** Callers on a `none` profile may reach it without a credential. */
  allowAnonymous: z.boolean().default(false),
});
export const CollectionPatch = patchOf(CollectionInput);
export const Collection = CollectionInput.extend(Stored);
export type Collection = z.infer<typeof Collection>;
