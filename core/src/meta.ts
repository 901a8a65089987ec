import { z } from 'zod';

/** Public facts about a Tend instance, readable by anyone (`GET /api/v1/meta`). */
export const instanceMetaSchema = z.object({
  name: z.literal('Tend'),
  version: z.string(),
  /** Where the quick-exit control sends people: a neutral site chosen by the operator. */
  quickExitUrl: z.url({ protocol: /^https?$/ }),
});

export type InstanceMeta = z.infer<typeof instanceMetaSchema>;
