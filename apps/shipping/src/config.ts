import { serviceConfigSchema } from '@shop/platform';
import type { z } from 'zod';

/** Everything the shipping service reads from its environment, validated at boot. */
export const configSchema = serviceConfigSchema({ port: 3003 });

export type ShippingConfig = z.infer<typeof configSchema>;
