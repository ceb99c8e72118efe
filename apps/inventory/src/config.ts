import { serviceConfigSchema } from '@shop/platform';
import type { z } from 'zod';

/** Everything the inventory service reads from its environment, validated at boot. */
export const configSchema = serviceConfigSchema({ port: 3001 });

export type InventoryConfig = z.infer<typeof configSchema>;
