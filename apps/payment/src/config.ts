import { serviceConfigSchema } from '@shop/platform';
import type { z } from 'zod';

/** Everything the payment service reads from its environment, validated at boot. */
export const configSchema = serviceConfigSchema({ port: 3002 });

export type PaymentConfig = z.infer<typeof configSchema>;
