import { Controller, Get, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import type { OrderTraceResult } from '@shop/console-api';
import { AccessToken, AdminGuard } from '../auth/admin.guard';
import { OrderApiClient } from '../orders/order-api.client';
import { JaegerClient } from './jaeger.client';

/** An order's trace, read from Jaeger, for the order page's waterfall and its Kafka messages. */
@Controller('api/orders')
@UseGuards(AdminGuard)
export class OrderTraceController {
  constructor(
    private readonly orders: OrderApiClient,
    private readonly jaeger: JaegerClient,
  ) {}

  /**
   * The order is read first, as the signed-in admin: an unknown order is a 404 as on its page
   * (Jaeger itself asks nobody who they are), and its placement bounds the search.
   */
  @Get(':id/trace')
  async trace(@AccessToken() token: string, @Param('id', new ParseUUIDPipe()) id: string): Promise<OrderTraceResult> {
    const order = await this.orders.order(token, id);
    return this.jaeger.orderTrace(order.id, order.placedAt);
  }
}
