import { serviceConfigSchema } from '@shop/platform';
import type { z } from 'zod';

/** Everything the order service reads from its environment, validated at boot. */
export const configSchema = serviceConfigSchema({ port: 3000 });

export type OrderConfig = z.infer<typeof configSchema>;
