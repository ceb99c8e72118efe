import { Controller, Get, UseGuards } from '@nestjs/common';
import type { MessagingOverview } from '@shop/console-api';
import { AdminGuard } from '../auth/admin.guard';
import { failureReason, ShopServices } from '../operations/shop-services';
import { parsePrometheusText } from './prometheus-text';
import { serviceMessaging, unreadable } from './service-messaging';

/** GET /api/messaging: each service's outbox, consumer lag and handled counters, read from its /metrics at each request. */
@Controller('api/messaging')
@UseGuards(AdminGuard)
export class MessagingController {
  constructor(private readonly services: ShopServices) {}

  @Get()
  async overview(): Promise<MessagingOverview> {
    const services = await Promise.all(
      this.services.names.map(async (service) => {
        const scrapedAt = new Date();
        try {
          const { status, text } = await this.services.get(service, '/metrics');
          if (status !== 200) return unreadable(service, scrapedAt, `/metrics answered ${status}`);
          return serviceMessaging(service, scrapedAt, parsePrometheusText(text));
        } catch (error) {
          return unreadable(service, scrapedAt, failureReason(error));
        }
      }),
    );
    return { now: new Date().toISOString(), services };
  }
}
